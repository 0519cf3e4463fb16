/**
 * The AWS commercial regions, for `--regions`: a typo is a usage error that names the valid
 * ones, never a silent empty inventory. `all` means every one of them; a region not enabled in
 * the account answers with an error, and the audit lists it as skipped.
 */
import { describeSuggestion } from "../util/suggest";

export const AWS_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-south-1",
  "eu-south-2",
  "eu-north-1",
  "il-central-1",
  "me-south-1",
  "me-central-1",
  "mx-central-1",
  "sa-east-1",
] as const;

/** Which regions an audit covers: every one, or the named ones. */
export type RegionChoice =
  { readonly kind: "all" } | { readonly kind: "list"; readonly regions: readonly string[] };

export type RegionParse = RegionChoice | { readonly kind: "invalid"; readonly message: string };

/**
 * `--regions` read: `all`, or a comma-separated list of region codes.
 *
 * @example parseRegions("us-east-1,eu-west-1") // { kind: "list", regions: ["us-east-1", "eu-west-1"] }
 */
export function parseRegions(text: string | undefined, fallback: string): RegionParse {
  if (text === undefined) return { kind: "list", regions: [fallback] };
  const trimmed = text.trim();
  if (trimmed === "all") return { kind: "all" };
  const names = trimmed
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (names.length === 0) {
    return { kind: "invalid", message: `--regions needs region codes or "all", got "${text}"` };
  }
  const known = new Set<string>(AWS_REGIONS);
  const wrong = names.filter((name) => !known.has(name));
  if (wrong.length > 0) {
    const problems = wrong.map((name) => `"${name}"${describeSuggestion(name, AWS_REGIONS)}`);
    return {
      kind: "invalid",
      message: `--regions: ${problems.join(", ")} ${wrong.length === 1 ? "is not a region" : "are not regions"}. Valid regions: ${AWS_REGIONS.join(", ")}, or "all"`,
    };
  }
  return { kind: "list", regions: [...new Set(names)] };
}

/** The regions a choice names. */
export function regionsOf(choice: RegionChoice): readonly string[] {
  return choice.kind === "all" ? AWS_REGIONS : choice.regions;
}
