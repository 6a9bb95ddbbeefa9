import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { utilizationAlarm } from './private/alarm-families';
import { AlarmSet } from './private/alarm-set';
import {
  DURATION_VALUE, perToolPatterns, TOOL_DIMENSION_VALUE, TOOL_NAME, TOOL_PATTERNS, TOOL_QUERIES,
} from './private/tool-patterns';
import type { McpServiceMonitoring } from './service-monitoring';
import { McpAlarmThresholdBase } from './thresholds';
import { REQUEST_RECORD, REQUEST_RECORD_MARKER } from '../contract/request-record';

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

/** Properties of an {@link McpToolMetrics}. */
export interface McpToolMetricsProps extends McpToolMetricsOptions {
  /** The monitoring whose alarms, namespace and dashboard the tool metrics join. */
  readonly monitoring: McpServiceMonitoring;

  /** The server's log group, where the request records are written. */
  readonly logGroup: logs.ILogGroup;
}

/** The metric names the tool-metric filters publish in the log-metric namespace. */
const METRICS = { calls: 'ToolCalls', serverErrors: 'ToolServerErrors', duration: 'ToolDuration' } as const;

/** The dimension of the opt-in per-tool metrics. */
const TOOL_DIMENSION = 'ToolName';

/** Per-tool metric filters at most: a log group holds 100 metric filters, and the service has others. */
const MAX_PER_TOOL_FILTERS = 60;

/**
 * Per-tool visibility in CloudWatch from the request records the server writes (one JSON line
 * per MCP request, `docs/per-tool.md`): metric filters for tool calls, server errors and
 * duration (no dimensions: 2 metrics published while there is traffic, the errors metric only
 * in hours with errors), an opt-in alarm on the error rate across all tools, Logs Insights saved
 * queries under `<serviceName>/`, and a dashboard section when the service has a dashboard.
 * Opt-in: per-tool metrics for named tools, and a Contributor Insights rule.
 *
 * `McpServiceMonitoring` creates one on the server's log group (`toolMetrics` option).
 */
export class McpToolMetrics extends Construct {
  /** Every alarm created here. */
  public readonly alarms: cloudwatch.IAlarm[];

  /** Server errors among tool calls above the rate, when `errorRateAlarm.enabled` is true. */
  public readonly errorRateAlarm?: cloudwatch.Alarm;

  /** The Logs Insights saved queries. */
  public readonly queries: logs.QueryDefinition[] = [];

  /** The Contributor Insights rule, when `contributorInsights: true`. */
  public readonly insightRule?: cloudwatch.CfnInsightRule;

