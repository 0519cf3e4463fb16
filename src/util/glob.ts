/**
 * Wildcard matching in linear time. The registry's globs (exemption URNs, model ids, instance
 * types) and IAM action patterns are untrusted text: compiled to a backtracking regular
 * expression, an 8-star glob against an 80-character URN took minutes. Here a pattern is split
 * at its stars into fixed-length pieces; the first piece must start the value, the last must end
 * it, and each piece between is taken at its leftmost place after the previous one. Leftmost is
 * always right: any later placement leaves less room for the pieces after it, so there is never
 * anything to backtrack to. A piece with no `?` is found with Knuth-Morris-Pratt, so a match
 * reads each character of the value a bounded number of times whatever the pattern.
 */

export interface MatchOptions {
  /** `?` matches exactly one character (IAM); otherwise it is a literal (registry globs). */
  readonly questionMark?: boolean;
  /** Compare letters without regard to case (IAM action names). */
  readonly ignoreCase?: boolean;
}

/** The result of a match, with the number of character comparisons it took (for tests). */
export interface MatchResult {
  readonly matched: boolean;
  readonly steps: number;
}

interface Compiled {
  /** The pattern's pieces between its stars (a pattern without stars is one piece). */
  readonly pieces: readonly string[];
  /** KMP failure tables, for pieces without `?`. */
  readonly failures: readonly (Int32Array | undefined)[];
}

const CACHE_LIMIT = 10_000;
const cache = new Map<string, Compiled>();

function compile(pattern: string, questionMark: boolean): Compiled {
  const key = `${questionMark ? "?" : "-"}${pattern}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const parts = pattern.split("*");
  const compiled: Compiled = {
    pieces: parts,
    failures: parts.map((piece) =>
      questionMark && piece.includes("?") ? undefined : failureTable(piece),
    ),
  };
  // Bounded: patterns come from files, and a long-running analyzer must not grow without end.
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

function failureTable(piece: string): Int32Array {
  const table = new Int32Array(piece.length);
  let k = 0;
  for (let i = 1; i < piece.length; i++) {
    while (k > 0 && piece[i] !== piece[k]) k = table[k - 1]!;
    if (piece[i] === piece[k]) k++;
    table[i] = k;
  }
  return table;
}

/** `*` matches any run of characters (also none); see `MatchOptions` for `?` and case. */
export function wildcardMatch(
  pattern: string,
  value: string,
  options: MatchOptions = {},
): MatchResult {
  const questionMark = options.questionMark === true;
  const fold = options.ignoreCase === true;
  const p = fold ? pattern.toLowerCase() : pattern;
  const v = fold ? value.toLowerCase() : value;
  const { pieces, failures } = compile(p, questionMark);
  let steps = 0;
  const same = (a: string, b: string): boolean => {
    steps++;
    return a === b || (questionMark && a === "?");
  };
  /** Whether `piece` matches `v` at `at`, character by character. */
  const matchesAt = (piece: string, at: number): boolean => {
    if (at < 0 || at + piece.length > v.length) return false;
    for (let i = 0; i < piece.length; i++) if (!same(piece[i]!, v[at + i]!)) return false;
    return true;
  };

  if (pieces.length === 1) return { matched: p.length === v.length && matchesAt(p, 0), steps };
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > v.length) return { matched: false, steps };
  if (!matchesAt(first, 0) || !matchesAt(last, v.length - last.length)) {
    return { matched: false, steps };
  }
  let from = first.length;
  const end = v.length - last.length; // the middle pieces must fit before the last one
  for (let index = 1; index < pieces.length - 1; index++) {
    const piece = pieces[index]!;
    if (piece.length === 0) continue;
    const table = failures[index];
    let found = -1;
    if (table !== undefined) {
      // Knuth-Morris-Pratt: the value's index only moves forward.
      let k = 0;
      for (let i = from; i < end; i++) {
        let equal = same(piece[k]!, v[i]!);
        while (!equal && k > 0) {
          k = table[k - 1]!;
          equal = same(piece[k]!, v[i]!);
        }
        if (equal) k++;
        if (k === piece.length) {
          found = i - piece.length + 1;
          break;
        }
      }
    } else {
      for (let at = from; at + piece.length <= end; at++) {
        if (matchesAt(piece, at)) {
          found = at;
          break;
        }
      }
    }
    if (found < 0) return { matched: false, steps };
    from = found + piece.length;
  }
  return { matched: true, steps };
}

/** Registry globs: `*` matches any run of characters, nothing else is special; case-sensitive. */
export function globMatch(pattern: string, value: string): boolean {
  return wildcardMatch(pattern, value).matched;
}

/**
 * An IAM action pattern against an action name, as IAM matches them: `*` matches any run of
 * characters, `?` exactly one, and letter case does not matter (`bedrock:invokemodel` =
 * `bedrock:InvokeModel`).
 */
export function iamActionMatch(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, { questionMark: true, ignoreCase: true }).matched;
}
