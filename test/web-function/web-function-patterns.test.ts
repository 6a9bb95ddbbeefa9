import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { McpWebFunctionCode, McpWebFunctionService } from '../../src';
import { matchesFilterPattern } from '../support/cloudwatch-filter-pattern';
import { WEB_FUNCTION_OPT_IN, withOptInAlarms } from '../support/kit';

const SERVER_DIR = path.join(__dirname, '..', 'fixtures', 'web-function-server');

/**
 * Sample records in the Web Function log shapes the sources give (LAMBDA-WEB-FUNCTIONS.md §4.2):
 * system records `{type, record}` (web-functions-logging-system-log-schema; initReport shapes from
 * the AWS skill references/deployment.md@6837e08 and observability.md@5afd317) and application
 * lines `{timestamp, level, message, requestId, endpointName, region}` (observability.md@5afd317).
 */
const SAMPLES = {
  initFailure: JSON.stringify({
    time: '2026-11-21T10:15:02.318Z',
    type: 'platform.initReport',
    level: 'WARN',
    record: { functionName: 'orders-mcp', revisionId: '3', initializationType: 'native-http', status: 'failure', errorType: 'Application.InitCodeError', metrics: { durationMs: 10000 } },
  }),
  initSuccess: JSON.stringify({
    time: '2026-11-21T10:15:02.318Z',
    type: 'platform.initReport',
    level: 'INFO',
    record: { functionName: 'orders-mcp', revisionId: '3', initializationType: 'native-http', status: 'success', metrics: { durationMs: 412.7 } },
  }),
  initStart: JSON.stringify({
    time: '2026-11-21T10:15:01.900Z',
    type: 'platform.initStart',
    level: 'INFO',
    record: { functionName: 'orders-mcp', revisionId: '3', instanceId: 'i-1', initializationType: 'native-http' },
  }),
  appLine: JSON.stringify({ timestamp: '2026-11-21T10:15:03.000Z', level: 'INFO', message: 'GET /', requestId: 'NF5U6C', endpointName: 'default', region: 'us-east-1' }),
  /** Node's own message when V8 runs out of heap (written to stderr, the application log). */
  heapOom: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
  emfile: JSON.stringify({ timestamp: '2026-11-21T10:15:04.000Z', level: 'ERROR', message: 'Error: EMFILE: too many open files, open \'/tmp/x\'', requestId: 'NF5U6D' }),
  /** UNCONFIRMED shape: the error type of a non-streamed timeout, should the platform log it. */
  requestTimeout: JSON.stringify({ time: '2026-11-21T10:20:04.000Z', type: 'platform.requestComplete', record: { status: 'timeout', errorType: 'Runtime.RequestTimeout' } }),
  credential: JSON.stringify({ timestamp: '2026-11-21T10:15:05.000Z', level: 'ERROR', message: 'tool query: AccessDeniedException: User is not authorized to perform: dynamodb:Query', requestId: 'NF5U6E' }),
};

function filterPatterns(): Record<string, string> {
  const stack = new Stack(new App(), 'Stack');
  new McpWebFunctionService(stack, 'Mcp', { code: McpWebFunctionCode.fromDirectory(SERVER_DIR), ...withOptInAlarms({}, WEB_FUNCTION_OPT_IN) });
  const filters = Template.fromStack(stack).findResources('AWS::Logs::MetricFilter') as Record<string, { Properties: { FilterPattern: string; MetricTransformations: Array<{ MetricName: string }> } }>;
  return Object.fromEntries(Object.values(filters).map((f) => [f.Properties.MetricTransformations[0].MetricName, f.Properties.FilterPattern]));
}

const PATTERNS = filterPatterns();
const ALL = Object.values(SAMPLES);

function matching(metricName: string): string[] {
  const pattern = PATTERNS[metricName];
  expect(pattern).toBeDefined();
  return Object.entries(SAMPLES).filter(([, line]) => matchesFilterPattern(pattern, line)).map(([name]) => name);
}

describe('Web Function log metric filters against sample records', () => {
  test('a failed start (platform.initReport status failure) and nothing else counts as an init failure', () => {
    expect(matching('WebFunctionInitFailures')).toEqual(['initFailure']);
  });

  test('out of memory, EMFILE, request timeouts and credential errors match only their own lines', () => {
    expect(matching('WebFunctionOutOfMemory')).toEqual(['heapOom']);
    expect(matching('WebFunctionFileDescriptorExhaustion')).toEqual(['emfile']);
    expect(matching('WebFunctionRequestTimeouts')).toEqual(['requestTimeout']);
    expect(matching('AwsCredentialErrors')).toEqual(['credential']);
  });

  test('every filter pattern parses and the healthy records match none', () => {
    for (const pattern of Object.values(PATTERNS)) {
      for (const line of [SAMPLES.initSuccess, SAMPLES.initStart, SAMPLES.appLine]) {
        expect(matchesFilterPattern(pattern, line)).toBe(false);
      }
    }
    expect(ALL.length).toBeGreaterThan(5);
  });
});
