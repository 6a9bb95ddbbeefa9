import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { toolMetricsCosts } from '../../scripts/cost/tool-metrics';
import { McpFargateService, McpServiceMonitoring } from '../../src';
import {
  CLIENT_FAULT_RPC_CODES, REQUEST_OUTCOMES, REQUEST_RECORD, REQUEST_RECORD_MARKER, REQUEST_RECORD_VERSION,
} from '../../src/contract/request-record';
import {
  DURATION_VALUE, MAX_FILTER_PATTERN_LENGTH, perToolPatterns, TOOL_DIMENSION_VALUE, TOOL_PATTERNS, TOOL_QUERIES,
} from '../../src/monitoring/private/tool-patterns';
import { matchesFilterPattern } from '../support/cloudwatch-filter-pattern';

const matches = matchesFilterPattern;

/** Sets a dotted contract path in a nested object (the record's JSON shape). */
function put(record: any, fieldPath: string, value: unknown): void {
  const keys = fieldPath.split('.');
  let o = record;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {});
  o[keys[keys.length - 1]] = value;
}

interface Fields {
  method?: string; tool?: string; registered?: boolean; outcome?: string; code?: number; errorType?: string; durationMs?: number; traceId?: string;
}

/** One recorded line, built from the contract's paths. */
function line(f: Fields): string {
  const r: any = {};
  put(r, REQUEST_RECORD.MARKER, REQUEST_RECORD_MARKER);
  put(r, REQUEST_RECORD.VERSION, REQUEST_RECORD_VERSION);
  put(r, REQUEST_RECORD.TIME, '2026-12-08T00:00:00.000Z');
  put(r, REQUEST_RECORD.METHOD, f.method ?? 'tools/call');
  if ((f.method ?? 'tools/call') === 'tools/call') {
    put(r, REQUEST_RECORD.TOOL, f.tool ?? 'search');
    put(r, REQUEST_RECORD.TOOL_REGISTERED, f.registered ?? true);
  }
  if (f.durationMs !== undefined || !('durationMs' in f)) put(r, REQUEST_RECORD.DURATION_MS, f.durationMs ?? 12);
  put(r, REQUEST_RECORD.OUTCOME, f.outcome ?? REQUEST_OUTCOMES.OK);
  if (f.errorType) put(r, REQUEST_RECORD.ERROR_TYPE, f.errorType);
  if (f.code !== undefined) put(r, REQUEST_RECORD.RPC_CODE, f.code);
  put(r, REQUEST_RECORD.PROTOCOL_VERSION, '2026-07-28');
  put(r, REQUEST_RECORD.ERA, 'modern');
  put(r, REQUEST_RECORD.CLIENT_NAME, 'probe');
  put(r, REQUEST_RECORD.TRACE_ID, f.traceId ?? '0af7651916cd43dd8448eb211c80319c');
  put(r, REQUEST_RECORD.REQUEST_ID, '1');
  return JSON.stringify(r);
}

const OK = line({});
const TOOL_ERROR_REGISTERED = line({ outcome: REQUEST_OUTCOMES.TOOL_ERROR, errorType: 'tool_error' });
const TOOL_ERROR_UNKNOWN_TOOL = line({ tool: 'made_up', registered: false, outcome: REQUEST_OUTCOMES.TOOL_ERROR, errorType: 'tool_error' });
const INTERNAL_ERROR = line({ outcome: REQUEST_OUTCOMES.ERROR, code: -32603, errorType: '-32603' });
const TIMEOUT_NO_CODE = line({ outcome: REQUEST_OUTCOMES.ERROR, errorType: 'TimeoutError' });
const CLIENT_FAULTS = CLIENT_FAULT_RPC_CODES.map((code) => line({ outcome: REQUEST_OUTCOMES.ERROR, code, errorType: String(code) }));
const TOOLS_LIST = line({ method: 'tools/list' });
const INITIALIZE_ERROR = line({ method: 'initialize', outcome: REQUEST_OUTCOMES.ERROR, code: -32603, errorType: '-32603' });
const NO_DURATION = line({ durationMs: undefined });
const NOT_A_RECORD = JSON.stringify({ level: 'info', msg: 'tools/call', mcp: { method: { name: 'tools/call' } } });

