/**
 * "Did you mean …?": the known name closest to a misspelt one, for flags, variable ids, template
 * names and commands. Closeness is the edit distance (insert, delete, replace, swap of two
 * neighbours), ignoring case, `-`/`_` and camelCase; only close enough names are suggested.
 */

function normalize(s: string): string {
  return s
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/_/g, '-');
}

/** Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[rows - 1][cols - 1];
}

/**
 * The closest candidate to `input`, or null when none is close: at most 1 edit for names of up to
 * 4 characters, 2 up to 8, 3 beyond; a candidate that starts with the input (3+ characters) also
 * counts. Ties go to the earlier candidate.
 */
export function closest(input: string, candidates: Iterable<string>): string | null {
  const want = normalize(input);
  let best: string | null = null;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const have = normalize(candidate);
    if (have === want) return candidate;
    const distance = editDistance(want, have);
    const limit = want.length <= 4 ? 1 : want.length <= 8 ? 2 : 3;
    const score = distance <= limit ? distance : want.length >= 3 && have.startsWith(want) ? limit + 0.5 : Infinity;
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** ` Did you mean "x"?` or an empty string, for the end of a message. */
export function didYouMean(input: string, candidates: Iterable<string>, format: (s: string) => string = (s) => `"${s}"`): string {
  const match = closest(input, candidates);
  return match ? ` Did you mean ${format(match)}?` : '';
}
