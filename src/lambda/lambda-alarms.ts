import { Duration, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  MAX_MEMORY_USED_VALUE,
  OUT_OF_MEMORY_PATTERN,
  PLATFORM_REPORT_MEMORY_PATTERN,
  TIMEOUT_REPORT_PATTERN,
} from './private/lambda-log-patterns';
import { AlarmMetric } from '../monitoring/private/alarm-factory';
import { AlarmSet } from '../monitoring/private/alarm-set';
import { addTable, AlarmTable, count, logCount, logUtilization, utilization } from '../monitoring/private/alarm-table';
import { McpServiceMonitoring } from '../monitoring/service-monitoring';
import { McpCountThreshold, McpUtilizationThreshold } from '../monitoring/thresholds';
import { ValidationErrors } from '../private/validation';

/** The Lambda platform alarms of a Lambda-hosted MCP server. */
export interface McpLambdaAlarmOptions {
  /**
   * Throttled invocations: clients get 429s or Function URL throttling errors.
   *
   * @default - Throttles Sum above 0 for 1 of 1 five-minute datapoints
   */
  readonly throttlesAlarm?: McpCountThreshold;

  /**
   * Failed invocations: crashes, timeouts, out-of-memory exits and Web Adapter start-up failures.
   * A 5xx the server answers is not a Lambda error (the construct does not set the adapter's
   * `AWS_LWA_ERROR_STATUS_CODES`, which would replace the server's answer with a Lambda error,
   * and cannot apply to a streamed response whose status is already sent): `url5xxAlarm` counts
   * those.
   *
   * @default - Errors Sum above 0 for 2 of 3 five-minute datapoints
   */
  readonly errorsAlarm?: McpCountThreshold;

  /**
   * Invocations that come close to the function timeout.
   *
   * @default - not created (opt-in: `{ enabled: true }`, predicts the timeouts the Errors alarm sees); then Duration p99 above 80% of the timeout for 3 of 3 five-minute datapoints
   */
  readonly durationAlarm?: McpUtilizationThreshold;

  /**
   * Concurrent executions close to the reserved concurrency (only when reserved concurrency is set).
   *
   * @default - ConcurrentExecutions Maximum above 80% of the reservation for 3 of 3 one-minute datapoints
   */
  readonly concurrencyAlarm?: McpUtilizationThreshold;

  /**
   * Invocations that spilled over provisioned concurrency onto on-demand (cold) environments
   * (only when provisioned concurrency is set).
   *
   * @default - ProvisionedConcurrencySpilloverInvocations Sum above 0 for 3 of 3 five-minute datapoints
   */
  readonly spilloverAlarm?: McpCountThreshold;

  /**
   * 5xx responses of the Function URL (only when the function has a URL).
   *
   * @default - Url5xxCount Sum above 0 for 1 of 1 five-minute datapoints
   */
  readonly url5xxAlarm?: McpCountThreshold;

  /**
   * 5xx responses of the API Gateway front door's stage (only with a front door: `domainName` or
   * `webAcl`): the gateway's own (502 when the integration fails, 504 "Endpoint request timed
   * out") and those of the server, as the `AWS/ApiGateway` `5XXError` metric counts them.
   *
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
   * @default - 5XXError Sum above 0 for 1 of 1 five-minute datapoints
   */
  readonly apiGateway5xxAlarm?: McpCountThreshold;

  /**
   * Memory used against memory size, from the JSON platform report (no Lambda Insights needed).
   *
   * @default - not created (opt-in: `{ enabled: true }`; its metric filter publishes every invocation ($0.30 a month), and it predicts the out-of-memory exits the Errors alarm sees); then maximum utilization above 90% for 1 of 1 five-minute datapoints
   */
  readonly memoryAlarm?: McpUtilizationThreshold;

  /**
   * Invocations that hit the function timeout: the JSON platform report with status `timeout`,
   * one per timed-out invocation.
   *
   * @default - not created (opt-in: `{ enabled: true }`: a timeout is a function error, which the Errors alarm sees); then matching log lines above 0 for 1 of 1 five-minute datapoints
   */
  readonly timeoutsAlarm?: McpCountThreshold;