  private readonly namespace: string;
  private readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: McpToolMetricsProps) {
    super(scope, id);
    const monitoring = props.monitoring;
    this.namespace = monitoring.logMetricNamespace;
    this.logGroup = props.logGroup;
    const alarms = AlarmSet.forPlatform(this, 'McpToolMetrics', monitoring);
    this.alarms = alarms.alarms;
    const tools = props.tools ?? [];
    const threshold = props.errorRateAlarm ?? {};
    const percent = threshold.maxErrorRatePercent ?? 5;
    const minCalls = threshold.minCalls ?? 10;
    validate(alarms, tools, percent, minCalls);

    type Dimensions = { [k: string]: string };
    const filter = (filterId: string, pattern: string, metricName: string, value: string, unit: cloudwatch.Unit, dimensions?: Dimensions) =>
      new logs.MetricFilter(this, filterId, {
        logGroup: props.logGroup,
        filterPattern: logs.FilterPattern.literal(pattern),
        metricNamespace: this.namespace,
        metricName,
        metricValue: value,
        unit,
        dimensions,
      });
    filter('ToolCallsFilter', TOOL_PATTERNS.calls, METRICS.calls, '1', cloudwatch.Unit.COUNT);
    filter('ToolServerErrorsFilter', TOOL_PATTERNS.serverErrors, METRICS.serverErrors, '1', cloudwatch.Unit.COUNT);
    filter('ToolDurationFilter', TOOL_PATTERNS.duration, METRICS.duration, DURATION_VALUE, cloudwatch.Unit.MILLISECONDS);
    if (tools.every((t) => Token.isUnresolved(t) || TOOL_NAME.test(t))) {
      const perTool = { [TOOL_DIMENSION]: TOOL_DIMENSION_VALUE };
      const kinds = [
        ['calls', '1', cloudwatch.Unit.COUNT],
        ['serverErrors', '1', cloudwatch.Unit.COUNT],
        ['duration', DURATION_VALUE, cloudwatch.Unit.MILLISECONDS],
      ] as const;
      for (const [kind, value, unit] of kinds) {
        perToolPatterns(kind, tools).forEach((pattern, i) =>
          filter(`PerTool${METRICS[kind]}Filter${i + 1}`, pattern, METRICS[kind], value, unit, perTool));
      }
    }

    const rate = new cloudwatch.MathExpression({
      // No datapoint below minCalls: IF without an else value drops the timestamp.
      // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html (IF, FILL)
      expression: `IF(calls >= ${minCalls}, 100 * FILL(errors, 0) / calls)`,
      usingMetrics: { calls: this.metricToolCalls(), errors: this.metricToolServerErrors() },
      period: Duration.minutes(5),
      label: 'Tool server error rate (%)',
    });
    this.errorRateAlarm = alarms.add(utilizationAlarm({
      id: 'ToolErrorRate',
      propName: 'toolMetrics.errorRateAlarm',
      metric: rate,
      summary: `Tool calls fail: more than ${percent}% server errors among at least ${minCalls} calls`,
      firstCheck: `the saved query "${monitoring.serviceName}/tools failing most" (Logs Insights) for the tool and error type, then that tool's records by trace id.`,
      datapointsToAlarm: 2,
      evaluationPeriods: 3,
      // Opt-in: its 2 metrics ($0.20) would take the defaults past $2.00 a month (docs/cost.md).
      optIn: true,
    }, { ...threshold, maxUtilizationPercent: percent > 0 && percent <= 100 ? percent : 5 }, { defaultPercent: 5, limit: 100, unit: '%' }));

    const queries: Array<[string, string, readonly string[]]> = [
      ['PerToolQuery', 'tools: calls, errors, p95 per tool', TOOL_QUERIES.perTool],
      ['FailingMostQuery', 'tools failing most', TOOL_QUERIES.failingMost],
      ['SlowestQuery', 'slowest tools', TOOL_QUERIES.slowest],
      ['TraceQuery', 'one trace id\'s requests', TOOL_QUERIES.trace],
      ['PerClientQuery', 'requests per client', TOOL_QUERIES.perClient],
    ];
    for (const [queryId, name, lines] of queries) {
      this.queries.push(new logs.QueryDefinition(this, queryId, {
        queryDefinitionName: `${monitoring.serviceName}/${name}`,
        queryString: new WrittenQuery(lines),
        logGroups: [props.logGroup],
      }));
    }

    if (props.contributorInsights ?? false) {
      this.insightRule = new cloudwatch.CfnInsightRule(this, 'ToolCallsRule', {
        ruleName: `${monitoring.serviceName}-tool-calls`,
        ruleState: 'ENABLED',
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html
        ruleBody: Stack.of(this).toJsonString({
          Schema: { Name: 'CloudWatchLogRule', Version: 1 },
          LogGroupNames: [props.logGroup.logGroupName],
          LogFormat: 'JSON',
          Contribution: {
            Keys: [TOOL_DIMENSION_VALUE],
            Filters: [
              { Match: `$.${REQUEST_RECORD.MARKER}`, In: [REQUEST_RECORD_MARKER] },
              { Match: `$.${REQUEST_RECORD.METHOD}`, In: ['tools/call'] },
              { Match: `$.${REQUEST_RECORD.TOOL_REGISTERED}`, In: [true] },
            ],
          },
          AggregateOn: 'Count',
        }),
      });
    }

    alarms.finish(() => this.widgets(tools));
  }

  /**
   * Tool calls, all tools, or one tool of `tools` (`toolName`).
   *
   * @default - statistic Sum, period 5 minutes
   */
  public metricToolCalls(props?: cloudwatch.MetricOptions, toolName?: string): cloudwatch.Metric {
    return this.metric(METRICS.calls, cloudwatch.Stats.SUM, props, toolName);
  }

  /**
   * Server errors among tool calls (JSON-RPC errors other than the client-fault codes, and tool
   * errors of registered tools), all tools or one tool of `tools`.
   *
   * @default - statistic Sum, period 5 minutes
   */
  public metricToolServerErrors(props?: cloudwatch.MetricOptions, toolName?: string): cloudwatch.Metric {
    return this.metric(METRICS.serverErrors, cloudwatch.Stats.SUM, props, toolName);
  }

  /**
   * The duration of tool calls in milliseconds, all tools or one tool of `tools`.
   *
   * @default - statistic p95, period 5 minutes
   */
  public metricToolDuration(props?: cloudwatch.MetricOptions, toolName?: string): cloudwatch.Metric {
    return this.metric(METRICS.duration, cloudwatch.Stats.p(95), props, toolName);
  }

  private metric(metricName: string, statistic: string, props: cloudwatch.MetricOptions | undefined, toolName?: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName,
      statistic,
      period: Duration.minutes(5),
      dimensionsMap: toolName === undefined ? undefined : { [TOOL_DIMENSION]: toolName },
      ...props,
    });
  }

  private widgets(tools: string[]): cloudwatch.IWidget[] {
    const logGroupNames = [this.logGroup.logGroupName];
    const table = (title: string, lines: readonly string[]) => new cloudwatch.LogQueryWidget({
      title, logGroupNames, queryLines: [...lines], view: cloudwatch.LogQueryVisualizationType.TABLE, width: 12, height: 6,
    });
    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.GraphWidget({
        title: 'Tool calls and server errors (all tools)',
        left: [this.metricToolCalls({ label: 'Calls' }), this.metricToolServerErrors({ label: 'Server errors' })],
        leftYAxis: { min: 0 },
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Tool-call duration (p95, ms)',
        left: [this.metricToolDuration({ label: 'p95' })],
        leftYAxis: { min: 0 },
        width: 8,
      }),
      ...(this.errorRateAlarm ? [new cloudwatch.AlarmWidget({ title: 'Tool server error rate (%)', alarm: this.errorRateAlarm, width: 8 })] : []),
      table('Calls, errors, p95 per tool (Logs Insights)', TOOL_QUERIES.perTool),
      table('Tools failing most (Logs Insights)', TOOL_QUERIES.failingMost),
    ];
    if (tools.length > 0) {
      widgets.push(new cloudwatch.GraphWidget({
        title: 'Tool-call duration per tool (p95, ms)',
        left: tools.map((t) => this.metricToolDuration({ label: t }, t)),
        width: 24,
      }));
    }
    return widgets;
  }
}

