/** Bedrock model ids and ARNs: which model an ARN names, and whether an allow-list admits it. */
import { BEDROCK_GEO_PREFIXES } from "../registry";
import { globMatch } from "../util/glob";

/** Geographic prefixes of system inference profiles (`us.anthropic...`) */
const GEO_PREFIX = new RegExp(`^(${BEDROCK_GEO_PREFIXES.join("|")})\\.`);

export type ModelRef =
  | { readonly kind: "model"; readonly id: string }
  /** An ARN whose model cannot be read from it (application profile, custom or provisioned model). */
  | { readonly kind: "indirect"; readonly arn: string };

/** A Bedrock model id or ARN -> the model id to compare with the allow-list. */
export function modelRef(value: string): ModelRef {
  const arn = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:([a-z-]+)\/(.+)$/.exec(value);
  if (arn === null) return { kind: "model", id: value };
  const [, resourceType, rest] = arn;
  if (resourceType === "foundation-model" || resourceType === "inference-profile") {
    return { kind: "model", id: rest! };
  }
  return { kind: "indirect", arn: value };
}

/** True when a model id (or its system inference profile id) matches one of the globs. */
export function modelAllowed(id: string, globs: readonly string[]): boolean {
  const bare = id.replace(GEO_PREFIX, "");
  return globs.some((glob) => globMatch(glob, id) || globMatch(glob, bare));
}
