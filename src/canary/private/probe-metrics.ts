import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { CANARY_DIMENSIONS, CANARY_METRICS } from '../../contract/canary-env';
import { McpProbeFailuresMetricOptions } from '../probe-metric-options';

/** A probe metric of one service, dimensioned by `ServiceName` (Average, 1 minute unless overridden). */
export function probeMetric(namespace: string, serviceName: string, metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace,
    metricName,
    dimensionsMap: { [CANARY_DIMENSIONS.SERVICE_NAME]: serviceName },
    period: Duration.minutes(1),
    statistic: cloudwatch.Stats.AVERAGE,
    ...props,
  });
}

/** `ProbeFailures` of one service: all of them, or one failure class (Sum, 1 minute). */
export function probeFailuresMetric(
  namespace: string,
  serviceName: string,
  options: McpProbeFailuresMetricOptions = {},
): cloudwatch.Metric {
  // failureClass selects the dimension; the rest are cloudwatch.MetricOptions.
  const { failureClass, ...props } = options;
  const dimensionsMap: { [name: string]: string } = { [CANARY_DIMENSIONS.SERVICE_NAME]: serviceName };
  if (failureClass !== undefined) {
    dimensionsMap[CANARY_DIMENSIONS.FAILURE_CLASS] = failureClass;
  }
  return probeMetric(namespace, serviceName, CANARY_METRICS.PROBE_FAILURES, { statistic: cloudwatch.Stats.SUM, dimensionsMap, ...props });
}
