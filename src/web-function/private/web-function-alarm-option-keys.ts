import { KeysOf } from '../../private/pick-options';
import { McpWebFunctionAlarmOptions } from '../web-function-alarms';

/** The keys of {@link McpWebFunctionAlarmOptions}, which a service passes on by name. */
export const WEB_FUNCTION_ALARM_OPTION_KEYS: KeysOf<McpWebFunctionAlarmOptions> = {
  http5xxAlarm: true, initFailureAlarm: true, requestTimeoutsAlarm: true, outOfMemoryAlarm: true, fileDescriptorsAlarm: true,
};
