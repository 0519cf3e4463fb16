/**
 * ai-invoker-attributable (stack policy): every IAM role or user allowed to invoke models must
 * carry the workflow and owner tags, because AWS attributes Bedrock spend to the calling
 * principal's tags. Who may invoke is worked out by the principal graph (`iam/`); this module
 * says what is wrong with each principal and how to fix it.
 */
import { taggableType } from "../catalog";
import type { TagLocation } from "../catalog";
import type { StackRuleDefinition } from "../definition";
import { collectPrincipals } from "../iam/principal-graph";
import type { Evaluated } from "../iam/principal-graph";
import { workflowOfTags } from "../subject";
import { caseVariant, effectiveTags } from "../tags";
import type { EvaluationContext, Finding, ResourceInput } from "../types";
import {
  describeResource,
  HIDDEN_IN_FILE,
  isAudit,
  objectLiteral,
  registeredWorkflows,
} from "../wording";
import { workflowTagFindings } from "../workflow-tag-findings";

const DEFAULT_TAGS_LOCATION: TagLocation = { property: "tags", shape: "map", tagsAll: false };

function principalFindings(principal: Evaluated, ctx: EvaluationContext): Finding[] {
  const { registry } = ctx;
  const audit = isAudit(ctx);
  const { resource, grant, via } = principal;
  const what = describeResource(resource);
  const keys = registry.settings.tagKeys;
  const urn = resource.urn;
  const tags = effectiveTags(resource, taggableType(resource.type) ?? DEFAULT_TAGS_LOCATION);
  const missing = [keys.workflow, keys.owner].filter((k) => !tags.values.has(k));
  const findings: Finding[] = [];
  const sources = [...new Set(via)].join(", ");

  if (grant.kind !== "invokes" && principal.outside.length > 0 && missing.length > 0) {
    // A customer managed policy made by hand or in another stack: neither `check` nor the pack
    // can read its document, so the grant may be there. Never a silent pass.
    const policies = principal.outside.map((p) => `${p.arn} (attached by ${p.via})`).join(", ");
    findings.push({
      policy: "ai-invoker-attributable",
      enforcement: "advisory",
      urn,
      message: `${what} has the customer managed ${principal.outside.length === 1 ? "policy" : "policies"} ${policies}, whose document is not in this file (made by hand or in another stack), so whether ${principal.outside.length === 1 ? "it allows" : "they allow"} model invocation cannot be checked here or by the policy pack on this stack. If ${principal.outside.length === 1 ? "it does" : "they do"}, AWS attributes the Bedrock spend to this ${principal.kind}'s tags: add ${objectLiteral({ [keys.workflow]: "<workflow id>", [keys.owner]: "<owner email>" })} to it, or read the policy where it is defined (\`aws iam get-policy-version\`) and exempt the ${principal.kind} in the registry if it does not invoke.`,
    });
  }

  if (grant.kind !== "invokes") {
    // Only unknown documents: say what will be checked, if the principal is not tagged anyway.
    if (grant.kind === "unknown" && missing.length > 0) {
      findings.push({
        policy: "ai-invoker-attributable",
        enforcement: "advisory",
        urn,
        message: audit
          ? `${what}: ${sources} ${HIDDEN_IN_FILE}; if ${via.length === 1 ? "it allows" : "they allow"} model invocation, the ${missing.map((k) => `"${k}"`).join(" and ")} tags are required on the ${principal.kind}.`
          : `${what}: ${sources} ${via.length === 1 ? "is" : "are"} not known until the update; if ${via.length === 1 ? "it allows" : "they allow"} model invocation, the ${missing.map((k) => `"${k}"`).join(" and ")} tags will be required on the ${principal.kind} then.`,
      });
    }
    return findings;
  }

  if (missing.length > 0) {
    if (tags.unknownSources.length > 0) {
      findings.push({
        policy: "ai-invoker-attributable",
        enforcement: "advisory",
        urn,
        message: audit
          ? `${what} can invoke models (${sources}); its ${tags.unknownSources.join(" and ")} ${HIDDEN_IN_FILE}, so the ${missing.map((k) => `"${k}"`).join(" and ")} tags could not be checked (see the notes).`
          : `${what} can invoke models (${sources}); its ${tags.unknownSources.join(" and ")} ${tags.unknownSources.length === 1 ? "is" : "are"} not known until the update, when the ${missing.map((k) => `"${k}"`).join(" and ")} tags will be checked.`,
      });
    } else {
      const drift = missing
        .map((k) => ({ k, variant: caseVariant(tags, k) }))
        .filter((d) => d.variant !== undefined)
        .map(
          (d) =>
            ` It has a "${d.variant}" tag, which differs only in letter case: rename it to exactly "${d.k}".`,
        )
        .join("");
      findings.push({
        policy: "ai-invoker-attributable",
        enforcement: "mandatory",
        urn,
        message: `${what} can invoke models (${sources}) but is missing the ${missing.map((k) => `"${k}"`).join(" and ")} ${missing.length === 1 ? "tag" : "tags"}: AWS attributes Bedrock spend to the tags of the IAM principal that calls the model, so this ${principal.kind}'s spend would be unowned.${drift} Add tags: ${objectLiteral({ [keys.workflow]: "<workflow id>", [keys.owner]: "<owner email>" })} (or set them in the provider's defaultTags). Registered workflows: ${registeredWorkflows(registry)}.`,
      });
    }
  }

  const { workflowTag, ownerTag, workflow } = workflowOfTags(tags, registry);
  findings.push(
    ...workflowTagFindings(
      { resource, workflowTag, ownerTag, workflow },
      ctx,
      "ai-invoker-attributable",
      ` This ${principal.kind} can invoke models, and its tags are how that spend is attributed.`,
    ),
  );

  if (grant.baseModels && !grant.profiles) {
    findings.push({
      policy: "ai-invoker-attributable",
      enforcement: "advisory",
      urn,
      message: `${what} may invoke Bedrock base models directly (${sources} allows invocation on "*" or foundation-model/ ARNs): that spend cannot be attributed by resource tags, only by this ${principal.kind}'s tags. Grant invocation on the workflow's application inference profiles (arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>) instead, and keep the foundation-model grant only for the models behind them.`,
    });
  }
  return findings;
}

/** ai-invoker-attributable over every resource of a stack. */
function invokerAttributableRule(
  resources: readonly ResourceInput[],
  ctx: EvaluationContext,
): Finding[] {
  return collectPrincipals(resources).flatMap((p) => principalFindings(p, ctx));
}

export const aiInvokerAttributable: StackRuleDefinition<"ai-invoker-attributable"> = {
  name: "ai-invoker-attributable",
  severity: "medium",
  tags: ["iam", "cost-allocation"],
  scope: "stack",
  enforcement: "mandatory",
  enabledByDefault: true,
  description:
    "IAM roles and users allowed to invoke models carry the workflow and owner tags, because AWS attributes Bedrock spend to the calling principal's tags. Grants on base models or '*' get an advisory.",
  remediation:
    "Tag the role or user; grant invocation on application inference profiles rather than base models.",
  blocksWhen:
    "an IAM role or user that may invoke models (inline, `RolePolicy`, `Policy` + attachment, managed `AmazonBedrockFullAccess`, ..., directly or through its IAM groups) lacks the tags: AWS attributes Bedrock spend to the caller's tags, and groups cannot be tagged. An unconditional `Deny` on `*` in any of its policies takes the actions it names back from all of them",
  advisories: "grants on base models, values unknown at preview, applied exemptions",
  evaluate: invokerAttributableRule,
};
