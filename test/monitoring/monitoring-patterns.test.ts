import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { McpLambdaAlarms, McpServiceMonitoring } from '../../src';
import { matchesFilterPattern, metricValueOf } from '../support/cloudwatch-filter-pattern';
import { LAMBDA_OPT_IN, withOptInAlarms } from '../support/kit';

interface MetricFilterProperties {
  readonly FilterPattern: string;
  readonly MetricTransformations: Array<{ MetricName: string; MetricValue: string }>;
}

/** Real log lines, as Lambda and MCP servers write them. */
const SAMPLES = {
  /** Lambda JSON log format: the platform report of a normal invocation. */
  jsonReport: JSON.stringify({
    time: '2026-11-21T10:15:02.318Z',
    type: 'platform.report',
    record: {
      requestId: '6f7f0961-7c2c-4f3b-a5b5-0d3c1a9e2f11',
      metrics: { durationMs: 182.41, billedDurationMs: 183, memorySizeMB: 1024, maxMemoryUsedMB: 931, initDurationMs: 412.7 },
      status: 'success',
    },
  }),
  /** Lambda JSON log format: the platform report of a timed-out invocation. */
  jsonTimeoutReport: JSON.stringify({
    time: '2026-11-21T10:16:02.318Z',
    type: 'platform.report',
    record: {
      requestId: '0b1d7d27-93a4-4a8e-9d0c-5a7bfb3f4c20',
      metrics: { durationMs: 60000, billedDurationMs: 60000, memorySizeMB: 1024, maxMemoryUsedMB: 210 },
      status: 'timeout',
    },
  }),
  /** Lambda JSON log format: an out-of-memory exit. */
  jsonOomReport: JSON.stringify({
    time: '2026-11-21T10:17:02.318Z',
    type: 'platform.report',
    record: {
      requestId: '2c6d7a56-1e0f-4c47-8a53-5b8a3d1e9f77',
      metrics: { durationMs: 911.2, billedDurationMs: 912, memorySizeMB: 1024, maxMemoryUsedMB: 1024 },
      status: 'error',
      errorType: 'Runtime.OutOfMemory',
    },
  }),
  /** Lambda Text log format: the REPORT line (tab-separated). */
  textReport: 'REPORT RequestId: 6f7f0961-7c2c-4f3b-a5b5-0d3c1a9e2f11\tDuration: 182.41 ms\tBilled Duration: 183 ms\tMemory Size: 1024 MB\tMax Memory Used: 931 MB\tInit Duration: 412.70 ms\t',
  /** The runtime's timeout line. */
  textTimeout: '2026-11-21T10:16:02.318Z 0b1d7d27-93a4-4a8e-9d0c-5a7bfb3f4c20 Task timed out after 60.00 seconds',
  /** The runtime killed for memory (text format). */
  textKilled: 'RequestId: 2c6d7a56-1e0f-4c47-8a53-5b8a3d1e9f77 Error: Runtime exited with error: signal: killed\nRuntime.ExitError',
  /** V8 running out of heap inside the server. */
  v8Heap: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
  /** A tool call failing on the server's IAM permissions (JSON application log). */
  accessDeniedTool: JSON.stringify({
    timestamp: '2026-11-21T10:18:00.000Z',
    level: 'ERROR',
    requestId: '7a1c',
    message: 'tool list_tables failed: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/mcp-server/fn is not authorized to perform: dynamodb:ListTables on resource: *',
  }),
  /** S3's variant: code AccessDenied, same "not authorized to perform" phrase. */
  s3AccessDenied: 'ERROR tool get_object: AccessDenied: User: arn:aws:sts::123456789012:assumed-role/mcp-server/fn is not authorized to perform: s3:GetObject',
  /** Expired credentials. */
  expiredToken: 'ERROR tool query: ExpiredTokenException: The security token included in the request is expired',
  /** Ordinary lines that must match nothing. */
  ordinary: [
    JSON.stringify({ timestamp: '2026-11-21T10:18:00.000Z', level: 'INFO', message: 'tools/list served 4 tools in 3 ms' }),
    JSON.stringify({ timestamp: '2026-11-21T10:18:00.000Z', level: 'INFO', message: 'request timeout set to 30 s; memory 1024 MB' }),
    JSON.stringify({ time: '2026-11-21T10:15:00.000Z', type: 'platform.start', record: { requestId: 'x', version: '$LATEST' } }),
    'START RequestId: 6f7f0961-7c2c-4f3b-a5b5-0d3c1a9e2f11 Version: 7',
  ],
};

