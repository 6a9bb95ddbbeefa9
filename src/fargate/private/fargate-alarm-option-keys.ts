import { KeysOf } from '../../private/pick-options';
import { McpFargateAlarmOptions } from '../fargate-alarms';

/** The keys of {@link McpFargateAlarmOptions}, which a service passes on by name. */
export const FARGATE_ALARM_OPTION_KEYS: KeysOf<McpFargateAlarmOptions> = {
  cpuAlarm: true,
  memoryAlarm: true,
  runningTasksAlarm: true,
  target5xxAlarm: true,
  elb5xxAlarm: true,
  unhealthyHostsAlarm: true,
  targetResponseTimeAlarm: true,
  rejectedConnectionsAlarm: true,
  fatalErrorsAlarm: true,
};
