/**
 * Reads an Embedded Metric Format log line the way CloudWatch Logs does: validates it against the
 * EMF specification and returns the metric datapoints it creates.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

/** One datapoint CloudWatch would extract. */
export interface EmfDatapoint {
  readonly namespace: string;
  readonly metricName: string;
  readonly unit: string | undefined;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
}

const UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits',
  'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second',
  'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second',
  'Terabits/Second', 'Count/Second', 'None',
]);

/**
 * The datapoints of one EMF log line.
 *
 * @throws when the line is not valid EMF (names the rule broken)
 */
export function extractEmfDatapoints(line: string): EmfDatapoint[] {
  const record = JSON.parse(line) as Record<string, unknown>;
  const aws = record._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (typeof aws !== 'object' || aws === null) throw new Error('EMF: missing _aws object');
  if (typeof aws.Timestamp !== 'number' || !Number.isInteger(aws.Timestamp)) throw new Error('EMF: _aws.Timestamp must be epoch milliseconds');
  if (!Array.isArray(aws.CloudWatchMetrics)) throw new Error('EMF: _aws.CloudWatchMetrics must be an array');
  const points: EmfDatapoint[] = [];
  for (const directive of aws.CloudWatchMetrics as Array<Record<string, unknown>>) {
    const namespace = directive.Namespace;
    if (typeof namespace !== 'string' || namespace.length < 1 || namespace.length > 255) throw new Error('EMF: Namespace must be a 1-255 character string');
    const dimensionSets = directive.Dimensions as unknown;
    if (!Array.isArray(dimensionSets)) throw new Error('EMF: Dimensions must be an array of dimension sets');
    const metrics = directive.Metrics as unknown;
    if (!Array.isArray(metrics) || metrics.length > 100) throw new Error('EMF: Metrics must be an array of at most 100 definitions');
    for (const set of dimensionSets as unknown[]) {
      if (!Array.isArray(set) || set.length > 30) throw new Error('EMF: a dimension set is an array of at most 30 names');
      const dimensions: Record<string, string> = {};
      for (const name of set as unknown[]) {
        const value = record[name as string];
        if (typeof name !== 'string' || typeof value !== 'string') throw new Error(`EMF: dimension ${String(name)} must reference a string member`);
        if (value.length < 1 || value.length > 1024) throw new Error(`EMF: dimension value of ${name} must be 1-1024 characters`);
        dimensions[name] = value;
      }
      for (const metric of metrics as Array<{ Name?: unknown; Unit?: unknown }>) {
        if (typeof metric.Name !== 'string' || metric.Name.length < 1 || metric.Name.length > 1024) throw new Error('EMF: metric Name must be 1-1024 characters');
        if (metric.Unit !== undefined && !UNITS.has(metric.Unit as string)) throw new Error(`EMF: unit ${String(metric.Unit)} is not a CloudWatch unit`);
        const value = record[metric.Name];
        if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`EMF: metric ${metric.Name} must reference a number member`);
        points.push({ namespace, metricName: metric.Name, unit: metric.Unit as string | undefined, dimensions, value });
      }
    }
  }
  return points;
}

/** A stable key of a metric (namespace, name, dimensions): each distinct key is one custom metric. */
export function metricKey(point: EmfDatapoint): string {
  const dims = Object.entries(point.dimensions).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',');
  return `${point.namespace}|${point.metricName}|${dims}`;
}
