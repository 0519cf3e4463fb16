/**
 * Runs a Node.js child process and measures it from outside (wall time) and from inside (peak
 * resident set size, reported by the preloaded `peak-rss.cjs`).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const PEAK_RSS = join(__dirname, "peak-rss.cjs");

export interface ChildRun {
  readonly code: number | null;
  readonly wallMs: number;
  readonly peakRssBytes: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runNode(
  args: readonly string[],
  options: { cwd?: string; env?: Readonly<Record<string, string | undefined>> } = {},
): Promise<ChildRun> {
  const dir = mkdtempSync(join(tmpdir(), "bench-rss-"));
  const rssFile = join(dir, "peak");
  try {
    const started = performance.now();
    const child = spawn(process.execPath, ["--require", PEAK_RSS, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, BENCH_PEAK_RSS_FILE: rssFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", resolve);
    });
    const wallMs = performance.now() - started;
    const peakRssBytes = Number(readFileSync(rssFile, "utf8"));
    return { code, wallMs, peakRssBytes, stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The last line of a child's stdout, as JSON (workers print their result last). */
export function lastJsonLine<T>(run: ChildRun): T {
  const line = run.stdout.trim().split("\n").pop();
  if (run.code !== 0 || line === undefined || !line.startsWith("{")) {
    throw new Error(`the child failed (exit ${run.code}):\n${run.stderr}\n${run.stdout}`);
  }
  return JSON.parse(line) as T;
}
