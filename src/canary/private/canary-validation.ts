import { Token } from 'aws-cdk-lib';

/** Characters CloudWatch accepts in a namespace, minus `/` (a service name is one path segment). */
const SERVICE_NAME = /^[A-Za-z0-9 ._#:-]{1,255}$/;
/** Characters CloudWatch accepts in a namespace. */
const NAMESPACE = /^[A-Za-z0-9 ._#:/-]{1,255}$/;

/**
 * Problems with a service name used as the `ServiceName` metric dimension and as a segment of the
 * log-metric namespace. Tokens are not checked.
 */
export function validateServiceName(propName: string, value: string): string[] {
  if (Token.isUnresolved(value)) {
    return [];
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes('://')) {
    return [`\`${propName}\` is '${value}', which is a URL; use a short stable name such as 'orders-mcp' (dimensions must stay low-cardinality and free of secrets).`];
  }
  if (!SERVICE_NAME.test(value) || value.trim() !== value) {
    return [`\`${propName}\` is '${value}'; use 1 to 255 letters, digits, spaces or . _ - # : (no leading or trailing space), e.g. 'orders-mcp'.`];
  }
  return [];
}

/** Problems with a CloudWatch namespace. Tokens are not checked. */
export function validateMetricNamespace(propName: string, value: string): string[] {
  if (Token.isUnresolved(value)) {
    return [];
  }
  if (!NAMESPACE.test(value) || value.startsWith('AWS/') || value.trim() !== value) {
    return [`\`${propName}\` is '${value}'; a CloudWatch namespace has 1 to 255 letters, digits, spaces or . _ - / # :, and must not start with 'AWS/'.`];
  }
  return [];
}

/**
 * The interval of an EventBridge `rate(...)` expression in minutes, or undefined for cron
 * expressions and tokens.
 */
export function parseRateMinutes(expression: string): number | undefined {
  if (Token.isUnresolved(expression)) {
    return undefined;
  }
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) {
    return undefined;
  }
  const amount = Number(match[1]);
  const unit = match[2];
  if (unit.startsWith('minute')) return amount;
  if (unit.startsWith('hour')) return amount * 60;
  return amount * 60 * 24;
}
