/**
 * Reading the document `check` is given: a regular file, or standard input (`-`, /dev/stdin),
 * never more than MAX_DOCUMENT_BYTES, and never a file that would block (a named pipe with no
 * writer) or never end (/dev/zero).
 */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { MAX_DOCUMENT_BYTES, tooLarge } from "../check";
import type { Io } from "./io";

/** The names that mean standard input. */
const STDIN_NAMES: ReadonlySet<string> = new Set([
  "-",
  "/dev/stdin",
  "/dev/fd/0",
  "/proc/self/fd/0",
]);

/**
 * Descriptors the shell opened for this process (`check <(pulumi preview --json)`): pipes, but
 * connected to a writer already, so reading them ends.
 */
const OPEN_DESCRIPTOR = /^\/(dev\/fd|proc\/self\/fd)\/\d+$/;

/** Why the input cannot be read: the one line after `error: <file>: `. */
export class InputError extends Error {
  override readonly name = "InputError";
}

/** The document's bytes, and the name messages use for it. */
export async function readInput(
  file: string,
  io: Io,
): Promise<{ bytes: Uint8Array; source: string }> {
  if (STDIN_NAMES.has(file)) return { bytes: await readStdin(io), source: "stdin" };
  const path = resolve(io.cwd, file);
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new InputError(describeReadError(error), { cause: error });
  }
  if (stats.isDirectory()) throw new InputError("is a directory, not a file");
  if (!stats.isFile() && !(stats.isFIFO() && OPEN_DESCRIPTOR.test(file))) {
    throw new InputError(
      `is ${stats.isFIFO() ? "a named pipe (FIFO), which blocks until something writes to it" : stats.isCharacterDevice() || stats.isBlockDevice() ? "a device, not a file" : stats.isSocket() ? "a socket, not a file" : "not a regular file"}; ` +
        "write the document to a file, or pipe it: `pulumi preview --json | ai-spend-guard check -`",
    );
  }
  if (stats.size > MAX_DOCUMENT_BYTES) throw tooLarge(file);
  try {
    return { bytes: readFileSync(path), source: file };
  } catch (error) {
    throw new InputError(describeReadError(error), { cause: error });
  }
}

async function readStdin(io: Io): Promise<Uint8Array> {
  if (io.stdin === undefined) throw new InputError("no standard input to read");
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of io.stdin()) {
    size += chunk.length;
    // Stop reading at the cap: an endless or huge input must not take all memory first.
    if (size > MAX_DOCUMENT_BYTES) throw tooLarge("stdin");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function describeReadError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "is a directory, not a file";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