  /**
   * Runtime exits for lack of memory (`Runtime.OutOfMemory`, `signal: killed`, `JavaScript heap
   * out of memory`).
   *
   * @default - not created (opt-in: `{ enabled: true }`: an out-of-memory exit is a function error, which the Errors alarm sees); then matching log lines above 0 for 1 of 1 five-minute datapoints
   */
  readonly outOfMemoryAlarm?: McpCountThreshold;
}

/** Properties of {@link McpLambdaAlarms}. */
export interface McpLambdaAlarmsProps extends McpLambdaAlarmOptions {
  /** The service monitoring the alarms join (its composite alarm, topic, list and dashboard). */
  readonly monitoring: McpServiceMonitoring;

  /** The function that runs the MCP server. */
  readonly serverFunction: lambda.IFunction;

  /**
   * The alias that serves traffic (carries the Function URL and provisioned concurrency).
   * Invocation metrics (errors, throttles, duration, URL 5xx, spillover) are read per alias.
   *
   * @default - metrics of the whole function
   */
  readonly serverAlias?: lambda.IAlias;

  /** The function's timeout. */
  readonly timeout: Duration;

  /** The function's memory size, in MiB. */
  readonly memorySizeMiB: number;

  /**
   * The function's reserved concurrency.
   *
   * @default - no concurrency alarm
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * The provisioned concurrency of `serverAlias`.
   *
   * @default - no spillover alarm
   */
  readonly provisionedConcurrentExecutions?: number;

  /**
   * The Function URL clients call.
   *
   * @default - no URL 5xx alarm
   */
  readonly functionUrl?: lambda.IFunctionUrl;

  /**
   * The API Gateway stage in front of the function.
   *
   * @default - no API Gateway 5xx alarm
   */
  readonly restApiStage?: apigateway.IStage;

  /**
   * The function's log group, in Lambda's JSON log format (platform reports are JSON records).
   *
   * @default - no log-based alarms (memory, timeouts, out of memory)
   */
  readonly serverLogGroup?: logs.ILogGroup;
}

/**
 * The Lambda platform alarms of an MCP server: throttles, errors, duration near the timeout,
 * concurrency near the reservation, provisioned-concurrency spillover, Function URL 5xx, memory
 * utilization from the platform report (no Lambda Insights), and log alarms for timeouts and
 * out-of-memory exits. Every alarm joins the service monitoring's composite alarm.
 */
export class McpLambdaAlarms extends Construct {
  /** Every alarm created here. */
  public readonly alarms: cloudwatch.IAlarm[];

  /** Throttled invocations, unless disabled. */
  public readonly throttlesAlarm?: cloudwatch.Alarm;

  /** Failed invocations, unless disabled. */
  public readonly errorsAlarm?: cloudwatch.Alarm;

  /** Duration close to the timeout, unless disabled. */
  public readonly durationAlarm?: cloudwatch.Alarm;

  /** Concurrent executions close to the reservation, when reserved concurrency is set. */
  public readonly concurrencyAlarm?: cloudwatch.Alarm;

  /** Provisioned-concurrency spillover, when provisioned concurrency is set. */
  public readonly spilloverAlarm?: cloudwatch.Alarm;

  /** Function URL 5xx responses, when the function has a URL. */
  public readonly url5xxAlarm?: cloudwatch.Alarm;

  /** 5xx responses of the API Gateway stage, when there is one. */
  public readonly apiGateway5xxAlarm?: cloudwatch.Alarm;

  /** Memory utilization from the platform report, when a log group is given. */
  public readonly memoryAlarm?: cloudwatch.Alarm;

  /** Timed-out invocations from the logs, when a log group is given. */
  public readonly timeoutsAlarm?: cloudwatch.Alarm;

  /** Out-of-memory runtime exits from the logs, when a log group is given. */
  public readonly outOfMemoryAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: McpLambdaAlarmsProps) {
    super(scope, id);
    const alarms = AlarmSet.forPlatform(this, 'McpLambdaAlarms', props.monitoring);
    this.alarms = alarms.alarms;
    validate(alarms.errors, props);
    const traffic: lambda.IFunction = props.serverAlias ?? props.serverFunction;
    Object.assign(this, addTable<McpLambdaAlarmOptions>(alarms, lambdaAlarmTable(props, traffic), props));
    alarms.finish(() => dashboardWidgets(props, traffic, alarms.logMetric('LambdaMaxMemoryUsed', cloudwatch.Stats.MAXIMUM)));
  }
}

