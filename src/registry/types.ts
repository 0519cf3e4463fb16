/**
 * The validated registry, as every part of the guard sees it. Illegal states are not
 * representable: a run-rate workflow always has a budget, a learning workflow always has a
 * review date.
 */
import type { PolicyName, RENEWAL_DECISIONS, RISKS, STAGES } from "./schema";

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
  /** The team that absorbs the review and rework time; undefined = the workflow's own team. */
  readonly team?: string;
  /** Minutes a person spends redoing one reworked output. */
  readonly reworkMinutes?: number;
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

/** The exception path: what an escalated item costs, and the team that pays for it. */
export interface Exceptions {
  readonly minutesPerItem: number;
  readonly hourlyRate: number;
  readonly team: string;
}

/** Outcome metrics in CloudWatch (daily Sum over the month, like `volume.metric`). */
export interface OutcomeMetrics {
  readonly namespace: string;
  /** Metric names. */
  readonly accepted: string;
  readonly reworked?: string;
  readonly escalated?: string;
  /** The dimension naming the model, for outcomes per model. */
  readonly modelDimension?: string;
  /** Dimensions every outcome metric carries. */
  readonly dimensions?: Readonly<Record<string, string>>;
}

/** Outcomes as shares of the workflow's items (sum at most 1). */
export interface ExpectedOutcomes {
  readonly acceptedShare: number;
  readonly reworkShare?: number;
  readonly escalationShare?: number;
}

/** Measured, estimated, or both (measured wins); never neither. */
export type Outcomes =
  | { readonly metrics: OutcomeMetrics; readonly expected?: ExpectedOutcomes }
  | { readonly metrics?: undefined; readonly expected: ExpectedOutcomes };

export type RenewalDecision = (typeof RENEWAL_DECISIONS)[number];

/** A decision that moved the review date, with the result and the lesson it rests on. */
export interface Renewal {
  readonly date: string;
  readonly decision: RenewalDecision;
  /** The new review date. */
  readonly until: string;
  readonly result: string;
  readonly lesson: string;
  readonly decidedBy: string;
}

/** A review queue metric and its limits (at least one of max and growth). */
export interface ReviewQueueTrigger {
  readonly metric: VolumeMetric;
  readonly max?: number;
  readonly growth?: number;
}

export interface Triggers {
  /** Spend growth week on week. */
  readonly growth?: number;
  readonly reviewQueue?: ReviewQueueTrigger;
  /** Share a usage type's unit cost may move month on month before it is flagged. */
  readonly unitPrice?: number;
  /** Points the measured rework share may exceed the expected one. */
  readonly reworkMargin?: number;
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
  readonly triggers: Triggers;
  /** The owner's team (a cost centre); undefined when not declared. */
  readonly team?: string;
  readonly outcomes?: Outcomes;
  readonly exceptions?: Exceptions;
  /** In file order; the latest (by date) set the review date. */
  readonly renewals: readonly Renewal[];
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
