/**
 * YAML text -> validated `Registry`, with every problem positioned at its line and column.
 * Pure: no file system access (see `load.ts`), so the Lambda can parse an embedded copy.
 */
import { isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import { RegistryValidationError } from "./errors";
import type { RegistryProblem } from "./errors";
import { crossFieldProblems } from "./rules";
import type { Path } from "./rules";
import { registrySchema } from "./schema";
import type { RawRegistry } from "./schema";
import type { Registry, Workflow } from "./types";
import { formatPath, locate, yamlPositions } from "./yaml-positions";
import type { At } from "./yaml-positions";
import { aliasProblem, depthProblem, MAX_ALIAS_COUNT, yamlProblem } from "./yaml-errors";
import { describeIssue } from "./zod-issues";
import type { Described } from "./zod-issues";

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
  const { lineCounter, at } = yamlPositions(source);
  // uniqueKeys off: we report duplicates ourselves, with the path and both positions.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });

  const yamlError = yamlProblem(doc, text, at) ?? depthProblem(doc, at);
  if (yamlError !== undefined) return { ok: false, problems: [yamlError] };
  if (!isMap(doc.contents)) {
    return {
      ok: false,
      problems: [
        at(
          doc.contents?.range?.[0] ?? 0,
          "",
          `the registry must be a YAML mapping with version, settings and workflows (see README: The workflow registry); this file holds ${describeTop(doc)}`,
        ),
      ],
    };
  }

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The parser's guard against alias bombs is the one error toJS throws.
    if (error instanceof ReferenceError) return { ok: false, problems: [aliasProblem(doc, at)] };
    throw error;
  }
  const problems: RegistryProblem[] = [...duplicateKeyProblems(doc, at)];
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

/** What the document holds instead of a mapping, in words. */
function describeTop(doc: Document): string {
  const contents = doc.contents;
  if (contents === null) return "nothing (it is empty)";
  if (isSeq(contents)) return "a list";
  if (isScalar(contents)) {
    if (contents.value === null) return "null (an empty value)";
    return typeof contents.value === "string"
      ? `the text "${contents.value.slice(0, 40)}${contents.value.length > 40 ? "..." : ""}"`
      : `the ${typeof contents.value} ${String(contents.value)}`;
  }
  return "something else";
}

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
    const value: unknown = isMap(pair.value)
      ? pair.value.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT })
      : undefined;
    const prefix: Path = ["workflows", id];
    const relative = (path: Path): Path => path.slice(2);
    const found: Described[] = [];
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
      team: w.team,
      // crossFieldProblems guarantees metrics or expected.
      outcomes: w.outcomes as Workflow["outcomes"],
      exceptions: w.exceptions,
      renewals: w.renewals ?? [],
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
