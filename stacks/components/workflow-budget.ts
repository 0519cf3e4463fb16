/**
 * `WorkflowBudget`: everything that tells one workflow's owner about its spend. An AWS budget on
 * the workflow's cost allocation tag (ACTUAL alerts plus the FORECASTED one, to the owner and
 * finance partner), a Cost Anomaly Detection monitor on the same tag with a daily email
 * subscription to the owner, and, when the registry lists them, tagged Bedrock application
 * inference profiles so on-demand model calls can be attributed to the workflow at all.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Settings, Workflow } from "../../src/registry";
import {
  anomalyMonitorSpecification,
  BUDGET_CURRENCY,
  anomalyThreshold,
  budgetNotifications,
  checkAnomalyMinimumImpact,
  checkBudgetCurrency,
  limitAmount,
  tagKeyValue,
} from "./budget-spec";
import {
  anomalyName,
  budgetName,
  inferenceProfileDescription,
  inferenceProfileNameProblem,
} from "./naming";
import type { Tags } from "./tags";

export interface WorkflowBudgetArgs {
  /** The workflow, from the registry (`findWorkflow(registry, id)`). */
  readonly workflow: Workflow;
  /** The registry's settings: tag keys and currency. */
  readonly settings: Pick<Settings, "tagKeys" | "currency">;
  /**
   * Tags for the budget and the anomaly watch: whoever pays for the guard (usually
   * `guardTags(registry)`). Inference profiles always carry the workflow's own tags instead.
   */
  readonly tags: Tags;
  /**
   * An SNS topic that also receives every notification (and, immediately, every anomaly). Its
   * policy must let budgets.amazonaws.com and costalerts.amazonaws.com publish
   * (`Reconciler.alertsTopicArn` does). Optional.
   */
  readonly alertsTopicArn?: pulumi.Input<string>;
  /** Prefix of the budget and monitor names (default `ai-spend-guard`). */
  readonly namePrefix?: string;
  /**
   * Smallest anomaly total impact, in the registry currency, worth an email (default 10). The
   * threshold is a tenth of the monthly budget when that is larger.
   */
  readonly anomalyMinimumImpact?: number;
}

/** Tags of the workflow itself, for resources whose cost belongs to it. */
function ownTags(settings: WorkflowBudgetArgs["settings"], workflow: Workflow): Tags {
  return { [settings.tagKeys.workflow]: workflow.id, [settings.tagKeys.owner]: workflow.owner };
}

/** The inference profile names of `workflow` that cannot exist in Bedrock, by registry field. */
export function inferenceProfileProblems(workflow: Workflow): {
  readonly path: readonly string[];
  readonly at: readonly string[];
  readonly message: string;
}[] {
  return Object.keys(workflow.inferenceProfiles).flatMap((name) => {
    const problem = inferenceProfileNameProblem(name);
    const path = ["workflows", workflow.id, "inferenceProfiles"];
    return problem === undefined
      ? []
      : [{ path, at: [...path, name], message: `${problem} (a Bedrock inference profile name)` }];
  });
}

/** Fail before registering anything when an inference profile name cannot exist in Bedrock. */
export function checkInferenceProfiles(workflow: Workflow): void {
  const problems = inferenceProfileProblems(workflow);
  if (problems.length > 0) {
    throw new Error(problems.map((p) => `${p.path.join(".")}: ${p.message}`).join("\n"));
  }
}

/** `arn:aws:bedrock:us-east-1::foundation-model/...` -> `us-east-1` (profiles live beside their model). */
function modelRegion(modelArn: string): string | undefined {
  const region = modelArn.split(":")[3];
  return region === undefined || region === "" ? undefined : region;
}

export class WorkflowBudget extends pulumi.ComponentResource {
  /** The budget, or undefined for a learning workflow without one. */
  readonly budget: aws.budgets.Budget | undefined;
  readonly anomalyMonitor: aws.costexplorer.AnomalyMonitor;
  readonly anomalySubscriptions: readonly aws.costexplorer.AnomalySubscription[];
  /** Registry name -> profile. Call the model through the profile's ARN to attribute spend. */
  readonly inferenceProfiles: Readonly<Record<string, aws.bedrock.InferenceProfile>>;

