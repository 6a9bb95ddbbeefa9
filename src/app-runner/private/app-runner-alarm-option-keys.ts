import { KeysOf } from '../../private/pick-options';
import { McpAppRunnerAlarmOptions } from '../app-runner-alarms';

/** The keys of {@link McpAppRunnerAlarmOptions}, which a service passes on by name. */
export const APP_RUNNER_ALARM_OPTION_KEYS: KeysOf<McpAppRunnerAlarmOptions> = {
  http5xxAlarm: true, latencyAlarm: true, cpuAlarm: true, memoryAlarm: true, instancesAtMaxAlarm: true,
};
