/**
 * Exemptions from the registry: waivers as code. A valid exemption that matches a mandatory
 * finding (URN glob and policy name) turns it into an advisory that says who approved it, why and
 * until when. An expired or malformed one does not apply: we fail closed, and say so.
 *
 * Nested resources: a resource inside a component has the qualified type chain in its URN
 * (`urn:pulumi:dev::shop::acme:Service$aws:iam/role:Role::api-role`). An exemption matches
 * either that URN as it is, or the URN with the chain reduced to the resource's own type (the
 * last of the chain, `urn:pulumi:dev::shop::aws:iam/role:Role::api-role`), so the README's form
 * `urn:pulumi:*::*::aws:iam/role:Role::api-role` covers the role wherever it is nested. A glob
 * that names the chain still matches only inside that component.
 *
 * When an exemption for the finding's policy names the resource's type and name but does not
 * apply (expired, malformed, another stack or project in its glob), or names the resource for
 * another policy, the finding says so: a waiver that silently misses is how a deployment stops
 * for a reason nobody can see.
 */
import { matchesEveryUrn, POLICY_NAMES } from "../registry";
import type { Exemption, Registry } from "../registry";
import { isCalendarDate } from "../util/dates";
import { globMatch } from "../util/glob";
import type { Finding } from "./types";

export type ExemptionStatus =
  | { readonly kind: "valid" }
  | { readonly kind: "expired" }
  | { readonly kind: "malformed"; readonly problem: string };

/** Whether an exemption can apply today. The registry validates exemptions; this re-checks
 * because a registry can also be built in code, and a waiver must never apply by accident. */
export function exemptionStatus(exemption: Exemption, today: string): ExemptionStatus {
  const problems: string[] = [];
  if (typeof exemption.resource !== "string" || exemption.resource.trim() === "") {
    problems.push("no resource URN glob");
  } else if (matchesEveryUrn(exemption.resource) && exemption.allResources !== true) {
    problems.push(`"${exemption.resource}" matches every resource without allResources: true`);
  }
  if (!(POLICY_NAMES as readonly string[]).includes(exemption.policy)) {
    problems.push(`unknown policy "${String(exemption.policy)}"`);
  }
  if (typeof exemption.reason !== "string" || exemption.reason.trim() === "") {
    problems.push("no reason");
  }
  if (typeof exemption.approvedBy !== "string" || !exemption.approvedBy.includes("@")) {
    problems.push("no approver email");
  }
  if (typeof exemption.expires !== "string" || !isCalendarDate(exemption.expires)) {
    problems.push(`expires "${String(exemption.expires)}" is not a YYYY-MM-DD date`);
  }
  if (problems.length > 0) return { kind: "malformed", problem: problems.join(", ") };
  // `expires` is the last day the exemption applies (inclusive); ISO dates compare as strings.
  return today > exemption.expires ? { kind: "expired" } : { kind: "valid" };
}

/** A URN's parts: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. */
interface UrnParts {
  readonly head: string;
  readonly project: string;
  readonly type: string;
  readonly name: string;
}

function urnParts(urn: string): UrnParts | undefined {
  const parts = urn.split("::");
  // Stack, project and type never hold "::"; a name may, so it is everything after the type.
  if (parts.length < 4 || !parts[0]!.startsWith("urn:pulumi:")) return undefined;
  return { head: parts[0]!, project: parts[1]!, type: parts[2]!, name: parts.slice(3).join("::") };
}

/** The resource's own type: the last of a component's `Parent$Child$type` chain. */
function ownType(qualifiedType: string): string {
  return qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1);
}

/** The URN with its type chain reduced to the resource's own type; undefined when not nested. */
export function urnWithOwnType(urn: string): string | undefined {
  const parts = urnParts(urn);
  if (parts === undefined || !parts.type.includes("$")) return undefined;
  return `${parts.head}::${parts.project}::${ownType(parts.type)}::${parts.name}`;
}

/** Whether an exemption's URN glob covers a resource (as nested, or by its own type). */
export function exemptionCovers(glob: string, urn: string): boolean {
  if (globMatch(glob, urn)) return true;
  const own = urnWithOwnType(urn);
  return own !== undefined && globMatch(glob, own);
}

/**
 * Whether the glob's `type::name` part names this resource although the whole glob does not
 * cover it (its stack or project part differs).
 */
function namesTypeAndName(glob: string, urn: string): boolean {
  const pattern = glob.split("::");
  const resource = urnParts(urn);
  if (pattern.length < 4 || resource === undefined) return false;
  const typeAndName = pattern.slice(2).join("::");
  return (
    globMatch(typeAndName, `${resource.type}::${resource.name}`) ||
    globMatch(typeAndName, `${ownType(resource.type)}::${resource.name}`)
  );
}

/** Apply the registry's exemptions to findings (advisories pass through unchanged). */
export function applyExemptions(
  findings: readonly Finding[],
  registry: Registry,
  today: string,
): Finding[] {
  if (registry.exemptions.length === 0) return [...findings];
  return findings.map((finding) => {
    if (finding.enforcement !== "mandatory") return finding;
    const notes: string[] = [];
    for (const exemption of registry.exemptions) {
      if (typeof exemption.resource !== "string") continue;
      const covers = exemptionCovers(exemption.resource, finding.urn);
      if (exemption.policy !== finding.policy) {
        if (covers && !matchesEveryUrn(exemption.resource)) {
          notes.push(
            ` An exemption in ${registry.source} covers this resource for ${exemption.policy}, not for ${finding.policy}: add one for ${finding.policy} if it is meant to.`,
          );
        }
        continue;
      }
      if (!covers) {
        if (namesTypeAndName(exemption.resource, finding.urn)) {
          notes.push(
            ` An exemption in ${registry.source} names this resource's type and name but does not apply: its URN glob "${exemption.resource}" does not match ${finding.urn} (check its stack and project parts, or use * for them).`,
          );
        }
        continue;
      }
      const status = exemptionStatus(exemption, today);
      if (status.kind === "valid") {
        return {
          ...finding,
          enforcement: "advisory",
          message: `Exempted (approved by ${exemption.approvedBy} until ${exemption.expires}: ${exemption.reason}). ${finding.message}`,
        };
      }
      notes.push(
        status.kind === "expired"
          ? ` An exemption in ${registry.source} (approved by ${exemption.approvedBy}) expired on ${exemption.expires}: renew it if it still applies.`
          : ` An exemption in ${registry.source} matches but does not apply because it is malformed (${status.problem}): fix it.`,
      );
    }
    return notes.length === 0 ? finding : { ...finding, message: finding.message + notes.join("") };
  });
}
