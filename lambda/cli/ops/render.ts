/**
 * Small text renderers of the operator commands: sparklines, aligned tables, times. Pure.
 */

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * A unicode sparkline, one character per value; a missing value (null) is a space.
 *
 * @param min the value drawn as the lowest bar (default: the smallest value)
 * @param max the value drawn as the highest bar (default: the largest value)
 */
export function sparkline(values: ReadonlyArray<number | null>, min?: number, max?: number): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = min ?? Math.min(...present);
  const hi = max ?? Math.max(...present);
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return ' ';
    if (!(hi > lo)) return BARS[0];
    const level = Math.round(((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * (BARS.length - 1));
    return BARS[level];
  }).join('');
}

/** Lays out rows as columns separated by two spaces; the columns in `right` are right-aligned. */
export function table(rows: ReadonlyArray<readonly string[]>, right: ReadonlySet<number> = new Set(), indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => `${indent}${row.map((cell, i) => {
    const pad = ' '.repeat(widths[i] - [...cell].length);
    return right.has(i) ? pad + cell : i === row.length - 1 ? cell : cell + pad;
  }).join('  ')}`.trimEnd());
}

/** A time as `2026-05-01 12:34 UTC`, or `-`. */
export function when(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '-';
}

/** How long ago a time was, roughly: `5m ago`, `3h ago`, `2d ago`. */
export function ago(iso: string | null | undefined, now: number): string {
  if (!iso) return '';
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (minutes < 60) return `${minutes}m ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)}h ago`;
  return `${Math.round(minutes / 1440)}d ago`;
}