describe('the metric filter patterns read the request record', () => {
  test('calls: every tools/call record, nothing else', () => {
    for (const l of [OK, TOOL_ERROR_REGISTERED, TOOL_ERROR_UNKNOWN_TOOL, INTERNAL_ERROR, TIMEOUT_NO_CODE, ...CLIENT_FAULTS, NO_DURATION]) {
      expect(matches(TOOL_PATTERNS.calls, l)).toBe(true);
    }
    for (const l of [TOOLS_LIST, INITIALIZE_ERROR, NOT_A_RECORD]) expect(matches(TOOL_PATTERNS.calls, l)).toBe(false);
  });

  test('server errors: JSON-RPC errors except the client-fault codes, errors without a code, tool errors of registered tools', () => {
    for (const l of [TOOL_ERROR_REGISTERED, INTERNAL_ERROR, TIMEOUT_NO_CODE]) expect(matches(TOOL_PATTERNS.serverErrors, l)).toBe(true);
    for (const l of [OK, TOOL_ERROR_UNKNOWN_TOOL, ...CLIENT_FAULTS, TOOLS_LIST, INITIALIZE_ERROR, NOT_A_RECORD]) {
      expect(matches(TOOL_PATTERNS.serverErrors, l)).toBe(false);
    }
    // Every client-fault code of the contract is named in the pattern.
    for (const code of CLIENT_FAULT_RPC_CODES) expect(TOOL_PATTERNS.serverErrors).toContain(`!= ${code}`);
  });

  test('duration: the pattern matches the metric value field (= *), so a record without it publishes nothing', () => {
    expect(DURATION_VALUE).toBe(`$.${REQUEST_RECORD.DURATION_MS}`);
    expect(TOOL_PATTERNS.duration).toContain(`${DURATION_VALUE} = *`);
    expect(matches(TOOL_PATTERNS.duration, OK)).toBe(true);
    expect(matches(TOOL_PATTERNS.duration, NO_DURATION)).toBe(false);
    expect(matches(TOOL_PATTERNS.duration, TOOLS_LIST)).toBe(false);
  });

  test('every pattern fits in 1,024 characters', () => {
    for (const p of Object.values(TOOL_PATTERNS)) expect(p.length).toBeLessThanOrEqual(MAX_FILTER_PATTERN_LENGTH);
  });

  test('the shared evaluator knows the operators these patterns use, faithfully', () => {
    expect(matches('{ $.a IS TRUE }', '{"a":"true"}')).toBe(false);
    expect(matches('{ $.a NOT EXISTS }', '{"b":1}')).toBe(true);
    expect(matches('{ $.a NOT EXISTS }', '{"a":null}')).toBe(false);
    expect(matches('{ $.a = * }', '{"a":0}')).toBe(true);
    expect(matches('{ $.a != 1 }', '{}')).toBe(false);
  });
});

describe('per-tool patterns: only the listed, registered tools become dimension values', () => {
  const tools = Array.from({ length: 40 }, (_, i) => `tool_${i}.v1`);

  test('split into patterns of at most 1,024 characters, each tool in exactly one', () => {
    for (const kind of ['calls', 'serverErrors', 'duration'] as const) {
      const patterns = perToolPatterns(kind, tools);
      expect(patterns.length).toBeGreaterThan(1);
      for (const p of patterns) expect(p.length).toBeLessThanOrEqual(MAX_FILTER_PATTERN_LENGTH);
      for (const t of tools) {
        const l = line({ tool: t, outcome: REQUEST_OUTCOMES.ERROR, code: -32603 });
        expect(patterns.filter((p) => matches(p, l))).toHaveLength(1);
      }
    }
  });

  test('a client inventing 2,000 tool names creates no dimension value outside the list, even if the server marked them registered', () => {
    const patterns = (['calls', 'serverErrors', 'duration'] as const).flatMap((k) => perToolPatterns(k, tools));
    const values = new Set<string>();
    const lines = [
      ...Array.from({ length: 2000 }, (_, i) => line({ tool: `invented_${i}`, registered: false, outcome: REQUEST_OUTCOMES.TOOL_ERROR, errorType: 'tool_error' })),
      ...Array.from({ length: 2000 }, (_, i) => line({ tool: `invented_${i}`, registered: true })),
      ...tools.map((t) => line({ tool: t })),
      line({ tool: tools[0], registered: false }),
    ];
    for (const l of lines) {
      if (patterns.some((p) => matches(p, l))) values.add(JSON.parse(l).gen_ai.tool.name);
    }
    expect([...values].sort()).toEqual([...tools].sort());
    expect(values.size).toBeLessThan(1000);
  });
});

function monitoringStack(toolMetrics?: any, dashboard = false): Template {
  const stack = new Stack(new App(), 'S');
  const logGroup = new logs.LogGroup(stack, 'Server');
  new McpServiceMonitoring(stack, 'Watch', { url: 'https://mcp.example.com/mcp', serviceName: 'orders', serverLogGroup: logGroup, toolMetrics, dashboard });
  return Template.fromStack(stack);
}

