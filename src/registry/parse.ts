/**
 * YAML text -> validated `Registry`, with every problem positioned at its line and column.
 * Pure: no file system access (see `load.ts`), so the Lambda can parse an embedded copy.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import type { z } from "zod";
import { RegistryValidationError } from "./errors";
import type { RegistryProblem } from "./errors";
import { crossFieldProblems } from "./rules";
import type { Path } from "./rules";
import { registrySchema } from "./schema";
import type { RawRegistry } from "./schema";
import type { Registry, Workflow } from "./types";
import { describeSuggestion } from "../util/suggest";

export type CheckResult =
  | { readonly ok: true; readonly registry: Registry }
  | { readonly ok: false; readonly problems: readonly RegistryProblem[] };

/** Parse and validate; throws `RegistryValidationError` listing every problem. */
export function parseRegistry(text: string, source: string): Registry {
  const result = checkRegistry(text, source);
  if (!result.ok) throw new RegistryValidationError(result.problems);
  return result.registry;
}

/** Parse and validate without throwing. */
export function checkRegistry(text: string, source: string): CheckResult {
  const lineCounter = new LineCounter();
  // uniqueKeys off: we report duplicates ourselves, with the path and both positions.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const at = (offset: number, path: string, message: string): RegistryProblem => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: source, line, col, path, message };
  };

  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) =>
        at(error.pos[0], "", `invalid YAML: ${firstLine(error.message)}`),
      ),
    };
  }
  if (!isMap(doc.contents)) {
    return {
      ok: false,
      problems: [
        at(
          0,
          "",
          "the registry must be a YAML mapping with version, settings and workflows (see README: Registry reference)",
        ),
      ],
    };
  }

  const problems: RegistryProblem[] = [...duplicateKeyProblems(doc, at)];
  const raw: unknown = doc.toJS();
  const parsed = registrySchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      for (const { path, message, atKey } of describeIssue(issue)) {
        problems.push(at(locate(doc.contents, path, atKey), formatPath(path), message));
      }
    }
  }
  for (const { path, message, atKey } of crossFieldProblems(raw)) {
    problems.push(at(locate(doc.contents, path, atKey ?? false), formatPath(path), message));
  }
  problems.push(...shadowedWorkflowProblems(doc, raw, at));

  if (problems.length > 0 || !parsed.success) {
    return { ok: false, problems: sortUnique(problems) };
  }
  return { ok: true, registry: toRegistry(parsed.data, source) };
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}