/** The Lambda alarms, in creation order: what each watches and means. */
function lambdaAlarmTable(props: McpLambdaAlarmsProps, traffic: lambda.IFunction): AlarmTable<McpLambdaAlarmOptions> {
  const sum = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };
  // A token-valued prop (a CfnParameter) is given: its alarm exists whatever the value turns out to be.
  const reserved = props.reservedConcurrentExecutions;
  // No log group, no log alarms (their thresholds are still checked).
  const logGroup = props.serverLogGroup;
  return {
    throttlesAlarm: count({
      id: 'Throttles',
      metric: traffic.metricThrottles(sum),
      summary: 'The MCP server\'s Lambda function is throttled: clients get throttling errors',
      firstCheck: 'ConcurrentExecutions against the reserved concurrency and the account limit; raise the reservation or the account quota.',
    }),
    errorsAlarm: count({
      id: 'Errors',
      metric: traffic.metricErrors(sum),
      summary: 'The MCP server\'s Lambda function fails invocations',
      firstCheck: 'the function\'s log group for errors around the alarm time (crashes, timeouts, out of memory, start-up failures of the web adapter).',
      datapointsToAlarm: 2,
      evaluationPeriods: 3,
    }),
    // Duration is in milliseconds; a token timeout is a validation problem (no threshold to derive).
    durationAlarm: utilization({
      id: 'DurationNearTimeout',
      metric: traffic.metricDuration({ period: Duration.minutes(5), statistic: cloudwatch.Stats.p(99) }),
      summary: 'The MCP server\'s requests come close to the Lambda timeout',
      firstCheck: 'the slowest tool calls in the function\'s logs and the downstream services they call; then raise the timeout or the memory (more memory is more CPU).',
      datapointsToAlarm: 3,
      evaluationPeriods: 3,
      optIn: true,
      when: !props.timeout.isUnresolved(),
    }, { defaultPercent: 80, limit: props.timeout.isUnresolved() ? 0 : props.timeout.toMilliseconds(), unit: ' ms' }),
    concurrencyAlarm: utilization({
      id: 'ConcurrencyNearLimit',
      metric: concurrencyMetric(props.serverFunction, reserved),
      summary: 'The MCP server\'s concurrent executions come close to its reserved concurrency; throttling is next',
      firstCheck: 'request volume (Invocations) and Duration: slower requests hold environments longer. Raise reservedConcurrentExecutions.',
      datapointsToAlarm: 3,
      evaluationPeriods: 3,
      when: isSet(reserved),
    }, reserved !== undefined && !Token.isUnresolved(reserved)
      ? { defaultPercent: 80, limit: reserved, unit: '' }
      : { defaultPercent: 80, limit: 100, unit: '%' }),
    spilloverAlarm: count({
      id: 'ProvisionedConcurrencySpillover',
      metric: traffic.metric('ProvisionedConcurrencySpilloverInvocations', sum),
      summary: 'Requests to the MCP server spill over its provisioned concurrency onto cold, on-demand environments',
      firstCheck: 'ProvisionedConcurrencyUtilization of the alias; raise the provisioned concurrency or scale it on utilization.',
      datapointsToAlarm: 3,
      evaluationPeriods: 3,
      when: isSet(props.provisionedConcurrentExecutions),
    }),
    url5xxAlarm: count({
      id: 'FunctionUrl5xx',
      metric: traffic.metric('Url5xxCount', sum),
      summary: 'The MCP server\'s Function URL returns 5xx responses',
      firstCheck: 'the function\'s Errors and the timeout alarms (a function error or timeout is a 502 at the URL), then the web adapter\'s start-up logs.',
      when: props.functionUrl !== undefined,
    }),
    apiGateway5xxAlarm: count({
      id: 'ApiGateway5xx',
      metric: stageMetric(props.restApiStage, '5XXError', sum),
      summary: 'The MCP server\'s API Gateway front door returns 5xx responses',
      firstCheck: 'the stage\'s access log group (status, integrationLatency): a 504 is the integration timeout, a 502 a function error; then the Errors alarm.',
      when: props.restApiStage !== undefined,
    }),
    // Opt-in: its filter publishes on every invocation ($0.30 a month).
    memoryAlarm: logUtilization({
      logGroup,
      patterns: { MemoryReportFilter: PLATFORM_REPORT_MEMORY_PATTERN },
      metricName: 'LambdaMaxMemoryUsed',
      metricValue: MAX_MEMORY_USED_VALUE,
      unit: cloudwatch.Unit.MEGABYTES,
    }, cloudwatch.Stats.MAXIMUM, (maxUsed) => ({
      id: 'MemoryUtilization',
      metric: memoryUtilization(maxUsed, props.memorySizeMiB),
      summary: 'The MCP server\'s Lambda function uses most of its memory',
      firstCheck: 'maxMemoryUsedMB in the platform reports of the function\'s log group and which tool calls ran then; raise memorySize before out-of-memory exits start.',
      optIn: true,
    }), { defaultPercent: 90, limit: 100, unit: '%' }),
    // One filter: with the JSON log format every timeout has one platform.report with status
    // "timeout"; counting the "Task timed out" text as well counted a timeout twice.
    timeoutsAlarm: logCount({ logGroup, patterns: { TimeoutReportFilter: TIMEOUT_REPORT_PATTERN }, metricName: 'LambdaTimeouts' }, {
      id: 'Timeouts',
      summary: 'MCP server invocations hit the Lambda timeout',
      firstCheck: 'the function\'s log group around "Task timed out": which tool call was running, and the downstream service it waited on.',
      optIn: true,
    }),
    outOfMemoryAlarm: logCount({ logGroup, patterns: { OutOfMemoryFilter: OUT_OF_MEMORY_PATTERN }, metricName: 'LambdaOutOfMemory' }, {
      id: 'OutOfMemory',
      summary: 'The MCP server\'s runtime exits for lack of memory',
      firstCheck: 'the memory utilization alarm and the platform reports (maxMemoryUsedMB); raise memorySize or find the tool that loads too much.',
      optIn: true,
    }),
  };
}

