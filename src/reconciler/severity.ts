/**
 * How serious a flag is, most serious first: the one order digests, the CSV's worst-flag column
 * and the HTML report sort by.
 */
export const SEVERITIES = ["critical", "warning", "info"] as const;

export type Severity = (typeof SEVERITIES)[number];

/** 0 for the most serious. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = Object.fromEntries(
  SEVERITIES.map((severity, rank) => [severity, rank]),
) as Record<Severity, number>;

/** Most serious first; stable, so flags of one severity keep the order they were raised in. */
export function bySeverity<T extends { readonly severity: Severity }>(flags: readonly T[]): T[] {
  return [...flags].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

/** The most serious severity among `flags`, or null when there are none. */
export function worstSeverity(flags: readonly { readonly severity: Severity }[]): Severity | null {
  let worst: Severity | null = null;
  for (const flag of flags) {
    if (worst === null || SEVERITY_RANK[flag.severity] < SEVERITY_RANK[worst])
      worst = flag.severity;
  }
  return worst;
}