/** `["workflows", "support-triage", "budget", "alerts", 1]` -> `workflows.support-triage.budget.alerts[1]` */
export function formatPath(path: Path): string {
  return path
    .map((segment, index) =>
      typeof segment === "number" ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join("");
}

type At = (offset: number, path: string, message: string) => RegistryProblem;

/** Duplicate keys anywhere in the document; a duplicate workflow id gets its own wording. */
function duplicateKeyProblems(doc: Document, at: At): RegistryProblem[] {
  const problems: RegistryProblem[] = [];
  const visit = (node: unknown, path: Path) => {
    if (isMap(node)) {
      const firstSeen = new Map<string, number>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const offset = (pair.key as YamlNode | null)?.range?.[0] ?? 0;
        const previous = firstSeen.get(key);
        if (previous !== undefined) {
          const firstLine = at(previous, "", "").line;
          const isWorkflowId = path.length === 1 && path[0] === "workflows";
          problems.push(
            at(
              offset,
              formatPath([...path, key]),
              isWorkflowId
                ? `workflow id "${key}" is defined twice (first on line ${firstLine}): ids must be unique, rename one or merge them`
                : `"${key}" is given twice (first on line ${firstLine}): keep one`,
            ),
          );
        } else {
          firstSeen.set(key, offset);
        }
        visit(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    }
  };
  visit(doc.contents, []);
  return problems;
}

/**
 * A workflow id given twice is reported once as a duplicate; the copies that the last one
 * shadows are still validated, so fixing the duplicate does not reveal a second round of errors.
 */
function shadowedWorkflowProblems(doc: Document, raw: unknown, at: At): RegistryProblem[] {
  const workflows = isMap(doc.contents) ? doc.contents.get("workflows", true) : undefined;
  if (!isMap(workflows)) return [];
  const settings = (raw as { settings?: unknown }).settings;
  const lastIndex = new Map<string, number>();
  workflows.items.forEach((pair, index) => {
    if (isScalar(pair.key)) lastIndex.set(String(pair.key.value), index);
  });
  const problems: RegistryProblem[] = [];
  workflows.items.forEach((pair, index) => {
    if (!isScalar(pair.key)) return;
    const id = String(pair.key.value);
    if (lastIndex.get(id) === index) return;
    const value: unknown = isMap(pair.value) ? pair.value.toJS(doc) : undefined;
    const prefix: Path = ["workflows", id];
    const relative = (path: Path): Path => path.slice(2);
    const found: { path: Path; message: string; atKey: boolean }[] = [];
    const parsed = registrySchema.shape.workflows.valueType.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        for (const d of describeIssue({ ...issue, path: [...prefix, ...issue.path] }))
          found.push(d);
      }
    }
    for (const p of crossFieldProblems({ settings, workflows: { [id]: value } })) {
      // Domain checks on settings would repeat the main pass; keep only this workflow's.
      if (p.path[0] === "workflows") found.push({ ...p, atKey: p.atKey ?? false });
    }
    for (const { path, message, atKey } of found) {
      const offset =
        path.length === 2
          ? ((pair.key as YamlNode).range?.[0] ?? 0)
          : locate(pair.value, relative(path), atKey);
      problems.push(at(offset, formatPath(path), message));
    }
  });
  return problems;
}

/** Offset of the node at `path` below `root` (its key when `atKey`), or of the nearest ancestor. */
function locate(root: unknown, path: Path, atKey: boolean): number {
  let node: unknown = root;
  let offset = (root as YamlNode | null)?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const isLast = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.findLast(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair === undefined) return offset;
      const keyNode = pair.key as YamlNode;
      const valueNode = pair.value as YamlNode | null;
      offset =
        isLast && atKey
          ? (keyNode.range?.[0] ?? offset)
          : (valueNode?.range?.[0] ?? keyNode.range?.[0] ?? offset);
      if (!isLast && valueNode === null) return keyNode.range?.[0] ?? offset;
      node = valueNode;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as YamlNode | undefined;
      if (item === undefined) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

type Issue = z.core.$ZodIssue;

interface Described {
  readonly path: Path;
  readonly message: string;
  readonly atKey: boolean;
}

const REQUIRED_HINTS: Record<string, string> = {
  version: "add `version: 1` at the top",
  settings: "add a settings block with currency and unownedSpendContact",
  workflows: "add a workflows mapping (id -> workflow)",
  currency: "add the ISO currency of your AWS bill, e.g. `currency: USD`",
  unownedSpendContact: "add the email that receives unowned AI spend, e.g. finops@example.com",
  description: "say in one line what the workflow does",
  owner: "add the accountable owner's email (the value of the owner tag)",
  stage: "add `stage: run-rate` or `stage: learning`",
  risk: "add `risk: low`, `medium` or `high` (what a mistake costs)",
  monthly: "add the monthly budget in settings.currency, e.g. `monthly: 1200`",
  share: "add the fraction of outputs a person checks, 0..1",
  minutesPerItem: "add the minutes a reviewer spends per checked item",
  hourlyRate: "add the reviewer's loaded hourly cost",
  itemsPerMonth: "add the expected number of items per month",
  resource: "add the URN glob the exemption covers",
  policy: "add the policy name the exemption covers",
  reason: "say why the exemption is granted",
  approvedBy: "add the approver's email",
  expires: "add the last day it applies, YYYY-MM-DD",
  namespace: "add the CloudWatch namespace",
  name: "add the CloudWatch metric name",
};

function describeIssue(issue: Issue): Described[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== "symbol");
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = allowedKeysAt(path);
      return issue.keys.map((key) => ({
        path: [...path, key],
        atKey: true,
        message:
          `unknown key "${key}"${describeSuggestion(key, allowed)}` +
          (allowed.length > 0 ? `; allowed keys here: ${allowed.join(", ")}` : ""),
      }));
    }
    case "invalid_type": {
      if (issue.input === undefined) {
        const field = String(path[path.length - 1] ?? "");
        const hint = REQUIRED_HINTS[field];
        return [{ path, atKey: false, message: `is required${hint ? `: ${hint}` : ""}` }];
      }
      // Custom messages (set in the schema) explain the expected value; keep them.
      const custom = !issue.message.startsWith("Invalid input");
      return [
        {
          path,
          atKey: false,
          message: custom
            ? issue.message
            : `must be ${article(issue.expected)} ${issue.expected}, got ${describeValue(issue.input)}`,
        },
      ];
    }
    case "invalid_value": {
      const options = issue.values.map((v) => String(v));
      const got = String(issue.input);
      if (issue.message.startsWith("Invalid")) {
        return [
          {
            path,
            atKey: false,
            message: `must be one of ${options.map((o) => `"${o}"`).join(", ")}, got ${describeValue(issue.input)}${describeSuggestion(got, options)}`,
          },
        ];
      }
      return [{ path, atKey: false, message: issue.message }];
    }
    default:
      return [{ path, atKey: false, message: issue.message }];
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? "an" : "a";
}

