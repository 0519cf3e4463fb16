/**
 * `check --ai-type TYPE`: a typo must not be accepted silently (it would treat nothing as AI),
 * and a type that takes no tags would turn every resource of it into a finding nobody can fix.
 */
import { aiResourceType, catalogTypes, taggableType } from "../policy";
import { describeSuggestion, editDistance, suggest } from "../util/suggest";

export type AiTypeChoice =
  | { readonly kind: "ok"; readonly types: readonly string[]; readonly warnings: readonly string[] }
  | { readonly kind: "refused"; readonly message: string };

/** A Pulumi type token: `<package>:<module>:<Type>`. */
const TYPE_TOKEN = /^[A-Za-z][\w-]*:[\w/.-]*:[A-Za-z_$][\w$]*$/;
/** The packages the catalog knows every resource type of. */
const CATALOG_PACKAGES = ["aws:", "aws-native:"];
/** At most this many edits away from a catalog type, a type is taken for a typo of it. */
const TYPO_EDITS = 3;

export function chooseAiTypes(requested: readonly string[]): AiTypeChoice {
  const known = catalogTypes();
  const types: string[] = [];
  const warnings: string[] = [];
  for (const type of requested) {
    if (!TYPE_TOKEN.test(type)) {
      return {
        kind: "refused",
        message: `--ai-type ${JSON.stringify(type)} is not a Pulumi type token (<package>:<module>:<Type>, e.g. aws:ecs/service:Service)${describeSuggestion(type, known)}`,
      };
    }
    if (aiResourceType(type) !== undefined || taggableType(type) !== undefined) {
      types.push(type);
      continue;
    }
    if (!CATALOG_PACKAGES.some((pkg) => type.startsWith(pkg))) {
      // Another provider's type: the catalog cannot tell where its tags are; `tags` is assumed.
      warnings.push(
        `--ai-type ${type}: not an aws or aws-native type, so its tags are looked for in \`tags\``,
      );
      types.push(type);
      continue;
    }
    // A few edits from a known type is a typo; further off, a type that takes no tags (the
    // catalog lists taggable types only) or one too mangled to guess.
    const close = suggest(type, known);
    if (
      close !== undefined &&
      (close.kind === "case-only" || editDistance(type, close.candidate) <= TYPO_EDITS)
    ) {
      return {
        kind: "refused",
        message: `--ai-type ${type} is not a resource type of the catalog${describeSuggestion(type, known)}`,
      };
    }
    warnings.push(
      `--ai-type ${type} is ignored: it is not one of the catalog's taggable aws or aws-native ` +
        "types, so its resources cannot carry the workflow and owner tags (check the spelling, or " +
        "attribute its spend another way)",
    );
  }
  return { kind: "ok", types, warnings };
}
