import { Token } from 'aws-cdk-lib';

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