function describeValue(value: unknown): string {
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the text "${value}"`;
  return `${typeof value} ${String(value)}`;
}

/** Keys the schema accepts at `path` (for did-you-mean on unknown keys). */
function allowedKeysAt(path: Path): string[] {
  let schema: unknown = registrySchema;
  for (const segment of path) {
    schema = unwrap(schema);
    const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (def === undefined) return [];
    if (def.type === "object") {
      schema = (def.shape as Record<string, unknown>)[String(segment)];
    } else if (def.type === "record") {
      schema = def.valueType;
    } else if (def.type === "array") {
      schema = def.element;
    } else {
      return [];
    }
  }
  const def = (unwrap(schema) as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
  return def?.type === "object" ? Object.keys(def.shape as object) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema as { _zod?: { def?: { type?: string; innerType?: unknown } } } | undefined;
  while (
    current?._zod?.def?.innerType !== undefined &&
    ["optional", "default", "nullable", "prefault"].includes(current._zod.def.type ?? "")
  ) {
    current = current._zod.def.innerType as typeof current;
  }
  return current;
}

function sortUnique(problems: RegistryProblem[]): RegistryProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.line}:${p.col}:${p.path}:${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.col - b.col);
}

/** The validated raw document -> the typed registry (stage-specific invariants hold here). */
function toRegistry(raw: RawRegistry, source: string): Registry {
  const workflows = Object.entries(raw.workflows).map(([id, w]): Workflow => {
    const common = {
      id,
      description: w.description,
      owner: w.owner,
      financePartner: w.financePartner,
      risk: w.risk,
      models: w.models,
      instanceTypes: w.instanceTypes,
      review: w.review,
      volume: w.volume,
      triggers: w.triggers ?? {},
      inferenceProfiles: w.inferenceProfiles ?? {},
    };
    if (w.stage === "learning") {
      // crossFieldProblems guarantees reviewBy for learning workflows.
      return { ...common, stage: "learning", reviewBy: w.reviewBy!, budget: w.budget };
    }
    // ...and a budget for run-rate workflows.
    return { ...common, stage: "run-rate", budget: w.budget!, reviewBy: w.reviewBy };
  });
  return {
    source,
    version: 1,
    settings: raw.settings,
    workflows,
    exemptions: raw.exemptions,
  };
}
