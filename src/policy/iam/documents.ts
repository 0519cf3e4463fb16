/**
 * Reading IAM policy documents for model-invocation grants: what each document allows, what its
 * unconditional denies take back, and what a principal's documents allow together.
 */
import { iamActionMatch } from "../../util/glob";
import { isUnknown, known, NOT_KNOWN_YET } from "../unknown";
import type { AtPreview } from "../unknown";
import { CANDIDATE_ACTIONS, MANTLE_PREFIX } from "./actions";

/** What a principal's policies allow about model invocation. */
export type GrantAnalysis =
  /** No invocation action is allowed. */
  | { readonly kind: "none" }
  /** Nothing known allows invocation, but a document (or a part that decides it) is not known until the update. */
  | { readonly kind: "unknown" }
  | {
      readonly kind: "invokes";
      /** A Bedrock invocation is allowed on `*` or on base `foundation-model/` ARNs. */
      readonly baseModels: boolean;
      /** A Bedrock invocation is allowed on an application inference profile. */
      readonly profiles: boolean;
    };

const NONE: GrantAnalysis = { kind: "none" };
const UNKNOWN_GRANT: GrantAnalysis = { kind: "unknown" };

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The invocation actions an action pattern (or NotAction list) allows. */
function allowedInvokeActions(statement: Record<string, unknown>): AtPreview<string[]> {
  const actions = statement.Action ?? statement.action;
  const notActions = statement.NotAction ?? statement.notAction;
  if (isUnknown(actions) || isUnknown(notActions)) return NOT_KNOWN_YET;
  const candidates = CANDIDATE_ACTIONS;
  if (notActions !== undefined) {
    if (asList(notActions).some(isUnknown)) return NOT_KNOWN_YET;
    const excluded = asList(notActions).filter((a): a is string => typeof a === "string");
    return known(candidates.filter((action) => !excluded.some((p) => iamActionMatch(p, action))));
  }
  const patterns = asList(actions).filter((a): a is string => typeof a === "string");
  if (asList(actions).some(isUnknown)) return NOT_KNOWN_YET;
  return known(
    candidates.filter((action) =>
      patterns.some(
        (p) =>
          iamActionMatch(p, action) ||
          (action.startsWith(MANTLE_PREFIX) && p.toLowerCase().startsWith(MANTLE_PREFIX)),
      ),
    ),
  );
}

/**
 * The action patterns a document denies outright: `Deny` statements with an `Action` list, on
 * every resource (`"*"`) and without a `Condition`. Only these certainly take an `Allow` back;
 * a conditional or resource-scoped deny leaves the grant standing.
 */
function unconditionalDenies(statements: readonly unknown[]): string[] {
  const patterns: string[] = [];
  for (const raw of statements) {
    if (typeof raw !== "object" || raw === null) continue;
    const statement = raw as Record<string, unknown>;
    if ((statement.Effect ?? statement.effect) !== "Deny") continue;
    if (statement.Condition !== undefined || statement.conditions !== undefined) continue;
    if (statement.NotResource !== undefined || statement.notResources !== undefined) continue;
    if (!asList(statement.Resource ?? statement.resources).includes("*")) continue;
    for (const action of asList(statement.Action ?? statement.actions)) {
      if (typeof action === "string" && !isUnknown(action)) patterns.push(action);
    }
  }
  return patterns;
}

/** One `Allow` statement's invocation actions, and what its resources say about them. */
interface AllowPart {
  readonly actions: readonly string[];
  /** On `*`, base `foundation-model/` ARNs, or everything but some (`NotResource`). */
  readonly baseResources: boolean;
  readonly profileResources: boolean;
}

/**
 * What one policy document says about invocation before the principal's other documents are
 * taken into account: its grants, and the actions it denies outright (which take those actions
 * back from every policy of the principal, not only from this document).
 */
export interface DocumentGrants {
  readonly allows: readonly AllowPart[];
  /** Action patterns of its unconditional `Deny` statements on every resource. */
  readonly denies: readonly string[];
  readonly unknown: boolean;
}

const NO_DOCUMENT: DocumentGrants = { allows: [], denies: [], unknown: false };
const UNKNOWN_DOCUMENT: DocumentGrants = { ...NO_DOCUMENT, unknown: true };

