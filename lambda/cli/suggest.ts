/**
 * Did-you-mean for mistyped flags and commands: the closest known word by edit distance
 * (insertions, deletions, substitutions and swaps of two neighbours), if it is close enough. Pure.
 */

/**
 * The edit distance of two words (optimal string alignment: a swap of two neighbouring
 * characters counts as one edit, as in `--jsno`).
 */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}

/**
 * The known word closest to `word`, when it is close: at most 2 edits, and at most a third of
 * the word's length (so `--x` suggests nothing). Ties go to the first candidate.
 *
 * @param word what was typed
 * @param candidates the words it may have meant
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const bare = (text: string) => text.replace(/^-+/, '').toLowerCase();
  const typed = bare(word);
  const limit = Math.min(2, Math.max(1, Math.floor(typed.length / 3)));
  let best: { word: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(typed, bare(candidate));
    if (distance <= limit && (!best || distance < best.distance)) best = { word: candidate, distance };
  }
  return best?.word;
}

/** `; did you mean "x"?` when a candidate is close, else the empty string. */
export function didYouMean(word: string, candidates: readonly string[], quote = true): string {
  const match = closest(word, candidates);
  if (match === undefined) return '';
  return `; did you mean ${quote ? JSON.stringify(match) : match}?`;
}