/** A query string as written: `logs.QueryString` cannot hold a comment line. */
class WrittenQuery extends logs.QueryString {
  constructor(private readonly lines: readonly string[]) {
    super();
  }

  public toString(): string {
    return this.lines.join('\n| ').replace(/^(# [^\n]*)\n\| /, '$1\n');
  }
}

function validate(alarms: AlarmSet, tools: string[], percent: number, minCalls: number): void {
  const errors = alarms.errors;
  for (const tool of tools) {
    errors.check('cdk-mcp:toolMetricsToolName', Token.isUnresolved(tool) || TOOL_NAME.test(tool),
      `toolMetrics.tools contains "${tool}", which is not an MCP tool name: use 1 to 128 letters, digits, '_', '-' or '.' (the name the server registers).`);
  }
  const valid = tools.filter((t) => !Token.isUnresolved(t) && TOOL_NAME.test(t));
  const filters = (['calls', 'serverErrors', 'duration'] as const).reduce((n, kind) => n + perToolPatterns(kind, valid).length, 0);
  errors.check('cdk-mcp:toolMetricsToolCount', filters <= MAX_PER_TOOL_FILTERS,
    `toolMetrics.tools lists ${tools.length} tools, which take ${filters} metric filters (patterns hold 1,024 characters); at most ${MAX_PER_TOOL_FILTERS} of the 100 a log group allows. List fewer tools (the saved queries and the dashboard show every tool).`);
  errors.check('cdk-mcp:toolMetricsDuplicateTool', new Set(tools).size === tools.length,
    `toolMetrics.tools lists a tool twice (${tools.filter((t, i) => tools.indexOf(t) !== i).join(', ')}); list each tool once.`);
  errors.check('cdk-mcp:toolErrorRatePercent', Token.isUnresolved(percent) || (percent > 0 && percent <= 100),
    `toolMetrics.errorRateAlarm.maxErrorRatePercent is ${percent}; use a percentage above 0 and at most 100.`);
  errors.check('cdk-mcp:toolErrorRateMinCalls', Token.isUnresolved(minCalls) || (Number.isInteger(minCalls) && minCalls >= 1),
    `toolMetrics.errorRateAlarm.minCalls is ${minCalls}; use a whole number of calls of at least 1.`);
}
