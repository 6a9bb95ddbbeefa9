/**
 * A loopback fake of the AWS endpoints the operator commands call, speaking the wire protocols
 * the real SDK clients use: CloudWatch over AWS JSON 1.0 (`X-Amz-Target:
 * GraniteServiceVersion20100801.<Op>`, query-compatible errors in `x-amzn-query-error`, gzip
 * bodies for large PutMetricData), Lambda over REST-JSON, and CloudFormation over the AWS query
 * protocol (form-encoded `Action=DescribeStacks`, XML answers). A small metric store answers
 * PutMetricData, GetMetricData (MetricStat queries), ListMetrics; alarms are set by the test.
 * Every request is recorded; a test may script an answer per call to inject errors.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A recorded request. */
export interface FakeRequest {
  readonly service: 'cloudwatch' | 'lambda' | 'cloudformation';
  /** CloudWatch or CloudFormation operation (`PutMetricData`, `DescribeStacks`) or Lambda `METHOD /path`. */
  readonly operation: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The parsed JSON body (CloudWatch), or undefined. */
  readonly input: Record<string, unknown> | undefined;
  readonly url: string;
}

/** A scripted answer. */
export interface FakeAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

type Dimensions = Array<{ Name: string; Value: string }>;

/** One stored datapoint. */
export interface Datapoint {
  readonly namespace: string;
  readonly metric: string;
  readonly dimensions: Dimensions;
  /** Epoch ms. */
  readonly timestamp: number;
  readonly value: number;
}

/** A fake Lambda function. */
export interface FakeFunction {
  readonly FunctionName: string;
  readonly FunctionArn: string;
  readonly Environment?: { Variables: Record<string, string> };
  /** Answers an invocation. */
  readonly invoke?: (payload: string) => { payload: unknown; functionError?: string; log?: string };
}

/** A fake CloudFormation stack: its name and outputs. */
export interface FakeStack {
  readonly StackName: string;
  readonly Outputs: ReadonlyArray<{ readonly OutputKey: string; readonly OutputValue: string }>;
}

