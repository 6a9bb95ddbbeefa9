import { KeysOf } from '../../private/pick-options';
import { McpMonitoringOptions } from '../options';

/** The keys of {@link McpMonitoringOptions}, which a service passes on by name. */
export const MONITORING_OPTION_KEYS: KeysOf<McpMonitoringOptions> = {
  canary: true,
  canarySchedule: true,
  canaryDeadline: true,
  canaryExpectedTools: true,
  canaryExpectedToolsHash: true,
  canarySentinelTool: true,
  canarySentinelToolArguments: true,
  canaryTransport: true,
  canaryHeaders: true,
  canaryAuth: true,
  metricNamespace: true,
  alarmTopic: true,
  alarmEmails: true,
  alarmTopicEncryptionKey: true,
  alarmActionsSuppressor: true,
  canaryDetailedMetrics: true,
  canaryLogRetention: true,
  canaryLogEncryptionKey: true,
  deployGate: true,
  deployGateTimeout: true,
  dashboard: true,
  probeFailureAlarm: true,
  probeLatencyAlarm: true,
  certificateExpiryAlarm: true,
  canaryErrorsAlarm: true,
  frontDoorAlarm: true,
  credentialErrorsAlarm: true,
  toolMetrics: true,
};
