import { McpAlarmThresholdBase } from './thresholds';

/** The error-rate alarm of {@link McpToolMetrics}: server errors among tool calls, in percent. */
export interface McpToolErrorRateThreshold extends McpAlarmThresholdBase {
  /**
   * The highest error rate that is fine, in percent of the tool calls of a period (above 0, at
   * most 100).
   *
   * @default 5
   */
  readonly maxErrorRatePercent?: number;

  /**
   * The fewest tool calls in a period for the rate to count: below it the alarm sees no datapoint
   * (missing data, not breaching), so one failed call of a quiet server does not page.
   *
   * @default 10
   */
  readonly minCalls?: number;
}

/**
 * Per-tool visibility from the server's request records (`docs/per-tool.md`): metric filters,
 * an error-rate alarm, Logs Insights saved queries, dashboard widgets, and opt-in per-tool
 * metrics and a Contributor Insights rule.
 */
export interface McpToolMetricsOptions {
  /**
   * Whether to read the request records at all. Without records in the log group (a server
   * without the helper) the filters publish nothing, cost nothing, and the alarm stays OK.
   *
   * @default true (when the service has a log group)
   */
  readonly enabled?: boolean;

  /**
   * Tools to publish per-tool metrics for (`ToolCalls`, `ToolServerErrors`, `ToolDuration` with
   * a `ToolName` dimension: 3 custom metrics, $0.90 a month, per tool with traffic). Only these
   * names, and only when the server's record says the tool is registered, become dimension
   * values: a client inventing tool names adds none, and the filters never near the 1,000
   * name/value pairs an hour at which CloudWatch Logs may disable a filter. 1 to 128 of
   * `A-Z a-z 0-9 _ - .` each; as many as fit in 60 metric filters
   * (about 80 names of 20 characters).
   *
   * @default - no per-tool metrics (the dashboard and saved queries still show every tool)
   */
  readonly tools?: string[];

  /**
   * A Contributor Insights rule ranking registered tools by calls ($0.50 a rule-month plus
   * $0.02 per million matched records, beyond the free tier; `npm run cost`).
   *
   * @default false
   */
  readonly contributorInsights?: boolean;

  /**
   * The alarm on the rate of server errors among tool calls (JSON-RPC errors other than the
   * client-fault codes, and tool errors of registered tools). Opt-in (`{ enabled: true }`): a
   * metric-math alarm pays for the 2 metrics it reads ($0.20 a month), which would take the
   * monitoring of a service past $2.00 a month at defaults; the canary's sentinel tool and the
   * dashboard see failing tools without it.
   *
   * @default - not created; with `enabled: true`, above 5 percent in 2 of 3 five-minute periods
   * with at least 10 calls each, missing data not breaching
   */
  readonly errorRateAlarm?: McpToolErrorRateThreshold;
}
