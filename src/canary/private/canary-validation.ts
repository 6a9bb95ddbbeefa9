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

/**
 * The shortest time between two runs of an EventBridge schedule, in minutes: the interval of a
 * `rate(...)`, or the smallest gap between two firing times of a `cron(...)` when its minute and
 * hour fields say so (`*`, `a-b`, `*\/n`, `a/n`, lists). Undefined for tokens and for
 * expressions it cannot read (then no overlap check is made).
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */
export function scheduleIntervalMinutes(expression: string): number | undefined {
  const rate = parseRateMinutes(expression);
  if (rate !== undefined || Token.isUnresolved(expression)) {
    return rate;
  }
  const cron = /^cron\((\S+) (\S+) \S+ \S+ \S+ \S+\)$/.exec(expression);
  if (!cron) {
    return undefined;
  }
  const minutes = cronValues(cron[1], 0, 59);
  const hours = cronValues(cron[2], 0, 23);
  if (!minutes || !hours) {
    return undefined;
  }
  // Every firing time of one day, in minutes since midnight; the gap wraps to the next day.
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m)).sort((a, b) => a - b);
  let gap = times[0] + 24 * 60 - times[times.length - 1];
  for (let i = 1; i < times.length; i++) {
    gap = Math.min(gap, times[i] - times[i - 1]);
  }
  return gap;
}

/** The values of one cron field (`*`, `n`, `a-b`, `*\/n`, `a/n`, `a-b/n`, lists), or undefined. */
function cronValues(field: string, min: number, max: number): number[] | undefined {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) {
      return undefined;
    }
    const start = match[1] === '*' ? min : Number(match[2]);
    const end = match[1] === '*' || (match[4] !== undefined && match[3] === undefined) ? max : Number(match[3] ?? match[2]);
    const step = Number(match[4] ?? 1);
    if (start < min || end > max || start > end || step < 1) {
      return undefined;
    }
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return [...values];
}