describe('the CloudWatch filter-pattern evaluator', () => {
  test('term patterns: all plain terms must occur, case-sensitive', () => {
    expect(matchesFilterPattern('ERROR timeout', 'ERROR: request timeout')).toBe(true);
    expect(matchesFilterPattern('ERROR timeout', 'ERROR: request failed')).toBe(false);
    expect(matchesFilterPattern('ERROR', 'error: lower case')).toBe(false);
  });

  test('term patterns: a quoted phrase matches as a whole, ? terms are alternatives, - terms exclude', () => {
    expect(matchesFilterPattern('"Task timed out"', 'x Task timed out after 3.00 seconds')).toBe(true);
    expect(matchesFilterPattern('"Task timed out"', 'Task was timed out')).toBe(false);
    expect(matchesFilterPattern('?"a b" ?c', 'xx c yy')).toBe(true);
    expect(matchesFilterPattern('?"a b" ?c', 'a x b')).toBe(false);
    expect(matchesFilterPattern('ERROR -retrying', 'ERROR retrying')).toBe(false);
    expect(matchesFilterPattern('', 'anything')).toBe(true);
  });

  test('JSON patterns: string equality with wildcards, numeric comparisons, && before ||, parentheses', () => {
    const event = JSON.stringify({ a: { b: 'platform.report', n: 5 }, list: [{ x: 'y' }] });
    expect(matchesFilterPattern('{ $.a.b = "platform.report" }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.a.b = "platform.*" }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.a.b = "platform" }', event)).toBe(false);
    expect(matchesFilterPattern('{ $.a.b != "platform" }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.a.n > 4 && $.a.n <= 5 }', event)).toBe(true);
    expect(matchesFilterPattern('{ $.a.n > 5 }', event)).toBe(false);
    expect(matchesFilterPattern('{ $.a.n = 1 || $.a.n = 2 && $.a.b = "x" }', event)).toBe(false);
    expect(matchesFilterPattern('{ $.a.n = 5 || $.a.n = 2 && $.a.b = "x" }', event)).toBe(true);
    expect(matchesFilterPattern('{ ($.a.n = 5 || $.a.n = 2) && $.a.b = "x" }', event)).toBe(false);
    expect(matchesFilterPattern('{ $.list[0].x = "y" }', event)).toBe(true);
  });

  test('JSON patterns: missing fields and non-JSON events never match', () => {
    expect(matchesFilterPattern('{ $.missing > 0 }', '{"a":1}')).toBe(false);
    expect(matchesFilterPattern('{ $.a > 0 }', 'a = 1')).toBe(false);
    expect(matchesFilterPattern('{ $.a > 0 }', '{"a":"5"}')).toBe(false);
  });

  test('metric values: a literal, or a number selected from the event', () => {
    expect(metricValueOf('{ $.a > 0 }', '$.a', '{"a":42}')).toBe(42);
    expect(metricValueOf('{ $.a > 0 }', '1', '{"a":42}')).toBe(1);
    expect(metricValueOf('{ $.a > 100 }', '$.a', '{"a":42}')).toBeUndefined();
  });

  test('rejects syntax it does not implement instead of guessing', () => {
    expect(() => matchesFilterPattern('[ip, user, ...]', 'x')).toThrow(/space-delimited/);
    expect(() => matchesFilterPattern('{ $.a IS NULL }', '{}')).toThrow(/unsupported syntax/);
  });
});

describe('the deployed metric filters against real log lines', () => {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const serverLogGroup = new logs.LogGroup(stack, 'Logs');
  const monitoring = new McpServiceMonitoring(stack, 'Monitoring', { serviceName: 'orders-mcp', url: 'https://mcp.example.com/mcp', serverLogGroup });
  const fn = new lambda.Function(stack, 'Server', {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>{}'), memorySize: 1024,
  });
  // The opt-in log alarms on too: the patterns are under test, whether or not they are defaults.
  new McpLambdaAlarms(stack, 'LambdaAlarms', withOptInAlarms({
    monitoring, serverFunction: fn, timeout: Duration.seconds(60), memorySizeMiB: 1024, serverLogGroup,
  }, LAMBDA_OPT_IN));
  const filters = Object.values(Template.fromStack(stack).findResources('AWS::Logs::MetricFilter')).map((r) => {
    const props = (r as { Properties: MetricFilterProperties }).Properties;
    const [transformation] = props.MetricTransformations;
    return { pattern: props.FilterPattern, metricName: transformation.MetricName, metricValue: transformation.MetricValue };
  });

  /** What each metric would receive for one log event: metric name -> summed value. */
  const published = (event: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const f of filters) {
      const value = metricValueOf(f.pattern, f.metricValue, event);
      if (value !== undefined) out[f.metricName] = (out[f.metricName] ?? 0) + value;
    }
    return out;
  };

  test('the template holds the four filters (every alarm on) and the three of the tool metrics (toolMetrics)', () => {
    expect(filters.map((f) => f.metricName).sort()).toEqual([
      'AwsCredentialErrors', 'LambdaMaxMemoryUsed', 'LambdaOutOfMemory', 'LambdaTimeouts', 'ToolCalls', 'ToolDuration', 'ToolServerErrors',
    ]);
  });

  test('a JSON platform report publishes max memory used, and nothing else', () => {
    expect(published(SAMPLES.jsonReport)).toEqual({ LambdaMaxMemoryUsed: 931 });
  });

  test('the Text-format REPORT line is not read (the memory filter needs the JSON log format)', () => {
    expect(published(SAMPLES.textReport)).toEqual({});
  });

  test('a timed-out invocation counts once: its JSON platform report, not also the "Task timed out" text line', () => {
    expect(published(SAMPLES.jsonTimeoutReport)).toEqual({ LambdaMaxMemoryUsed: 210, LambdaTimeouts: 1 });
    expect(published(SAMPLES.textTimeout)).toEqual({});
  });

  test('out-of-memory exits count in every form', () => {
    expect(published(SAMPLES.jsonOomReport)).toEqual({ LambdaMaxMemoryUsed: 1024, LambdaOutOfMemory: 1 });
    expect(published(SAMPLES.textKilled)).toEqual({ LambdaOutOfMemory: 1 });
    expect(published(SAMPLES.v8Heap)).toEqual({ LambdaOutOfMemory: 1 });
  });

  test('AWS credential failures in tool calls count, in JSON and text logs', () => {
    expect(published(SAMPLES.accessDeniedTool)).toEqual({ AwsCredentialErrors: 1 });
    expect(published(SAMPLES.s3AccessDenied)).toEqual({ AwsCredentialErrors: 1 });
    expect(published(SAMPLES.expiredToken)).toEqual({ AwsCredentialErrors: 1 });
  });

  test('ordinary log lines publish nothing', () => {
    for (const line of SAMPLES.ordinary) {
      expect(published(line)).toEqual({});
    }
  });
});