/** The fake. */
export interface FakeAws {
  readonly endpoint: string;
  readonly requests: FakeRequest[];
  readonly datapoints: Datapoint[];
  metricAlarms: Array<Record<string, unknown>>;
  compositeAlarms: Array<Record<string, unknown>>;
  functions: FakeFunction[];
  /** Stacks DescribeStacks answers for. */
  stacks: FakeStack[];
  /** Page sizes: DescribeAlarms records, ListMetrics metrics, GetMetricData datapoints, ListFunctions functions. */
  pageSize: { describeAlarms: number; listMetrics: number; getMetricData: number; listFunctions: number };
  /** Answers to use first, by operation, in order (then the store answers). */
  script: Map<string, FakeAnswer[]>;
  /** CloudWatch requests of one operation, parsed. */
  calls(operation: string): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** A CloudWatch error as the query-compatible JSON protocol sends it. */
export function cloudWatchError(status: number, code: string, message: string): FakeAnswer {
  return {
    status,
    body: { __type: `com.amazonaws.cloudwatch#${code}`, message },
    headers: { 'x-amzn-query-error': `${code};Sender` },
  };
}

/** A Lambda error as REST-JSON sends it. */
export function lambdaError(status: number, code: string, message: string): FakeAnswer {
  return { status, body: { Type: 'User', message }, headers: { 'x-amzn-errortype': code } };
}

function sameDimensions(a: Dimensions, b: Dimensions): boolean {
  return a.length === b.length && a.every((d) => b.some((e) => e.Name === d.Name && e.Value === d.Value));
}

function statistic(values: number[], stat: string): number {
  const sorted = [...values].sort((x, y) => x - y);
  switch (stat) {
    case 'Maximum': return sorted[sorted.length - 1];
    case 'Minimum': return sorted[0];
    case 'Sum': return values.reduce((a, b) => a + b, 0);
    case 'SampleCount': return values.length;
    case 'Average': return values.reduce((a, b) => a + b, 0) / values.length;
    default: {
      const p = /^p(\d+(?:\.\d+)?)$/.exec(stat);
      if (!p) throw new Error(`fake: unsupported statistic ${stat}`);
      return sorted[Math.max(0, Math.ceil((Number(p[1]) / 100) * sorted.length) - 1)];
    }
  }
}

/** Starts the fake on 127.0.0.1. */
export async function startFakeAws(): Promise<FakeAws> {
  const requests: FakeRequest[] = [];
  const fake: FakeAws = {
    endpoint: '',
    requests,
    datapoints: [],
    metricAlarms: [],
    compositeAlarms: [],
    functions: [],
    stacks: [],
    pageSize: { describeAlarms: 100, listMetrics: 500, getMetricData: 100_800, listFunctions: 50 },
    script: new Map(),
    calls: (operation) => requests.filter((r) => r.service === 'cloudwatch' && r.operation === operation).map((r) => r.input!),
    close: async () => undefined,
  };

  const page = <T>(items: T[], token: unknown, size: number): { items: T[]; next?: string } => {
    const start = typeof token === 'string' ? Number(token) : 0;
    const end = start + size;
    return { items: items.slice(start, end), ...(end < items.length ? { next: String(end) } : {}) };
  };

  const cloudwatch = (op: string, input: Record<string, unknown>): unknown => {
    switch (op) {
      case 'PutMetricData': {
        for (const d of input.MetricData as Array<Record<string, unknown>>) {
          fake.datapoints.push({
            namespace: input.Namespace as string,
            metric: d.MetricName as string,
            dimensions: (d.Dimensions ?? []) as Dimensions,
            timestamp: (d.Timestamp as number) * 1000,
            value: d.Value as number,
          });
        }
        return {};
      }
      case 'ListMetrics': {
        const filters = (input.Dimensions ?? []) as Array<{ Name: string; Value?: string }>;
        const seen = new Map<string, Record<string, unknown>>();
        for (const d of fake.datapoints) {
          if (d.namespace !== input.Namespace || (input.MetricName && d.metric !== input.MetricName)) continue;
          if (!filters.every((f) => d.dimensions.some((e) => e.Name === f.Name && (f.Value === undefined || e.Value === f.Value)))) continue;
          seen.set(JSON.stringify([d.metric, d.dimensions]), { Namespace: d.namespace, MetricName: d.metric, Dimensions: d.dimensions });
        }
        const { items, next } = page([...seen.values()], input.NextToken, fake.pageSize.listMetrics);
        return { Metrics: items, ...(next ? { NextToken: next } : {}) };
      }
      case 'GetMetricData': {
        const start = (input.StartTime as number) * 1000;
        const end = (input.EndTime as number) * 1000;
        const results: Array<{ Id: string; Label: string; Timestamps: number[]; Values: number[]; StatusCode: string }> = [];
        for (const q of input.MetricDataQueries as Array<Record<string, any>>) {
          const { Metric, Period, Stat } = q.MetricStat;
          const buckets = new Map<number, number[]>();
          for (const d of fake.datapoints) {
            const same = d.namespace === Metric.Namespace && d.metric === Metric.MetricName && sameDimensions(d.dimensions, Metric.Dimensions ?? []);
            if (!same) continue;
            if (d.timestamp < start || d.timestamp >= end) continue;
            const t = start + Math.floor((d.timestamp - start) / (Period * 1000)) * Period * 1000;
            buckets.set(t, [...(buckets.get(t) ?? []), d.value]);
          }
          const times = [...buckets.keys()].sort((a, b) => (input.ScanBy === 'TimestampAscending' ? a - b : b - a));
          results.push({ Id: q.Id, Label: Metric.MetricName, Timestamps: times.map((t) => t / 1000), Values: times.map((t) => statistic(buckets.get(t)!, Stat)), StatusCode: 'Complete' });
        }
        // Pages cut the datapoints of all results at `getMetricData` per page, as CloudWatch does.
        const offset = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
        let index = 0;
        const out = [];
        for (const r of results) {
          const from = Math.max(0, offset - index);
          const to = Math.min(r.Values.length, offset + fake.pageSize.getMetricData - index);
          index += r.Values.length;
          if (from >= r.Values.length || to <= from) {
            if (r.Values.length === 0 && offset === 0) out.push(r);
            continue;
          }
          out.push({ ...r, Timestamps: r.Timestamps.slice(from, to), Values: r.Values.slice(from, to), StatusCode: to < r.Values.length ? 'PartialData' : 'Complete' });
        }
        const nextOffset = offset + fake.pageSize.getMetricData;
        return { MetricDataResults: out, Messages: [], ...(nextOffset < index ? { NextToken: String(nextOffset) } : {}) };
      }
      case 'DescribeAlarms': {
        const types = (input.AlarmTypes ?? ['MetricAlarm']) as string[];
        const names = input.AlarmNames as string[] | undefined;
        const all = [
          ...(types.includes('MetricAlarm') ? fake.metricAlarms.map((a) => ['m', a] as const) : []),
          ...(types.includes('CompositeAlarm') ? fake.compositeAlarms.map((a) => ['c', a] as const) : []),
        ].filter(([, a]) => !names || names.includes(a.AlarmName as string));
        const { items, next } = page(all, input.NextToken, Math.min(fake.pageSize.describeAlarms, (input.MaxRecords as number | undefined) ?? 50));
        return {
          MetricAlarms: items.filter(([k]) => k === 'm').map(([, a]) => a),
          CompositeAlarms: items.filter(([k]) => k === 'c').map(([, a]) => a),
          ...(next ? { NextToken: next } : {}),
        };
      }
      default:
        throw new Error(`fake: unsupported CloudWatch operation ${op}`);
    }
  };

  const lambda = (method: string, url: URL, body: string): FakeAnswer => {
    if (method === 'GET' && /^\/2015-03-31\/functions\/?$/.test(url.pathname)) {
      const size = Math.min(fake.pageSize.listFunctions, Number(url.searchParams.get('MaxItems') ?? 50));
      const { items, next } = page(fake.functions, url.searchParams.get('Marker') ?? undefined, size);
      return { status: 200, body: { Functions: items.map(({ invoke: _invoke, ...f }) => f), ...(next ? { NextMarker: next } : {}) } };
    }
    const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
    if (method === 'POST' && invoke) {
      const name = decodeURIComponent(invoke[1]);
      const fn = fake.functions.find((f) => f.FunctionArn === name || f.FunctionName === name);
      if (!fn) return lambdaError(404, 'ResourceNotFoundException', `Function not found: ${name}`);
      const out = fn.invoke?.(body) ?? { payload: null };
      return {
        status: 200,
        body: out.payload,
        headers: {
          'x-amz-executed-version': '$LATEST',
          ...(out.functionError ? { 'x-amz-function-error': out.functionError } : {}),
          ...(out.log ? { 'x-amz-log-result': Buffer.from(out.log).toString('base64') } : {}),
        },
      };
    }
    return lambdaError(404, 'UnknownOperationException', `fake: no route ${method} ${url.pathname}`);
  };

  const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  /** CloudFormation's query protocol: form-encoded input, XML output and errors. */
  const cloudformation = (form: URLSearchParams): FakeAnswer & { body: string } => {
    const ns = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
    const stack = fake.stacks.find((st) => st.StackName === form.get('StackName'));
    if (form.get('Action') !== 'DescribeStacks' || !stack) {
      const message = stack ? `fake: unsupported action ${form.get('Action')}` : `Stack with id ${form.get('StackName')} does not exist`;
      return { status: 400, body: `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>${xml(message)}</Message></Error><RequestId>fake</RequestId></ErrorResponse>` };
    }
    const outputs = stack.Outputs.map((o) => `<member><OutputKey>${xml(o.OutputKey)}</OutputKey><OutputValue>${xml(o.OutputValue)}</OutputValue></member>`).join('');
    return {
      status: 200,
      body: `<DescribeStacksResponse xmlns="${ns}"><DescribeStacksResult><Stacks><member><StackName>${xml(stack.StackName)}</StackName>`
        + `<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/${xml(stack.StackName)}/fake</StackId><CreationTime>2026-01-01T00:00:00Z</CreationTime>`
        + `<StackStatus>CREATE_COMPLETE</StackStatus><Outputs>${outputs}</Outputs></member></Stacks></DescribeStacksResult>`
        + '<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></DescribeStacksResponse>',
    };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let raw = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      const body = raw.toString('utf8');
      const target = req.headers['x-amz-target'];
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        const form = new URLSearchParams(body);
        requests.push({ service: 'cloudformation', operation: form.get('Action') ?? '', headers: req.headers, body, input: Object.fromEntries(form), url: req.url ?? '' });
        const answer = cloudformation(form);
        res.writeHead(answer.status, { 'content-type': 'text/xml' });
        res.end(answer.body);
        return;
      }
      const isCloudWatch = typeof target === 'string';
      const operation = isCloudWatch ? target.split('.').pop()! : `${req.method} ${url.pathname}`;
      const input = isCloudWatch && body ? (JSON.parse(body) as Record<string, unknown>) : undefined;
      requests.push({ service: isCloudWatch ? 'cloudwatch' : 'lambda', operation, headers: req.headers, body, input, url: req.url ?? '' });
      const scripted = fake.script.get(isCloudWatch ? operation : operation.split(' ')[1].split('/').pop() === 'invocations' ? 'Invoke' : 'ListFunctions')?.shift();
      let answer: FakeAnswer;
      try {
        answer = scripted ?? (isCloudWatch ? { status: 200, body: cloudwatch(operation, input ?? {}) } : lambda(req.method ?? '', url, body));
      } catch (e) {
        answer = cloudWatchError(400, 'InvalidParameterValue', (e as Error).message);
      }
      const type = isCloudWatch ? 'application/x-amz-json-1.0' : 'application/json';
      res.writeHead(answer.status, { 'content-type': type, ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
}
