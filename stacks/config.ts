/**
 * Stack configuration (`Pulumi.<stack>.yaml`, namespace `ai-spend-guard`) -> `StackSettings`.
 * Every value is checked here, and a bad one is reported as `ai-spend-guard:<key>: <why>`.
 */
import * as pulumi from "@pulumi/pulumi";
import { relative } from "node:path";
import { locateRegistry } from "../src/registry";
import { readRegistryText } from "../src/registry/load";
import { parseReconcilerOptions } from "./components/reconciler-options";
import type { StackSettings } from "./program";

export const CONFIG_NAMESPACE = "ai-spend-guard";

/** Config keys this program reads (and documents in Pulumi.yaml). */
export const CONFIG_KEYS = [
  "registry",
  "guardWorkflow",
  "namePrefix",
  "activateCostAllocationTags",
  "activatePrincipalCostAllocationTags",
  "anomalyMinimumImpact",
  "schedule",
  "scheduleTimezone",
  "reportPrefix",
  "reportRetentionDays",
  "costMetric",
  "groupByAccount",
  "accountChecks",
  "metricsNamespace",
  "logRetentionDays",
  "costSource",
  "curExportName",
  "curBytesScannedCutoffPerQuery",
] as const;

type Getter = (key: string) => string | undefined;

/** Read the registry and the settings; `get` defaults to the stack's Pulumi config. */
export function readStackSettings(
  get: Getter = (key) => new pulumi.Config(CONFIG_NAMESPACE).get(key),
  cwd: string = process.cwd(),
): StackSettings {
  const problems: string[] = [];
  const number = (key: string): number | undefined => {
    const raw = get(key);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value)) {
      problems.push(`${CONFIG_NAMESPACE}:${key}: must be a number, got "${raw}"`);
      return undefined;
    }
    return value;
  };
  const boolean = (key: string): boolean | undefined => {
    const raw = get(key);
    if (raw === undefined) return undefined;
    if (raw === "true" || raw === "false") return raw === "true";
    problems.push(`${CONFIG_NAMESPACE}:${key}: must be true or false, got "${raw}"`);
    return undefined;
  };

  const reconciler = {
    schedule: get("schedule"),
    scheduleTimezone: get("scheduleTimezone"),
    reportPrefix: get("reportPrefix"),
    reportRetentionDays: number("reportRetentionDays"),
    costMetric: get("costMetric"),
    groupByAccount: boolean("groupByAccount"),
    accountChecks: boolean("accountChecks"),
    metricsNamespace: get("metricsNamespace"),
    logRetentionDays: number("logRetentionDays"),
    costSource: get("costSource"),
    curExportName: get("curExportName"),
    curBytesScannedCutoffPerQuery: number("curBytesScannedCutoffPerQuery"),
  };
  const activateCostAllocationTags = boolean("activateCostAllocationTags");
  const activatePrincipalCostAllocationTags = boolean("activatePrincipalCostAllocationTags");
  const anomalyMinimumImpact = number("anomalyMinimumImpact");
  try {
    parseReconcilerOptions(reconciler, `${CONFIG_NAMESPACE}:`);
  } catch (error) {
    problems.push(
      ...(error as Error).message
        .split("\n")
        .slice(1)
        .map((l) => l.trim()),
    );
  }
  if (problems.length > 0) {
    throw new Error(`invalid stack configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }

  const located = locateRegistry(get("registry") ?? "workflows.yaml", { cwd });
  const registryText = readRegistryText(located);
  const display = relative(cwd, located.path);
  return {
    ...(reconciler as StackSettings),
    registryText,
    registrySource: display === "" || display.startsWith("..") ? located.path : display,
    guardWorkflow: get("guardWorkflow"),
    namePrefix: get("namePrefix"),
    activateCostAllocationTags,
    activatePrincipalCostAllocationTags,
    anomalyMinimumImpact,
  };
}
