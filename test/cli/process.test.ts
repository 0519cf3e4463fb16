/**
 * The CLI as a process: what only the real bin shows (a closed stdout, the credentials the SDK
 * finds, the version the package carries).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const BIN = join(ROOT, "bin", "ai-spend-guard.js");
const EXAMPLE = readFileSync(join(ROOT, "workflows.yaml"), "utf8");

/** A valid registry with `count` workflows: its workflow map is far larger than a pipe buffer. */
function bigRegistry(count: number): string {
  const workflows = Array.from(
    { length: count },
    (_, i) => `  workflow-${i}:
    description: Generated workflow ${i}
    owner: owner-${i}@example.com
    stage: run-rate
    risk: low
    budget: { monthly: ${100 + i} }
`,
  ).join("");
  return `version: 1
settings:
  currency: USD
  unownedSpendContact: finops@example.com
workflows:
${workflows}`;
}

/** Run the bin with stdout read by a reader that closes after the first chunk (`| head -1`). */
function runIntoClosedPipe(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, AI_SPEND_GUARD_REGISTRY: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once("data", () => child.stdout.destroy());
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("a closed stdout (| head -1)", () => {
  it("ends the process quietly with the command's exit code", async () => {
    const dir = mkdtempSync(join(tmpdir(), "asg-pipe-"));
    writeFileSync(join(dir, "workflows.yaml"), bigRegistry(1500));
    const { code, stderr } = await runIntoClosedPipe(["validate"], dir);
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("keeps the exit code of an invalid registry (1), not a crash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "asg-pipe-"));
    // --json puts the problems on stdout, so the closed pipe is where they go.
    const broken = bigRegistry(1500).replace(/owner: owner-(\d+)@example.com/g, "owner: nobody-$1");
    writeFileSync(join(dir, "workflows.yaml"), broken);
    const { code, stderr } = await runIntoClosedPipe(["validate", "--json"], dir);
    expect(stderr).toBe("");
    expect(code).toBe(1);
  });
});

describe("registry files that are not regular files", () => {
  it("validate on a FIFO with no writer exits 2 at once instead of blocking forever", () => {
    const dir = mkdtempSync(join(tmpdir(), "asg-fifo-"));
    const fifo = join(dir, "workflows.yaml");
    execFileSync("mkfifo", [fifo]);
    const result = spawnSync(process.execPath, [BIN, "validate", "--json"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.signal).toBeNull();
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      valid: false,
      error: `registry ${fifo} is a named pipe (FIFO), not a regular file: point at the registry file itself (a pipe or device could block or never end)`,
    });
  });

  it("validate /dev/zero exits 2 at once", () => {
    const result = spawnSync(process.execPath, [BIN, "validate", "/dev/zero"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("/dev/zero is a device, not a regular file");
  });
});

describe("--version", () => {
  it("prints the package's version", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    const result = spawnSync(process.execPath, [BIN, "--version"], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });
});

describe("reconcile without AWS credentials", () => {
  it("says the credentials are missing, not that Cost Explorer refused", () => {
    const home = mkdtempSync(join(tmpdir(), "asg-home-"));
    mkdirSync(join(home, ".aws"));
    const dir = mkdtempSync(join(tmpdir(), "asg-creds-"));
    writeFileSync(join(dir, "workflows.yaml"), EXAMPLE);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: home,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: join(home, ".aws", "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, ".aws", "credentials"),
      AWS_REGION: "us-east-1",
    };
    const result = spawnSync(process.execPath, [BIN, "reconcile"], {
      cwd: dir,
      env,
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("no AWS credentials found");
    expect(result.stderr).not.toContain("refused");
    expect(result.stderr).not.toContain("measuring volumes failed");
  });
});
