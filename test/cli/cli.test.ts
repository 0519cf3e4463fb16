import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/main";
import { memoryIo } from "../helpers/io";

const ROOT = join(__dirname, "..", "..");
const EXAMPLE = readFileSync(join(ROOT, "workflows.yaml"), "utf8");

function scratch(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "asg-cli-"));
  writeFileSync(join(dir, "workflows.yaml"), content);
  return dir;
}

describe("ai-spend-guard validate", () => {
  it("exits 0 and prints the workflow map for a valid registry", async () => {
    const io = memoryIo({ cwd: scratch(EXAMPLE) });
    expect(await run(["validate"], io)).toBe(0);
    expect(io.stdout()).toContain("valid: workflows.yaml (6 workflows)");
    expect(io.stdout()).toMatch(
      /support-triage\s+dana@example.com\s+run-rate\s+medium\s+1,200.00\s+13,000.00/,
    );
    expect(io.stdout()).toContain(
      "board-memo-pilot.reviewBy: review date 2026-12-08 is in 10 day(s)",
    );
  });

  it("exits 1 and lists every problem for an invalid registry", async () => {
    const io = memoryIo({
      cwd: scratch(
        EXAMPLE.replace("owner: dana@example.com", "owners: dana@example.com").replace(
          "risk: low",
          "risk: lowish",
        ),
      ),
    });
    expect(await run(["validate"], io)).toBe(1);
    expect(io.stderr()).toContain("invalid: workflows.yaml has 3 problem(s)");
    expect(io.stderr()).toMatch(
      /workflows.yaml:\d+:5 {2}workflows.support-triage.owners: unknown key "owners" \(did you mean "owner"\?\)/,
    );
  });

  it("--json reports problems as data with positions", async () => {
    const io = memoryIo({ cwd: scratch(EXAMPLE.replace("currency: USD", "currency: dollars")) });
    expect(await run(["validate", "--json"], io)).toBe(1);
    const report = JSON.parse(io.stdout());
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        file: "workflows.yaml",
        line: 8,
        col: 13,
        path: "settings.currency",
      }),
    ]);
  });

  it("--json on a valid registry lists the workflows", async () => {
    const io = memoryIo({ cwd: scratch(EXAMPLE) });
    expect(await run(["validate", "--json"], io)).toBe(0);
    const report = JSON.parse(io.stdout());
    expect(report.workflows.map((w: { id: string }) => w.id)).toContain("contract-drafting");
    expect(
      report.workflows.find((w: { id: string }) => w.id === "contract-drafting").reviewCostEstimate,
    ).toBe(17600);
  });

  it("exits 2 on a missing file", async () => {
    const io = memoryIo({ cwd: scratch(EXAMPLE) });
    expect(await run(["validate", "missing.yaml"], io)).toBe(2);
    expect(io.stderr()).toMatch(/missing.yaml does not exist/);
  });

  it("exits 2 on an unknown option, with the usage", async () => {
    const io = memoryIo();
    expect(await run(["validate", "--jsn"], io)).toBe(2);
    expect(io.stderr()).toContain("Unknown option '--jsn'");
    expect(io.stderr()).toContain("Usage: ai-spend-guard validate");
  });

  it("exits 2 on an unknown command and on no command", async () => {
    const io = memoryIo();
    expect(await run(["valdate"], io)).toBe(2);
    expect(io.stderr()).toContain('unknown command "valdate"');
    expect(await run([], memoryIo())).toBe(2);
  });

  it("--help works on every command and documents the exit codes", async () => {
    for (const argv of [["--help"], ["validate", "--help"], ["demo", "--help"]]) {
      const io = memoryIo();
      expect(await run(argv, io)).toBe(0);
      expect(io.stdout()).toMatch(/Exit codes: 0/);
    }
  });
});

describe("the installed bin", () => {
  const bin = join(ROOT, "bin", "ai-spend-guard.js");

  it("returns the real process exit codes", () => {
    const ok = spawnSync(process.execPath, [bin, "validate"], {
      cwd: scratch(EXAMPLE),
      encoding: "utf8",
    });
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, [bin, "validate"], {
      cwd: scratch(EXAMPLE.replace("version: 1", "version: 3")),
      encoding: "utf8",
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("workflows.yaml:4:10  version: must be 1");
    const usage = spawnSync(process.execPath, [bin, "validate", "a", "b"], { encoding: "utf8" });
    expect(usage.status).toBe(2);
  });

  it("reads the registry named by AI_SPEND_GUARD_REGISTRY", () => {
    const dir = scratch(EXAMPLE);
    const result = spawnSync(process.execPath, [bin, "validate", "--json"], {
      cwd: tmpdir(),
      env: { ...process.env, AI_SPEND_GUARD_REGISTRY: join(dir, "workflows.yaml") },
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).source).toMatch(/asg-cli-\w+\/workflows.yaml$/);
  });
});