function dashboardWidgets(props: McpLambdaAlarmsProps, traffic: lambda.IFunction, maxMemoryUsed: cloudwatch.Metric): cloudwatch.IWidget[] {
  const minute = { period: Duration.minutes(1) };
  const widgets: cloudwatch.IWidget[] = [
    new cloudwatch.GraphWidget({
      title: 'Lambda invocations, errors, throttles',
      left: [traffic.metricInvocations(minute), traffic.metricErrors(minute), traffic.metricThrottles(minute)],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'Lambda duration (ms)',
      left: [
        traffic.metricDuration({ ...minute, statistic: cloudwatch.Stats.p(50), label: 'p50' }),
        traffic.metricDuration({ ...minute, statistic: cloudwatch.Stats.p(99), label: 'p99' }),
      ],
      leftAnnotations: [{ value: props.timeout.toMilliseconds(), label: 'timeout' }],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'Lambda concurrency',
      left: [props.serverFunction.metric('ConcurrentExecutions', { ...minute, statistic: cloudwatch.Stats.MAXIMUM })],
      leftAnnotations: props.reservedConcurrentExecutions ? [{ value: props.reservedConcurrentExecutions, label: 'reserved' }] : [],
      width: 6,
    }),
  ];
  const right: cloudwatch.IMetric[] = [];
  if (props.functionUrl !== undefined) {
    right.push(
      traffic.metric('Url4xxCount', { ...minute, statistic: cloudwatch.Stats.SUM }),
      traffic.metric('Url5xxCount', { ...minute, statistic: cloudwatch.Stats.SUM }),
    );
  }
  widgets.push(new cloudwatch.GraphWidget({
    title: props.functionUrl !== undefined ? 'Memory utilization (%) and Function URL errors' : 'Memory utilization (%)',
    left: props.serverLogGroup !== undefined ? [memoryUtilization(maxMemoryUsed, props.memorySizeMiB)] : [],
    right,
    leftYAxis: { min: 0, max: 100 },
    width: 6,
  }));
  const stage = props.restApiStage;
  if (stage !== undefined) {
    const sum = { ...minute, statistic: cloudwatch.Stats.SUM };
    widgets.push(new cloudwatch.GraphWidget({
      title: 'API Gateway requests, 4xx, 5xx',
      left: ['Count', '4XXError', '5XXError'].map((name) => stageMetric(stage, name, sum)),
      width: 6,
    }));
  }
  return widgets;
}

