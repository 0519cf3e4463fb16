/**
 * The composite GitHub Action (`action.yml`): valid YAML, the inputs the README documents, and
 * the steps that write the job summary, upload SARIF and give the verdict.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CHECK_FORMATS } from "../../src/cli/check-format";

const ROOT = join(__dirname, "..", "..");

interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: {
    using: string;
    steps: {
      id?: string;
      name?: string;
      uses?: string;
      run?: string;
      shell?: string;
      if?: string;
    }[];
  };
}

const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8"), {
  prettyErrors: true,
  strict: true,
  uniqueKeys: true,
}) as Action;

describe("action.yml", () => {
  it("is a composite action with the documented inputs", () => {
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs)).toEqual([
      "preview",
      "registry",
      "format",
      "fail-on",
      "upload-sarif",
      "working-directory",
    ]);
    expect(action.inputs.preview!.required).toBe(true);
    expect(action.inputs["fail-on"]!.default).toBe("mandatory");
    // Its default is one of the CLI's formats, and the description names them all.
    expect(CHECK_FORMATS).toContain(action.inputs.format!.default);
    for (const format of CHECK_FORMATS) expect(action.inputs.format!.description).toContain(format);
    for (const input of Object.values(action.inputs)) expect(input.description).not.toBe("");
  });

  it("writes the Markdown summary, uploads the SARIF and then gives the verdict", () => {
    const [check, upload, verdict] = action.runs.steps;
    expect(check!.run).toContain('--format markdown >> "$GITHUB_STEP_SUMMARY"');
    expect(check!.run).toContain("--format sarif >");
    expect(upload!.uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
    expect(upload!.if).toContain("always()");
    expect(verdict!.run).toContain("exit 1");
    for (const step of action.runs.steps)
      if (step.run !== undefined) expect(step.shell).toBe("bash");
  });

  it("never splices an input into a script (they reach it through the environment)", () => {
    for (const step of action.runs.steps) {
      expect(step.run ?? "").not.toMatch(/\$\{\{/);
    }
  });

  it("is documented in the README: each input, and a complete job", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### GitHub Action"));
    for (const input of Object.keys(action.inputs)) expect(section).toContain(`| \`${input}\``);
    expect(section).toMatch(/uses: [\w-]+\/ai-spend-guard@/);
    expect(section).toContain("security-events: write");
    expect(section).toContain("pulumi preview");
  });
});