/** A policy document (JSON text or object) -> its grants and outright denies. */
export function readDocument(document: unknown): DocumentGrants {
  if (isUnknown(document)) return UNKNOWN_DOCUMENT;
  let doc = document;
  if (typeof doc === "string") {
    try {
      doc = JSON.parse(doc) as unknown;
    } catch {
      return NO_DOCUMENT; // not a policy document; the provider will reject it
    }
  }
  if (typeof doc !== "object" || doc === null) return NO_DOCUMENT;
  const statements =
    (doc as Record<string, unknown>).Statement ?? (doc as Record<string, unknown>).statements;
  if (isUnknown(statements)) return UNKNOWN_DOCUMENT;
  const allows: AllowPart[] = [];
  let unknown = false;
  for (const raw of asList(statements)) {
    if (isUnknown(raw)) {
      unknown = true;
      continue;
    }
    if (typeof raw !== "object" || raw === null) continue;
    const statement = raw as Record<string, unknown>;
    const effect = statement.Effect ?? statement.effect;
    if (isUnknown(effect)) {
      unknown = true;
      continue;
    }
    if (effect !== "Allow") continue;
    const allowed = allowedInvokeActions(statement);
    if (allowed.kind === "unknown") {
      unknown = true;
      continue;
    }
    const actions = allowed.value;
    if (actions.length === 0) continue;
    const resources = asList(statement.Resource ?? statement.resources);
    allows.push({
      actions,
      baseResources:
        statement.NotResource !== undefined ||
        resources.length === 0 ||
        resources.some(
          (r) =>
            typeof r === "string" &&
            (r === "*" || /:foundation-model\/|^arn:[^:]*:bedrock:[^:]*:[^:]*:\*$/.test(r)),
        ),
      profileResources: resources.some(
        (r) => typeof r === "string" && r.includes(":application-inference-profile/"),
      ),
    });
  }
  return { allows, denies: unconditionalDenies(asList(statements)), unknown };
}

/** What a document still allows once the given deny patterns (from any of the principal's policies) take their actions back. */
export function grantAfterDenies(
  document: DocumentGrants,
  denies: readonly string[],
): GrantAnalysis {
  let result: GrantAnalysis = document.unknown ? UNKNOWN_GRANT : NONE;
  for (const part of document.allows) {
    const allowed = part.actions.filter(
      (action) => !denies.some((pattern) => iamActionMatch(pattern, action)),
    );
    if (allowed.length === 0) continue;
    const bedrock = allowed.some((a) => a.startsWith("bedrock:"));
    result = combine(result, {
      kind: "invokes",
      baseModels: bedrock && part.baseResources,
      profiles: bedrock && part.profileResources,
    });
  }
  return result;
}

/** A policy document (JSON text or object) -> what it allows, its own outright denies applied. */
export function analyzeDocument(document: unknown): GrantAnalysis {
  const read = readDocument(document);
  return grantAfterDenies(read, read.denies);
}
/**
 * Combine the analyses of every grant a principal has: any invocation grant wins (what is not
 * known yet cannot take it back), then anything not known yet.
 */
export function combine(a: GrantAnalysis, b: GrantAnalysis): GrantAnalysis {
  if (a.kind === "invokes" && b.kind === "invokes") {
    return {
      kind: "invokes",
      baseModels: a.baseModels || b.baseModels,
      profiles: a.profiles || b.profiles,
    };
  }
  if (a.kind === "invokes") return a;
  if (b.kind === "invokes") return b;
  return a.kind === "unknown" || b.kind === "unknown" ? UNKNOWN_GRANT : NONE;
}

/**
 * An invoking AWS managed policy, as a document: it counts as allowing every invocation action
 * on every resource, so only a deny of all of them takes it back (conservative: some of these
 * policies allow less, e.g. AmazonBedrockFullAccess still reaches SageMaker endpoints).
 */
export const MANAGED_DOCUMENT: DocumentGrants = {
  allows: [
    {
      actions: CANDIDATE_ACTIONS,
      baseResources: true,
      profileResources: false,
    },
  ],
  denies: [],
  unknown: false,
};
export { NONE as NO_GRANT, NO_DOCUMENT, UNKNOWN_DOCUMENT };