  constructor(name: string, args: WorkflowBudgetArgs, opts?: pulumi.ComponentResourceOptions) {
    const { workflow, settings, tags } = args;
    super("ai-spend-guard:budgets:WorkflowBudget", name, {}, opts);
    checkInferenceProfiles(workflow);
    if (workflow.budget !== undefined) checkBudgetCurrency(settings.currency);
    const minimumImpact = checkAnomalyMinimumImpact(
      args.anomalyMinimumImpact ?? 10,
      settings.currency,
    );
    const prefix = args.namePrefix ?? "ai-spend-guard";
    // What this component depends on (e.g. tag activation), its children depend on.
    const parent = { parent: this, dependsOn: opts?.dependsOn };
    const snsTopics = args.alertsTopicArn === undefined ? undefined : [args.alertsTopicArn];

    this.budget =
      workflow.budget === undefined
        ? undefined
        : new aws.budgets.Budget(
            `${name}-budget`,
            {
              name: budgetName(prefix, workflow.id),
              budgetType: "COST",
              timeUnit: "MONTHLY",
              limitAmount: limitAmount(workflow.budget.monthly),
              limitUnit: BUDGET_CURRENCY,
              costFilters: [
                {
                  name: "TagKeyValue",
                  values: [tagKeyValue(settings.tagKeys.workflow, workflow.id)],
                },
              ],
              notifications: budgetNotifications(workflow, workflow.budget).map((n) => ({
                ...n,
                subscriberEmailAddresses: [...n.subscriberEmailAddresses],
                subscriberSnsTopicArns: snsTopics,
              })),
              tags: { ...tags },
            },
            parent,
          );

    this.anomalyMonitor = new aws.costexplorer.AnomalyMonitor(
      `${name}-anomaly-monitor`,
      {
        name: anomalyName(prefix, workflow.id),
        monitorType: "CUSTOM",
        monitorSpecification: anomalyMonitorSpecification(settings.tagKeys.workflow, workflow.id),
        tags: { ...tags },
      },
      parent,
    );

    const threshold = anomalyThreshold(workflow, minimumImpact);
    const thresholdExpression = {
      dimension: {
        key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
        matchOptions: ["GREATER_THAN_OR_EQUAL"],
        values: [String(threshold)],
      },
    };
    // Email subscribers may only get DAILY or WEEKLY summaries; IMMEDIATE needs SNS. Hence two.
    const subscriptions = [
      new aws.costexplorer.AnomalySubscription(
        `${name}-anomaly-owner`,
        {
          name: anomalyName(prefix, `${workflow.id}-owner`),
          frequency: "DAILY",
          monitorArnLists: [this.anomalyMonitor.arn],
          subscribers: [{ type: "EMAIL", address: workflow.owner }],
          thresholdExpression,
          tags: { ...tags },
        },
        parent,
      ),
    ];
    if (args.alertsTopicArn !== undefined) {
      subscriptions.push(
        new aws.costexplorer.AnomalySubscription(
          `${name}-anomaly-alerts`,
          {
            name: anomalyName(prefix, `${workflow.id}-alerts`),
            frequency: "IMMEDIATE",
            monitorArnLists: [this.anomalyMonitor.arn],
            subscribers: [{ type: "SNS", address: args.alertsTopicArn }],
            thresholdExpression,
            tags: { ...tags },
          },
          parent,
        ),
      );
    }
    this.anomalySubscriptions = subscriptions;

    const profiles: Record<string, aws.bedrock.InferenceProfile> = {};
    for (const [profileName, modelArn] of Object.entries(workflow.inferenceProfiles).sort()) {
      profiles[profileName] = new aws.bedrock.InferenceProfile(
        `${name}-profile-${profileName}`,
        {
          name: profileName,
          description: inferenceProfileDescription(`${workflow.id} ${workflow.description}`),
          modelSource: { copyFrom: modelArn },
          region: modelRegion(modelArn),
          tags: { ...ownTags(settings, workflow) },
        },
        parent,
      );
    }
    this.inferenceProfiles = profiles;

    this.registerOutputs({
      budgetName: this.budget?.name,
      anomalyMonitorArn: this.anomalyMonitor.arn,
      inferenceProfileArns: Object.fromEntries(
        Object.entries(profiles).map(([k, p]) => [k, p.arn]),
      ),
    });
  }
}