describe('McpToolMetrics in the template', () => {
  test('by default: three dimensionless filters and five saved queries under orders/; no alarm (opt-in, for the $2.00 budget)', () => {
    const t = monitoringStack();
    expect(JSON.stringify(t.findResources('AWS::CloudWatch::Alarm'))).not.toContain('IF(calls');
    for (const [pattern, name, value, unit] of [
      [TOOL_PATTERNS.calls, 'ToolCalls', '1', 'Count'],
      [TOOL_PATTERNS.serverErrors, 'ToolServerErrors', '1', 'Count'],
      [TOOL_PATTERNS.duration, 'ToolDuration', DURATION_VALUE, 'Milliseconds'],
    ]) {
      t.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterPattern: pattern,
        MetricTransformations: [{ MetricNamespace: 'MCP/orders', MetricName: name, MetricValue: value, Unit: unit, Dimensions: Match.absent(), DefaultValue: Match.absent() }],
      });
    }
    const queries = Object.values(t.findResources('AWS::Logs::QueryDefinition')) as any[];
    expect(queries.map((q) => q.Properties.Name).sort()).toEqual([
      'orders/one trace id\'s requests', 'orders/requests per client', 'orders/slowest tools', 'orders/tools failing most', 'orders/tools: calls, errors, p95 per tool',
    ]);
    const trace = queries.find((q) => q.Properties.Name.includes('trace')).Properties.QueryString;
    expect(trace).toMatch(/^# Replace .*\nfields @timestamp.*\n\| filter record = "mcp\.server\.request" and trace_id = /);
    expect(t.findResources('AWS::CloudWatch::InsightRule')).toEqual({});
  });

  test('the error-rate alarm, enabled, joins the health composite', () => {
    const t = monitoringStack({ errorRateAlarm: { enabled: true } });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([Match.objectLike({ Id: 'expr_1', Expression: 'IF(calls >= 10, 100 * FILL(errors, 0) / calls)' })]),
    });
    const composite = JSON.stringify(t.findResources('AWS::CloudWatch::CompositeAlarm'));
    const [alarmId] = Object.keys(t.findResources('AWS::CloudWatch::Alarm', { Properties: { Metrics: Match.anyValue() } }))
      .filter((id) => id.includes('ToolErrorRate'));
    expect(alarmId).toBeDefined();
    expect(composite).toContain(alarmId);
  });

  test('the alarm math: a quiet server has no datapoint, a busy one is the percentage of server errors', () => {
    const t = monitoringStack({ errorRateAlarm: { enabled: true, minCalls: 20, maxErrorRatePercent: 2 } });
    const alarm = Object.values(t.findResources('AWS::CloudWatch::Alarm')).find((a: any) => a.Properties.Metrics?.some((m: any) => m.Expression?.startsWith('IF(calls'))) as any;
    expect(alarm.Properties.Threshold).toBe(2);
    const expression: string = alarm.Properties.Metrics.find((m: any) => m.Expression).Expression;
    // Evaluate the expression as CloudWatch would for one period (IF without else: no datapoint).
    const evaluate = (calls: number | undefined, errors: number | undefined) => {
      const IF = (cond: boolean, v: number) => (cond ? v : undefined);
      const FILL = (v: number | undefined, d: number) => v ?? d;
      if (calls === undefined) return undefined;
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      return new Function('IF', 'FILL', 'calls', 'errors', `return ${expression};`)(IF, FILL, calls, errors);
    };
    expect(evaluate(undefined, undefined)).toBeUndefined();
    expect(evaluate(19, 19)).toBeUndefined();
    expect(evaluate(20, undefined)).toBe(0);
    expect(evaluate(200, 5)).toBe(2.5);
    const metrics = alarm.Properties.Metrics.filter((m: any) => m.MetricStat)
      .map((m: any) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Stat]);
    expect(metrics.sort()).toEqual([['calls', 'ToolCalls', 'Sum'], ['errors', 'ToolServerErrors', 'Sum']]);
  });

  test('dashboard: calls and errors, p95, the alarm, and Logs Insights tables per tool and of the tools failing most', () => {
    const t = monitoringStack({ errorRateAlarm: { enabled: true } }, true);
    const body = JSON.stringify(t.findResources('AWS::CloudWatch::Dashboard'));
    for (const text of [
      'Tool calls and server errors (all tools)', 'Tool-call duration (p95, ms)', 'Calls, errors, p95 per tool (Logs Insights)',
      'Tools failing most (Logs Insights)', 'Tool server error rate (%)', 'pct(mcp.server.operation.duration_ms, 95) as p95_ms by gen_ai.tool.name',
    ]) expect(body).toContain(text);
  });

  test('opt-in per-tool metrics: ToolName dimension from the record, only for the listed tools; Contributor Insights keyed on registered tools', () => {
    const t = monitoringStack({ tools: ['search', 'fetch'], contributorInsights: true });
    const perTool = (Object.values(t.findResources('AWS::Logs::MetricFilter')) as any[])
      .filter((f) => f.Properties.MetricTransformations[0].Dimensions);
    expect(perTool).toHaveLength(3);
    for (const f of perTool) {
      expect(f.Properties.MetricTransformations[0].Dimensions).toEqual([{ Key: 'ToolName', Value: TOOL_DIMENSION_VALUE }]);
      expect(matches(f.Properties.FilterPattern, line({ tool: 'search', outcome: 'error', code: -32603 }))).toBe(true);
      expect(matches(f.Properties.FilterPattern, line({ tool: 'other', outcome: 'error', code: -32603 }))).toBe(false);
    }
    const rule = Object.values(t.findResources('AWS::CloudWatch::InsightRule'))[0] as any;
    const body = JSON.stringify(rule.Properties.RuleBody);
    expect(body).toContain('\\"Keys\\":[\\"$.gen_ai.tool.name\\"]');
    expect(body).toContain('\\"Match\\":\\"$.cdk_mcp.tool.registered\\",\\"In\\":[true]');
  });

  test('every kind with a log group gets it by default; enabled: false removes it', () => {
    const stack = new Stack(new App(), 'F');
    const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/mcp-server:1');
    new McpFargateService(stack, 'Mcp', { image, serviceName: 'orders' });
    Template.fromStack(stack).resourceCountIs('AWS::Logs::QueryDefinition', 5);
    const off = monitoringStack({ enabled: false });
    off.resourceCountIs('AWS::Logs::QueryDefinition', 0);
    expect(JSON.stringify(off.toJSON())).not.toContain('ToolCalls');
  });

  test('errors name the prop, the value and the fix', () => {
    expect(() => monitoringStack({ tools: ['has space'] })).toThrow(/toolMetrics\.tools contains "has space".*1 to 128 letters/);
    expect(() => monitoringStack({ tools: ['a', 'a'] })).toThrow(/toolMetrics\.tools lists a tool twice \(a\)/);
    expect(() => monitoringStack({ errorRateAlarm: { maxErrorRatePercent: 0 } })).toThrow(/toolMetrics\.errorRateAlarm\.maxErrorRatePercent is 0; use a percentage above 0/);
    expect(() => monitoringStack({ errorRateAlarm: { minCalls: 0.5 } })).toThrow(/toolMetrics\.errorRateAlarm\.minCalls is 0\.5/);
    const many = Array.from({ length: 400 }, (_, i) => `tool_number_${i}`);
    expect(() => monitoringStack({ tools: many })).toThrow(/toolMetrics\.tools lists 400 tools, which take \d+ metric filters.*at most 60/);
  });

  test('the saved queries read the contract\'s field paths', () => {
    expect(TOOL_QUERIES.failingMost.join('\n')).toContain(`${REQUEST_RECORD.RPC_CODE} not in [${CLIENT_FAULT_RPC_CODES.join(', ')}]`);
    expect(TOOL_QUERIES.trace.join('\n')).toContain(`${REQUEST_RECORD.TRACE_ID} = `);
    expect(TOOL_QUERIES.perClient.join('\n')).toContain(`by ${REQUEST_RECORD.CLIENT_NAME}, ${REQUEST_RECORD.CLIENT_VERSION}`);
  });
});

describe('npm run cost: the price of the opt-ins', () => {
  test('per-tool metrics for 10 and 50 tools (3 custom metrics a tool at $0.30), Contributor Insights at 10 million calls; docs/cost.md quotes them', () => {
    const costs = toolMetricsCosts();
    const totalOf = (prefix: string) => costs.find((c) => c.name.startsWith(prefix))!.lines.reduce((n, l) => n + l.monthly, 0);
    expect(totalOf('per-tool metrics for 10 tools')).toBeCloseTo(9.0, 6);
    expect(totalOf('per-tool metrics for 50 tools')).toBeCloseTo(45.0, 6);
    expect(totalOf('Contributor Insights rule')).toBeCloseTo(0.7, 6);
    const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'cost.md'), 'utf8').replace(/\s+/g, ' ');
    for (const figure of ['10 tools $9.00', '50 tools $45.00', 'Contributor Insights rule $0.70']) expect(page).toContain(figure);
  });
});
