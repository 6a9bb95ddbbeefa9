/**
 * Builds the one Embedded Metric Format record a canary run writes: the metrics CloudWatch
 * extracts, and the redacted probe result for humans, in the same JSON line. Pure.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import { CANARY_DIMENSIONS, CANARY_METRICS, CANARY_PHASE_METRICS, CanaryPhase, FAILED_SIDE_PROPERTY, FAILED_SIDES } from '../../src/contract/canary-env';
import { redact, type ProbeResult } from '../probe';
import type { CanaryConfig } from './config';
import { describeSide, failedSide } from './side';

/** A metric definition in an EMF directive. */
interface EmfMetric {
  readonly Name: string;
  readonly Unit: 'Milliseconds' | 'Count' | 'None';
}

/** One EMF directive: metrics emitted for each of its dimension sets. */
interface EmfDirective {
  readonly Namespace: string;
  readonly Dimensions: string[][];
  readonly Metrics: EmfMetric[];
}

/** The EMF record: `_aws` metadata, dimension values and metric values at the root, plus `probe`. */
export interface EmfRecord {
  readonly _aws: { readonly Timestamp: number; readonly CloudWatchMetrics: EmfDirective[] };
  readonly [key: string]: unknown;
}

/** The most tool names written to the log line (the count is always exact). */
export const MAX_LOGGED_TOOLS = 50;

/**
 * The EMF record of one probe run.
 *
 * @param config the canary's configuration
 * @param result what the probe found
 * @param timestamp when the run started (ms since the epoch)
 * @param secrets known secret values to redact from the human fields
 * @param origin what the probe of the origin found, when it ran (after a failed probe of the front door)
 */
export function buildEmfRecord(
  config: CanaryConfig, result: ProbeResult, timestamp: number, secrets: readonly string[] = [], origin?: ProbeResult,
): EmfRecord {
  const values: Record<string, number> = {};
  const metrics: EmfMetric[] = [];
  const put = (name: string, value: number | null, unit: EmfMetric['Unit']) => {
    if (value === null || !Number.isFinite(value)) return;
    values[name] = Math.round(value * 1000) / 1000;
    metrics.push({ Name: name, Unit: unit });
  };

  // Every metric is billed for each hour it is published in: only what the default alarms read
  // is published on every run (ProbeSuccess, ProbeLatency). ProbeFailures is published only by
  // failing runs, so it costs only in the hours something fails. The phase latencies, the tool
  // count and the certificate's days are in the `probe` field for Logs Insights, and metrics too
  // with detailed metrics on.
  put(CANARY_METRICS.PROBE_SUCCESS, result.ok ? 1 : 0, 'None');
  put(CANARY_METRICS.PROBE_LATENCY, result.timings.totalMs, 'Milliseconds');
  if (config.detailedMetrics) {
    for (const phase of Object.keys(CANARY_PHASE_METRICS) as CanaryPhase[]) {
      put(CANARY_PHASE_METRICS[phase], result.timings[phase], 'Milliseconds');
    }
    put(CANARY_METRICS.TOOL_COUNT, result.toolCount, 'Count');
    if (config.url.startsWith('https:')) {
      put(CANARY_METRICS.CERT_DAYS_REMAINING, result.certDaysRemaining, 'None');
    }
  }
  if (!result.ok) {
    put(CANARY_METRICS.PROBE_FAILURES, 1, 'Count');
  }
  // Only runs that probed the origin publish these: they cost only in the hours the front door fails.
  const side = origin ? failedSide(result, origin) : null;
  if (origin) {
    put(CANARY_METRICS.ORIGIN_PROBE_SUCCESS, origin.ok ? 1 : 0, 'None');
  }
  if (side === FAILED_SIDES.FRONT_DOOR) {
    put(CANARY_METRICS.FRONT_DOOR_FAILURES, 1, 'Count');
  }

  const directives: EmfDirective[] = [
    { Namespace: config.metricNamespace, Dimensions: [[CANARY_DIMENSIONS.SERVICE_NAME]], Metrics: metrics },
  ];
  if (!result.ok) {
    directives.push({
      Namespace: config.metricNamespace,
      Dimensions: [[CANARY_DIMENSIONS.SERVICE_NAME, CANARY_DIMENSIONS.FAILURE_CLASS]],
      Metrics: [{ Name: CANARY_METRICS.PROBE_FAILURES, Unit: 'Count' }],
    });
  }

  return {
    _aws: { Timestamp: timestamp, CloudWatchMetrics: directives },
    [CANARY_DIMENSIONS.SERVICE_NAME]: config.serviceName,
    [CANARY_DIMENSIONS.FAILURE_CLASS]: result.failureClass,
    ...(side !== null ? { [FAILED_SIDE_PROPERTY]: side } : {}),
    ...values,
    probe: {
      target: describeTarget(config.url, secrets),
      ok: result.ok,
      failureClass: result.failureClass,
      layer: result.layer,
      message: redact(result.message, secrets),
      era: result.era,
      protocolVersion: result.protocolVersion,
      server: result.server,
      frontDoor: result.frontDoor,
      httpStatus: result.httpStatus,
      toolCount: result.toolCount,
      tools: result.tools.slice(0, MAX_LOGGED_TOOLS),
      toolsHash: result.toolsHash,
      certDaysRemaining: result.certDaysRemaining,
      timings: result.timings,
      // A property, never a dimension (one value per run): the trace id the server's request
      // records of this run carry, so a failed run leads to the server's own lines in one query.
      traceId: result.traceId,
      transport: config.transport,
      auth: config.auth.mode,
      ...(origin && config.origin ? {
        failedSide: side,
        sideMessage: redact(describeSide(result, origin), secrets),
        origin: {
          target: describeTarget(config.origin.url, secrets),
          ok: origin.ok,
          failureClass: origin.failureClass,
          layer: origin.layer,
          message: redact(origin.message, secrets),
          era: origin.era,
          frontDoor: origin.frontDoor,
          httpStatus: origin.httpStatus,
          toolCount: origin.toolCount,
          toolsHash: origin.toolsHash,
          timings: origin.timings,
          auth: config.origin.auth.mode,
        },
      } : {}),
    },
  };
}

/** The target without credentials or query string (query values often carry keys). */
export function describeTarget(url: string, secrets: readonly string[] = []): string {
  try {
    const parsed = new URL(url);
    return redact(`${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?[QUERY]' : ''}`, secrets);
  } catch {
    return '[INVALID URL]';
  }
}
