import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  FILE_DESCRIPTOR_EXHAUSTION_PATTERN,
  INIT_FAILURE_PATTERN,
  REQUEST_TIMEOUT_PATTERN,
  WEB_OUT_OF_MEMORY_PATTERN,
} from './private/web-function-log-patterns';
import { AlarmSet } from '../monitoring/private/alarm-set';
import { addTable, count, logCount } from '../monitoring/private/alarm-table';
import { McpServiceMonitoring } from '../monitoring/service-monitoring';
import { McpCountThreshold } from '../monitoring/thresholds';

/**
 * The namespace of the Web Function request metrics, centralized in the function's home Region.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/web-functions-monitoring-metrics.html
 */
const WEB_FUNCTION_NAMESPACE = 'AWS/Lambda/Web';

/**
 * The platform alarms of an MCP server on a Web Function. Only metrics a source names are
 * alarmed on: `HTTPResponseStatusClass5XX` is the one the metrics page names; every other
 * `AWS/Lambda/Web` metric name is unconfirmed, so the rest are log alarms on the system log schema.
 */
export interface McpWebFunctionAlarmOptions {
  /**
   * 5xx responses of the endpoint (`AWS/Lambda/Web` `HTTPResponseStatusClass5XX`, dimensions
   * `FunctionName` and `EndpointName`). The metric is sparse (no datapoint without a 5xx), so
   * missing data is not breaching.
   *
   * @default - Sum above 0 for 1 of 1 five-minute datapoints, missing data not breaching
   */
  readonly http5xxAlarm?: McpCountThreshold;

  /**
   * Execution environments whose server failed to start (`platform.initReport` with a status other
   * than `success`). A failing revision still goes Active and takes all traffic: there is no health gate.
   *
   * @default - matching records above 0 for 1 of 1 five-minute datapoints
   */
  readonly initFailureAlarm?: McpCountThreshold;

  /**
   * Requests over the timeout (`Runtime.RequestTimeout` in the logs; its presence in the logs is
   * unconfirmed, the canary sees the 504 regardless).
   *
   * @default - matching log lines above 0 for 1 of 1 five-minute datapoints
   */
  readonly requestTimeoutsAlarm?: McpCountThreshold;

  /**
   * Out-of-memory exits (`JavaScript heap out of memory`, `Runtime.OutOfMemory`).
   *
   * @default - not created (opt-in: `{ enabled: true }`: an environment that runs out of memory answers 5xx, which the 5xx alarm sees); then matching log lines above 0 for 1 of 1 five-minute datapoints
   */
  readonly outOfMemoryAlarm?: McpCountThreshold;

  /**
   * File-descriptor exhaustion (`EMFILE`): an environment has 1,024 descriptors for all its
   * concurrent requests.
   *
   * @default - not created (opt-in: `{ enabled: true }`: exhausted descriptors fail requests with 5xx, which the 5xx alarm sees); then matching log lines above 0 for 1 of 1 five-minute datapoints
   */
  readonly fileDescriptorsAlarm?: McpCountThreshold;
}

/** Properties of {@link McpWebFunctionAlarms}. */
export interface McpWebFunctionAlarmsProps extends McpWebFunctionAlarmOptions {
  /** The service monitoring the alarms join (its composite alarm, topic, list and dashboard). */
  readonly monitoring: McpServiceMonitoring;

  /** The Web Function's name (the `FunctionName` dimension). */
  readonly webFunctionName: string;

  /** The endpoint's name (the `EndpointName` dimension). */
  readonly endpointName: string;

  /**
   * The Web Function's log group (the system log records are JSON).
   *
   * @default - no log-based alarms
   */
  readonly serverLogGroup?: logs.ILogGroup;
}

/**
 * The Web Function platform alarms of an MCP server: endpoint 5xx responses, failed starts,
 * request timeouts, out-of-memory exits and file-descriptor exhaustion. Every alarm joins the
 * service monitoring's composite alarm.
 */
export class McpWebFunctionAlarms extends Construct {
  /** Every alarm created here. */
  public readonly alarms: cloudwatch.IAlarm[];

  /** Endpoint 5xx responses, unless disabled. */
  public readonly http5xxAlarm?: cloudwatch.Alarm;

