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
    expect(io.stderr()).toContain("invalid: workflows.yaml has 3 problems");
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

describe("validate wording and terminal safety", () => {
  it('says "1 workflow", not "1 workflows"', async () => {
    const one = `version: 1
settings:
  currency: USD
  unownedSpendContact: finops@example.com
workflows:
  solo:
    description: The only one
    owner: solo@example.com
    stage: learning
    reviewBy: 2027-06-30
    risk: low
`;
    const io = memoryIo({ cwd: scratch(one) });
    expect(await run(["validate"], io)).toBe(0);
    expect(io.stdout()).toContain("valid: workflows.yaml (1 workflow)");
  });

  it("shows escape sequences and bidi controls in registry strings instead of running them", async () => {
    const crafted = EXAMPLE.replace(
      'models: ["anthropic.claude-haiku-*", "amazon.nova-*"]',
      'models: ["anthropic.claude-haiku-*\u001b[2J\u202e", "amazon.nova-*"]',
    );
    expect(crafted).not.toBe(EXAMPLE);
    const io = memoryIo({ cwd: scratch(crafted) });
    expect(await run(["validate"], io)).toBe(0);
    expect(io.stdout()).not.toContain("\u001b");
    expect(io.stdout()).not.toContain("\u202e");
    expect(io.stdout()).toContain("anthropic.claude-haiku-*\\x1b[2J\\u{202E}");
    // JSON keeps the exact value.
    const json = memoryIo({ cwd: scratch(crafted) });
    expect(await run(["validate", "--json"], json)).toBe(0);
    expect(JSON.stringify(JSON.parse(json.stdout()))).toContain("\\u001b[2J\u202e");
  });

  it("an exemption for a type and name that did not apply is warned about", async () => {
    const io = memoryIo({ cwd: scratch(EXAMPLE), today: "2027-02-01" });
    expect(await run(["validate"], io)).toBe(0);
    expect(io.stdout()).toContain(
      "warning exemptions[0].expires: expired on 2027-01-31: it no longer applies",
    );
  });
});

describe("demo options", () => {
  it('--out "" is a usage error, not the current directory', async () => {
    const io = memoryIo({ cwd: mkdtempSync(join(tmpdir(), "asg-demo-")) });
    expect(await run(["demo", "--out", ""], io)).toBe(2);
    expect(io.stderr()).toContain("--out needs a directory");
  });

  it("--out under /proc fails at once with a clear error (it used to spin forever)", async () => {
    const io = memoryIo();
    expect(await run(["demo", "--out", "/proc/asg-demo-out/reports"], io)).toBe(2);
    expect(io.stderr()).toMatch(/cannot write the report to \/proc\/asg-demo-out\/reports: /);
  }, 10_000);

  it("--registry without the guard's workflow says what the demo needs, not a stack config key", async () => {
    const dir = scratch(EXAMPLE.replace(/\n {2}ai-spend-guard:\n(?: {4}.*\n| {6}.*\n)*/, "\n"));
    const io = memoryIo({ cwd: dir });
    expect(await run(["demo", "--registry", "workflows.yaml", "--out", "out"], io)).toBe(2);
    expect(io.stderr()).toContain('no workflow "ai-spend-guard"');
    expect(io.stderr()).not.toContain("ai-spend-guard:guardWorkflow");
  });
});
