/**
 * CloudWatch Logs filter patterns for the Web Function system log schema (JSON records with a
 * `type` and a `record`), used by the Web Function platform alarms. Tests evaluate each against
 * the sample records the sources give.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/web-functions-logging-system-log-schema.html
 */

/**
 * An execution environment whose server did not start: `platform.initReport` with a status other
 * than `success` (a failed start is `"status":"failure"` at level WARN, with an `errorType` such
 * as `Application.InitCodeError`). There is no health gate: such a revision still goes Active and
 * takes all traffic, so this record is the earliest signal.
 * Sources: AWS skill aws-lambda-web-functions references/deployment.md@6837e08 and
 * references/observability.md@5afd317; CDK README "Changing an endpoint".
 */
export const INIT_FAILURE_PATTERN = '{ $.type = "platform.initReport" && $.record.status != "success" }';

/**
 * A request over the revision's timeout. A non-streaming one is answered 504 with
 * `lambda-web-error-type: Runtime.RequestTimeout` (web-functions-revisions-timeout); that the error
 * type also appears in the logs is UNCONFIRMED, so the canary (which sees the 504) stays the
 * primary signal. A streamed response cut at the timeout leaves no documented trace at all.
 */
export const REQUEST_TIMEOUT_PATTERN = '"Runtime.RequestTimeout"';

/**
 * A server out of memory: V8's own message on stderr (the application log), or a Lambda error type
 * `Runtime.OutOfMemory` should the platform report one (UNCONFIRMED for Web Functions; no memory
 * setting exists, an environment has 2 GB per the AWS skill SKILL.md@5afd317 "Service Limits").
 */
export const WEB_OUT_OF_MEMORY_PATTERN = '?"JavaScript heap out of memory" ?"Runtime.OutOfMemory"';

/**
 * The 1,024 file-descriptor ceiling of an environment: `EMFILE` in the logs (or a 507 to the
 * client). Source: AWS skill references/troubleshooting.md@6837e08 and SKILL.md@5afd317.
 */
export const FILE_DESCRIPTOR_EXHAUSTION_PATTERN = '"EMFILE"';
