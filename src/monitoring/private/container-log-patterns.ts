/**
 * CloudWatch Logs filter patterns for the container logs of an MCP server on ECS Fargate.
 * Internal: tests evaluate them against real crash output, the Fargate alarms attach them.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */

/**
 * Crash signatures of the server process in container logs (one awslogs event per line): V8's
 * fatal errors, the `Node.js vNN` trailer Node prints after an uncaught exception or unhandled
 * rejection, a Python traceback, a Go panic. A term pattern matches the raw event text.
 */
export const PROCESS_CRASH_PATTERN =
  '?"FATAL ERROR" ?"JavaScript heap out of memory" ?"Node.js v" ?"Traceback (most recent call last)" ?"panic: "';

/**
 * Fatal entries of structured (JSON) logs: a `fatal` or `critical` level (pino, winston, Python's
 * logging), or the example server's `crashed` event.
 */
export const FATAL_LOG_LEVEL_PATTERN =
  '{ $.level = "fatal" || $.level = "FATAL" || $.level = "critical" || $.level = "CRITICAL" || $.event = "crashed" }';
