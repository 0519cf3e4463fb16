/**
 * "Did you mean" suggestions for registry keys, workflow ids, tag values and policy names.
 * One implementation so that every surface (registry errors, policy messages, reconciliation)
 * suggests the same thing for the same typo.
 */

/** Levenshtein edit distance (insert, delete, substitute each cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

export type Suggestion =
  /** The value differs from a candidate only in letter case (e.g. `Owner` vs `owner`). */
  | { kind: "case-only"; candidate: string }
  /** The value is a few edits away from a candidate. */
  | { kind: "similar"; candidate: string };

/**
 * The closest candidate to `value`, or undefined when nothing is close enough to be a
 * plausible typo. A case-only match always wins because it is the most common drift
 * (`Owner` / `owner`, `Support-Triage` / `support-triage`).
 */
export function suggest(value: string, candidates: Iterable<string>): Suggestion | undefined {
  const lower = value.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === value) continue;
    if (candidate.toLowerCase() === lower) return { kind: "case-only", candidate };
    const distance = editDistance(lower, candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  if (best === undefined) return undefined;
  // Allow roughly one edit per three characters, at least two: "owners" -> "owner",
  // "suport-triage" -> "support-triage", but not "budget" -> "owner".
  const limit = Math.max(2, Math.floor(value.length / 3));
  return best.distance <= limit ? { kind: "similar", candidate: best.candidate } : undefined;
}

/** Human wording for a suggestion, ready to append to a message ("" when there is none). */
export function describeSuggestion(value: string, candidates: Iterable<string>): string {
  const found = suggest(value, candidates);
  if (found === undefined) return "";
  return found.kind === "case-only"
    ? ` (differs only in letter case from "${found.candidate}": keys and values are case-sensitive)`
    : ` (did you mean "${found.candidate}"?)`;
}
