/**
 * The ai-spend-guard stack: the reconciler's infrastructure, cost allocation tag activation, and
 * one `WorkflowBudget` per registered workflow. Everything comes from the registry; the only
 * inputs are the registry text and a few settings, so `previewStack` can run it offline.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Registry } from "../src/registry";
import { parseRegistry } from "../src/registry";
import { budgetCurrencyProblem, checkAnomalyMinimumImpact } from "./components/budget-spec";
import { CostAllocationTags } from "./components/cost-allocation-tags";
import { Reconciler } from "./components/reconciler";
import type { ReconcilerOptionsInput } from "./components/reconciler-options";
import { guardTags, GUARD_WORKFLOW } from "./components/tags";
import { inferenceProfileProblems, WorkflowBudget } from "./components/workflow-budget";
import { registryFieldError } from "./registry-problems";
import type { FieldProblem } from "./registry-problems";

export interface StackSettings extends Partial<ReconcilerOptionsInput> {
  /** The registry YAML. */
  readonly registryText: string;
  /** Its file name, for error messages. */
  readonly registrySource: string;
  /** The registry workflow that stands for the guard (default `ai-spend-guard`). */
  readonly guardWorkflow?: string;
  /** Prefix of budget and anomaly monitor names (default `ai-spend-guard`). */
  readonly namePrefix?: string;
  /** Activate the tag keys (management account only; default true). */
  readonly activateCostAllocationTags?: boolean;
  /**
   * Also activate the caller's principal tag keys (`iamPrincipal/...`; default true, when the
   * registry's `settings.principalTags` is on). They exist only after a tagged principal has
   * called Bedrock: until then their activation fails, so set false for a first deploy.
   */
  readonly activatePrincipalCostAllocationTags?: boolean;
  /** Smallest anomaly impact worth an email, in the registry currency (default 10). */
  readonly anomalyMinimumImpact?: number;
  /** Reconciler handler entry (default `src/reconciler/aws/handler.ts`). */
  readonly handlerEntry?: string;
  /** A prebuilt deployment package instead of bundling the handler. */
  readonly code?: pulumi.Input<pulumi.asset.Archive>;
}

export interface StackOutputs {
  readonly registry: Registry;
  readonly reconciler: Reconciler;
  readonly costAllocationTags: CostAllocationTags | undefined;
  readonly budgets: Readonly<Record<string, WorkflowBudget>>;
}

/**
 * Declare the stack. The registry is validated first and throws its own error, with every
 * problem positioned, before a single resource is registered.
 */
export function defineStack(settings: StackSettings): StackOutputs {
  const registry = parseRegistry(settings.registryText, settings.registrySource);
  const tags = guardTags(registry, settings.guardWorkflow ?? GUARD_WORKFLOW);
  // AWS's rules on registry fields, reported at the field like the registry's own problems.
  const problems: FieldProblem[] = registry.workflows.flatMap(inferenceProfileProblems);
  const currencyProblem = registry.workflows.some((w) => w.budget !== undefined)
    ? budgetCurrencyProblem(registry.settings.currency)
    : undefined;
  if (currencyProblem !== undefined) {
    problems.push({ path: ["settings", "currency"], message: currencyProblem });
  }
  if (problems.length > 0) {
    throw registryFieldError(settings.registryText, settings.registrySource, problems);
  }
  if (settings.anomalyMinimumImpact !== undefined) {
    checkAnomalyMinimumImpact(settings.anomalyMinimumImpact, registry.settings.currency);
  }

  const reconciler = new Reconciler("reconciler", {
    // The one parse of this program run: the component and its bundle use this object.
    registry,
    registryText: settings.registryText,
    tags,
    handlerEntry: settings.handlerEntry,
    code: settings.code,
    schedule: settings.schedule,
    scheduleTimezone: settings.scheduleTimezone,
    reportPrefix: settings.reportPrefix,
    reportRetentionDays: settings.reportRetentionDays,
    costMetric: settings.costMetric,
    groupByAccount: settings.groupByAccount,
    accountChecks: settings.accountChecks,
    metricsNamespace: settings.metricsNamespace,
    logRetentionDays: settings.logRetentionDays,
    costSource: settings.costSource,
    curExportName: settings.curExportName,
    curBytesScannedCutoffPerQuery: settings.curBytesScannedCutoffPerQuery,
  });

  const costAllocationTags =
    settings.activateCostAllocationTags === false
      ? undefined
      : new CostAllocationTags("cost-allocation-tags", {
          tagKeys: registry.settings.tagKeys,
          principalTags:
            registry.settings.principalTags &&
            settings.activatePrincipalCostAllocationTags !== false,
        });

  const budgets: Record<string, WorkflowBudget> = {};
  for (const workflow of registry.workflows) {
    budgets[workflow.id] = new WorkflowBudget(
      workflow.id,
      {
        workflow,
        settings: registry.settings,
        tags,
        alertsTopicArn: reconciler.alertsTopicArn,
        namePrefix: settings.namePrefix,
        anomalyMinimumImpact: settings.anomalyMinimumImpact,
      },
      // Tag-based budgets and monitors need the resource tag keys active first (and only
      // those: a principal key that cannot be activated yet must not hold them back).
      costAllocationTags === undefined
        ? undefined
        : { dependsOn: Object.values(costAllocationTags.tags) },
    );
  }
  return { registry, reconciler, costAllocationTags, budgets };
}
