/**
 * The corpus: Pulumi documents of every format and engine version the README claims, in the
 * shapes the CLI writes them (previews with and without --show-sames, exports v3 and v4,
 * --show-secrets, DIY checkpoints v1 and v3, UTF-16, the refused v0 and unknown features),
 * each checked against the repository's registry and compared with `<name>.expected.json`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDocument, readPulumiDocument } from "../../src/check";
import { parseRegistry } from "../../src/registry";
import { ROOT } from "./fixtures";

const CORPUS = join(__dirname, "corpus");
const REGISTRY = parseRegistry(
  readFileSync(join(ROOT, "workflows.yaml"), "utf8"),
  "workflows.yaml",
);

type Expected =
  | { readonly about: string; readonly error: string }
  | {
      readonly about: string;
      readonly format: string;
      readonly passed: boolean;
      readonly summary: Record<string, number>;
      /** `<enforcement> <policy> <name>`, in report order. */
      readonly findings: readonly string[];
      /** `<type> <name>`. */
      readonly clean: readonly string[];
      /** Each note, in order, starts with (or contains) this text. */
      readonly notes: readonly string[];
      /** Texts the messages of a resource's findings contain. */
      readonly messages?: Readonly<Record<string, readonly string[]>>;
      /** Values that were secret: in no output. */
      readonly neverPrinted?: readonly string[];
    };

const documents = readdirSync(CORPUS)
  .filter((f) => f.endsWith(".json") && !f.endsWith(".expected.json"))
  .sort();

describe("the corpus of real-shaped Pulumi documents", () => {
  it("holds every format the README claims", () => {
    const prefixes = new Set(documents.map((f) => f.split("-").slice(0, 2).join("-")));
    expect([...prefixes].sort()).toEqual(
      expect.arrayContaining([
        "checkpoint-v0.json",
        "checkpoint-v1.json",
        "checkpoint-v3.json",
        "preview-changes",
        "preview-show",
        "stack-export",
      ]),
    );
    expect(documents.length).toBeGreaterThanOrEqual(10);
  });

  it.each(documents)("%s", (file) => {
    const expected = JSON.parse(
      readFileSync(join(CORPUS, file.replace(/\.json$/, ".expected.json")), "utf8"),
    ) as Expected;
    const bytes = readFileSync(join(CORPUS, file));
    const run = () =>
      checkDocument(file, readPulumiDocument(bytes, file), {
        registry: REGISTRY,
        today: "2026-11-28",
      });
    if ("error" in expected) {
      expect(run).toThrow(expected.error);
      return;
    }
    const report = run();
    expect(report.format).toBe(expected.format);
    expect(report.passed).toBe(expected.passed);
    expect(report.summary).toEqual(expected.summary);
    expect(report.findings.map((f) => `${f.enforcement} ${f.policy} ${f.name}`)).toEqual(
      expected.findings,
    );
    expect(report.clean.map((c) => `${c.type} ${c.name}`)).toEqual(expected.clean);
    expect(report.notes).toHaveLength(expected.notes.length);
    report.notes.forEach((note, i) => expect(note).toContain(expected.notes[i]));
    for (const [name, texts] of Object.entries(expected.messages ?? {})) {
      const messages = report.findings
        .filter((f) => f.name === name)
        .map((f) => f.message)
        .join("\n");
      for (const text of texts) expect(messages).toContain(text);
    }
    const printed = JSON.stringify(report);
    for (const secret of expected.neverPrinted ?? []) expect(printed).not.toContain(secret);
  });
});
