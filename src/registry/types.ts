/**
 * The validated registry, as every part of the guard sees it. Illegal states are not
 * representable: a run-rate workflow always has a budget, a learning workflow always has a
 * review date.
 */
import type { PolicyName, RISKS, STAGES } from "./schema";

export type Stage = (typeof STAGES)[number];
export type Risk = (typeof RISKS)[number];

export interface Budget {
  /** Monthly limit in `settings.currency`. */
  readonly monthly: number;
  /** Percentages of actual spend that notify the owner. */
  readonly alerts: readonly number[];
  /** Percentage of forecast spend that notifies the owner, when set. */
  readonly forecastAlert?: number;
}

/** Human review as a first-class cost line. */
export interface Review {
  readonly reviewer?: string;
  /** Fraction of outputs a person checks, 0..1. */
  readonly share: number;
  readonly minutesPerItem: number;
  readonly hourlyRate: number;
}

export interface VolumeMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions?: Readonly<Record<string, string>>;
}

export interface Volume {
  readonly itemsPerMonth: number;
  readonly metric?: VolumeMetric;
}

interface WorkflowCommon {
  /** The workflow id: the value of the workflow tag. */
  readonly id: string;
  readonly description: string;
  /** Accountable owner's email: the value of the owner tag. */
  readonly owner: string;
  readonly financePartner?: string;
  readonly risk: Risk;
  /** Allow-list of Bedrock model id globs; undefined = no restriction. */
  readonly models?: readonly string[];
  /** Allow-list of SageMaker instance type globs; undefined = no restriction. */
  readonly instanceTypes?: readonly string[];
  readonly review?: Review;
  readonly volume?: Volume;
  readonly triggers: { readonly growth?: number };
  /** Application inference profiles to create for attribution: name -> model ARN. */
  readonly inferenceProfiles: Readonly<Record<string, string>>;
}

export interface RunRateWorkflow extends WorkflowCommon {
  readonly stage: "run-rate";
  readonly budget: Budget;
  readonly reviewBy?: string;
}

export interface LearningWorkflow extends WorkflowCommon {
  readonly stage: "learning";
  readonly reviewBy: string;
  readonly budget?: Budget;
}

export type Workflow = RunRateWorkflow | LearningWorkflow;

export interface Exemption {
  /** URN glob (`*` matches any run of characters). */
  readonly resource: string;
  readonly policy: PolicyName;
  readonly reason: string;
  readonly approvedBy: string;
  /** Last day the exemption applies, `YYYY-MM-DD` (inclusive). */
  readonly expires: string;
  /** Set to true to waive the policy for every resource (a glob such as `*`); refused otherwise. */
  readonly allResources?: boolean;
}

export interface TagKeys {
  readonly workflow: string;
  readonly owner: string;
}

export interface Settings {
  readonly tagKeys: TagKeys;
  readonly currency: string;
  readonly allowedEmailDomains?: readonly string[];
  readonly unownedSpendContact: string;
  readonly unownedShareAlert: number;
  /**
   * Also attribute spend without a resource tag by the caller's principal tag
   * (`iamPrincipal/<tagKeys.workflow>`); default true.
   */
  readonly principalTags: boolean;
}

export interface Registry {
  /** Where the registry was read from (a path, or a name for embedded text). */
  readonly source: string;
  readonly version: 1;
  readonly settings: Settings;
  /** In file order. */
  readonly workflows: readonly Workflow[];
  readonly exemptions: readonly Exemption[];
}
