import { KeysOf } from '../../private/pick-options';
import { McpLambdaAlarmOptions } from '../lambda-alarms';

/** The keys of {@link McpLambdaAlarmOptions}, which a service passes on by name. */
export const LAMBDA_ALARM_OPTION_KEYS: KeysOf<McpLambdaAlarmOptions> = {
  throttlesAlarm: true,
  errorsAlarm: true,
  durationAlarm: true,
  concurrencyAlarm: true,
  spilloverAlarm: true,
  url5xxAlarm: true,
  apiGateway5xxAlarm: true,
  memoryAlarm: true,
  timeoutsAlarm: true,
  outOfMemoryAlarm: true,
};
