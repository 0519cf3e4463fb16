/** `validate --base`: the change against the registry it replaces, through the command. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/main";
import { memoryIo } from "../helpers/io";

const EXAMPLE = readFileSync(join(__dirname, "..", "..", "workflows.yaml"), "utf8");

function scratch(head: string, base: string): string {
  const dir = mkdtempSync(join(tmpdir(), "asg-base-"));
  writeFileSync(join(dir, "workflows.yaml"), head);
  writeFileSync(join(dir, "base.yaml"), base);
  return dir;
}

describe("ai-spend-guard validate --base", () => {
  it("passes an unchanged registry", async () => {
    const io = memoryIo({ cwd: scratch(EXAMPLE, EXAMPLE) });
    expect(await run(["validate", "--base", "base.yaml"], io)).toBe(0);
    expect(io.stderr()).toBe("");
  });

  it("fails a budget raised by more than half without a renewal, positioned in the new file", async () => {
    const head = EXAMPLE.replace("monthly: 1200", "monthly: 2400");
    const io = memoryIo({ cwd: scratch(head, EXAMPLE) });
    expect(await run(["validate", "--base", "base.yaml"], io)).toBe(1);
    const line = head.split("\n").findIndex((l) => l.includes("monthly: 2400")) + 1;
    expect(io.stderr()).toContain("invalid change: workflows.yaml against base.yaml has 1 problem");
    expect(io.stderr()).toMatch(
      new RegExp(
        `workflows\\.yaml:${line}:\\d+  workflows\\.support-triage\\.budget\\.monthly: raised from 1200 to 2400`,
      ),
    );
  });

  it("reports an owner change and still passes", async () => {
    const head = EXAMPLE.replace("owner: dana@example.com", "owner: lee@example.com");
    const io = memoryIo({ cwd: scratch(head, EXAMPLE) });
    expect(await run(["validate", "--base", "base.yaml"], io)).toBe(0);
    expect(io.stdout()).toContain("owner changes from dana@example.com to lee@example.com");
  });

  it("reports an invalid base with its own positions, naming the base file", async () => {
    const io = memoryIo({
      cwd: scratch(EXAMPLE, EXAMPLE.replace("owner: dana@example.com", "owner: dana at example")),
    });
    expect(await run(["validate", "--base", "base.yaml"], io)).toBe(1);
    expect(io.stderr()).toContain("invalid base: base.yaml (--base) has 1 problem");
    expect(io.stderr()).toMatch(
      /base base\.yaml:\d+:\d+ {2}workflows\.support-triage\.owner: "dana at example"/,
    );
  });

  it("says when the base cannot be read", async () => {
    const io = memoryIo({ cwd: scratch(EXAMPLE, EXAMPLE) });
    expect(await run(["validate", "--base", "missing.yaml"], io)).toBe(2);
    expect(io.stderr()).toContain("error: --base:");
  });
});
