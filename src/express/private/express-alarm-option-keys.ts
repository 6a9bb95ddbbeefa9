import { KeysOf } from '../../private/pick-options';
import { McpExpressAlarmOptions } from '../express-alarms';

/** The keys of {@link McpExpressAlarmOptions}, which a service passes on by name. */
export const EXPRESS_ALARM_OPTION_KEYS: KeysOf<McpExpressAlarmOptions> = {
  cpuAlarm: true, memoryAlarm: true, runningTasksAlarm: true, fatalErrorsAlarm: true,
};
