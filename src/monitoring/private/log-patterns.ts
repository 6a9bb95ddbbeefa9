/**
 * CloudWatch Logs filter patterns for the failure signatures of MCP servers. Internal: tests
 * evaluate them against real sample log lines, constructs attach them as metric filters.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */

/**
 * AWS credential failures surfacing in tool calls: the server's role lacks a permission, or its
 * credentials expired.
 */
export const CREDENTIAL_ERROR_PATTERN =
  '?"AccessDeniedException" ?"ExpiredTokenException" ?"not authorized to perform" ?"security token included in the request is expired"';