/**
 * A metric of a REST API stage: `AWS/ApiGateway`, dimensions `ApiName` and `Stage`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html).
 * Without a stage, the metric without dimensions (its alarm is not created).
 */
function stageMetric(stage: apigateway.IStage | undefined, metricName: string, options: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensionsMap: stage ? { ApiName: stage.restApi.restApiName, Stage: stage.stageName } : undefined,
    ...options,
  });
}

/**
 * ConcurrentExecutions against a reservation. With a token reservation (a CfnParameter) the
 * threshold cannot be computed at synth: CloudWatch computes the utilization in percent, the
 * token put in the expression as a string (it renders as a reference; a token number written into
 * the text would render as -1.888e+289, an identifier CloudWatch does not know).
 */
function concurrencyMetric(fn: lambda.IFunction, reserved: number | undefined): AlarmMetric {
  const concurrency = fn.metric('ConcurrentExecutions', { period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM });
  if (reserved === undefined || !Token.isUnresolved(reserved)) {
    return concurrency;
  }
  return new cloudwatch.MathExpression({
    expression: `100 * concurrent / ${Token.asString(reserved)}`,
    usingMetrics: { concurrent: concurrency },
    label: 'Concurrency utilization (%)',
    period: Duration.minutes(1),
  });
}

/** Memory used in percent of the memory size (a token memory size as a string: see {@link concurrencyMetric}). */
function memoryUtilization(maxUsed: cloudwatch.Metric, memorySizeMiB: number): cloudwatch.MathExpression {
  const size = Token.isUnresolved(memorySizeMiB) ? Token.asString(memorySizeMiB) : `${memorySizeMiB}`;
  return new cloudwatch.MathExpression({
    expression: `100 * maxUsed / ${size}`,
    usingMetrics: { maxUsed },
    label: 'Memory utilization (%)',
    period: Duration.minutes(5),
  });
}

/** A reservation or provisioned concurrency is set: a token (a CfnParameter) counts, whatever its value. */
function isSet(value: number | undefined): boolean {
  return value !== undefined && (Token.isUnresolved(value) || value > 0);
}

function validate(errors: ValidationErrors, props: McpLambdaAlarmsProps): void {
  const memory = props.memorySizeMiB;
  if (!Token.isUnresolved(memory) && (!Number.isInteger(memory) || memory < 128 || memory > 10240)) {
    errors.check('cdk-mcp:alarmMemorySize', false, `\`memorySizeMiB\` is ${memory}; Lambda memory is a whole number of MiB from 128 to 10240.`);
  }
  for (const [name, value] of [
    ['reservedConcurrentExecutions', props.reservedConcurrentExecutions],
    ['provisionedConcurrentExecutions', props.provisionedConcurrentExecutions],
  ] as const) {
    if (value !== undefined && !Token.isUnresolved(value) && (!Number.isInteger(value) || value < 0)) {
      errors.check('cdk-mcp:alarmConcurrency', false, `\`${name}\` is ${value}; use a whole number of at least 0.`);
    }
  }
  errors.check('cdk-mcp:alarmTimeoutToken', !props.timeout.isUnresolved(), '`timeout` is a token; the duration alarm\'s threshold is derived from it at synth time. Pass a concrete Duration.');
  errors.check('cdk-mcp:provisionedWithoutAlias', !(props.provisionedConcurrentExecutions && props.serverAlias === undefined),
    '`provisionedConcurrentExecutions` is set without `serverAlias`; provisioned concurrency lives on an alias, pass it.');
}
