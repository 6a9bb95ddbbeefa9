/**
 * CloudWatch Logs filter patterns for the Lambda JSON log format (platform records and runtime
 * messages), used by the Lambda platform alarms.
 */

/**
 * The platform report of every invocation in Lambda's JSON log format
 * (`{"type":"platform.report","record":{"metrics":{"maxMemoryUsedMB":..,"memorySizeMB":..}}}`).
 * The metric value is {@link MAX_MEMORY_USED_VALUE}. The text `REPORT RequestId: ...` line of the
 * Text log format does not match: the service logs in JSON.
 */
export const PLATFORM_REPORT_MEMORY_PATTERN = '{ $.type = "platform.report" && $.record.metrics.maxMemoryUsedMB > 0 }';

/** The metric value of {@link PLATFORM_REPORT_MEMORY_PATTERN}: max memory used, in MB. */
export const MAX_MEMORY_USED_VALUE = '$.record.metrics.maxMemoryUsedMB';

/**
 * A timed-out invocation in the JSON log format: the platform report's status, one record per
 * invocation (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html,
 * platform.report `status`: success, error, failure or timeout). The only timeout filter, so each
 * timeout counts once.
 */
export const TIMEOUT_REPORT_PATTERN = '{ $.type = "platform.report" && $.record.status = "timeout" }';

/**
 * A runtime that exited for lack of memory: Lambda's error type, the kernel's kill of the runtime
 * process, or V8's own heap exhaustion message.
 */
export const OUT_OF_MEMORY_PATTERN = '?"Runtime.OutOfMemory" ?"signal: killed" ?"JavaScript heap out of memory"';
