import type { Io } from "../../src/cli/io";

/** An Io that records what a command printed. */
export function memoryIo(
  overrides: Partial<Io> = {},
): Io & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    isTTY: false,
    env: {},
    cwd: process.cwd(),
    today: "2026-11-28",
    ...overrides,
    stdout: () => out.join("\n"),
    stderr: () => err.join("\n"),
  };
}