  /** Failed server starts, when a log group is given, unless disabled. */
  public readonly initFailureAlarm?: cloudwatch.Alarm;

  /** Request timeouts from the logs, when a log group is given, unless disabled. */
  public readonly requestTimeoutsAlarm?: cloudwatch.Alarm;

  /** Out-of-memory exits from the logs, when a log group is given, unless disabled. */
  public readonly outOfMemoryAlarm?: cloudwatch.Alarm;

  /** File-descriptor exhaustion from the logs, when a log group is given, unless disabled. */
  public readonly fileDescriptorsAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: McpWebFunctionAlarmsProps) {
    super(scope, id);
    const alarms = AlarmSet.forPlatform(this, 'McpWebFunctionAlarms', props.monitoring);
    this.alarms = alarms.alarms;
    const logGroup = props.serverLogGroup;

    Object.assign(this, addTable<McpWebFunctionAlarmOptions>(alarms, {
      http5xxAlarm: count({
        id: 'Http5xx',
        metric: this.metricHttp5xx(props, Duration.minutes(5)),
        summary: 'The MCP server\'s Web Function endpoint returns 5xx responses',
        firstCheck: 'the init-failure alarm (a server that never listens answers 502) and the lambda-web-error-type header of a failing request, then the log stream named by its lambda-web-logstream header.',
      }),
      // No log group, no log alarms (their thresholds are still checked).
      initFailureAlarm: logCount({ logGroup, patterns: { InitFailureFilter: INIT_FAILURE_PATTERN }, metricName: 'WebFunctionInitFailures' }, {
        id: 'InitFailures',
        summary: 'The MCP server does not start in its Web Function (platform.initReport failure); the revision still takes all traffic',
        firstCheck: 'the platform.initReport records (errorType) and the application lines before them: the server must listen on AWS_LAMBDA_HTTP_ENDPOINT within 10 seconds. Redeploy the previous code to roll back.',
      }),
      requestTimeoutsAlarm: logCount({ logGroup, patterns: { RequestTimeoutFilter: REQUEST_TIMEOUT_PATTERN }, metricName: 'WebFunctionRequestTimeouts' }, {
        id: 'RequestTimeouts',
        summary: 'MCP requests hit the Web Function timeout (504 Runtime.RequestTimeout; streamed responses are cut silently)',
        firstCheck: 'which tool call was running and the downstream service it waited on; then raise timeout (at most 15 minutes).',
      }),
      outOfMemoryAlarm: logCount({ logGroup, patterns: { OutOfMemoryFilter: WEB_OUT_OF_MEMORY_PATTERN }, metricName: 'WebFunctionOutOfMemory' }, {
        id: 'OutOfMemory',
        summary: 'The MCP server runs out of memory in its Web Function',
        firstCheck: 'the tool calls running then: all concurrent requests of an environment share its memory; lower maxConcurrencyPerEnvironment.',
        optIn: true,
      }),
      fileDescriptorsAlarm: logCount({ logGroup, patterns: { EmfileFilter: FILE_DESCRIPTOR_EXHAUSTION_PATTERN }, metricName: 'WebFunctionFileDescriptorExhaustion' }, {
        id: 'FileDescriptorExhaustion',
        summary: 'The MCP server runs out of file descriptors (EMFILE) in its Web Function',
        firstCheck: 'connections the server opens per request and never closes (HTTP agents without keep-alive, SSE streams); or lower maxConcurrencyPerEnvironment.',
        optIn: true,
      }),
    }, props));

    alarms.finish(() => [new cloudwatch.GraphWidget({
      title: 'Web Function endpoint 5xx',
      left: [this.metricHttp5xx(props, Duration.minutes(1))],
      width: 6,
    })]);
  }

  private metricHttp5xx(props: McpWebFunctionAlarmsProps, period: Duration): cloudwatch.Metric {
    // Name and dimensions: the metrics page and the aws-cdk-lib README ("FunctionName and EndpointName dimensions").
    return new cloudwatch.Metric({
      namespace: WEB_FUNCTION_NAMESPACE,
      metricName: 'HTTPResponseStatusClass5XX',
      dimensionsMap: { FunctionName: props.webFunctionName, EndpointName: props.endpointName },
      statistic: cloudwatch.Stats.SUM,
      period,
    });
  }
}
