/**
 * Finding and reading `workflows.yaml`. Precedence: an explicit path, then the
 * `AI_SPEND_GUARD_REGISTRY` environment variable, then `workflows.yaml` in the current
 * directory. Nothing else: the example registry that ships with the package is never read in
 * place of the user's (it would pass or fail real resources against `example.com` workflows),
 * and `workflows.yml` is refused by name, so the CLI, the pack and the stack, which all look for
 * the one name, can never read different files.
 */
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from "node:fs";
import type { Stats } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { RegistryLoadError, RegistryValidationError } from "./errors";
import { parseRegistry } from "./parse";
import { decodeUtf8 } from "./text";
import type { Registry } from "./types";

export const REGISTRY_ENV = "AI_SPEND_GUARD_REGISTRY";
export const REGISTRY_FILE = "workflows.yaml";
/** The other spelling people use, refused by name rather than silently ignored. */
export const REGISTRY_FILE_YML = "workflows.yml";
/**
 * The largest registry read, in bytes. A registry of 1,000 workflows is about 300 kB; the cap
 * stops `validate /dev/zero`-like mistakes from filling memory before the parser sees a byte.
 */
export const MAX_REGISTRY_BYTES = 4 * 1024 * 1024;

export interface LocateOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Whether the caller can take a path (the CLI can; the pack, started by the Pulumi engine,
   * can only be pointed at a registry through the environment). Only changes the advice.
   */
  readonly acceptsPath?: boolean;
}

export interface LoadOptions extends LocateOptions {
  /** Reads the located file as text; defaults to a bounded read of the file (tests inject faults). */
  readonly readFile?: ReadFile;
}

export type ReadFile = (path: string) => string;

export interface Located {
  readonly path: string;
  readonly from: "argument" | "environment" | "current directory";
}

/** Which file would be read, and why. Throws `RegistryLoadError` when none is found. */
export function locateRegistry(explicit?: string, options: LocateOptions = {}): Located {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  if (explicit !== undefined && explicit !== "") {
    return { path: resolve(cwd, explicit), from: "argument" };
  }
  const fromEnv = env[REGISTRY_ENV];
  if (fromEnv !== undefined && fromEnv !== "") {
    return { path: resolve(cwd, fromEnv), from: "environment" };
  }
  const inCwd = join(cwd, REGISTRY_FILE);
  if (existsSync(inCwd)) return { path: inCwd, from: "current directory" };
  const pointAt = `${REGISTRY_ENV}=path/to/${REGISTRY_FILE}${options.acceptsPath === false ? "" : " or pass its path"}`;
  const yml = join(cwd, REGISTRY_FILE_YML);
  if (existsSync(yml)) {
    throw new RegistryLoadError(
      `found ${yml}, but the registry is looked for as ${REGISTRY_FILE} only (the CLI, the policy pack and the stack all use that one name): rename it to ${REGISTRY_FILE}, or point at it with ${REGISTRY_ENV}=${REGISTRY_FILE_YML}`,
    );
  }
  throw new RegistryLoadError(
    `no registry found: looked for ${REGISTRY_ENV} (not set) and ${inCwd} (not there); point at yours with ${pointAt} (the example registry that ships with ai-spend-guard is never used in its place)`,
  );
}

/** Locate, read and validate the registry. */
export function loadRegistry(explicit?: string, options: LoadOptions = {}): Registry {
  return loadRegistryText(explicit, options).registry;
}

/** `loadRegistry`, with the text it parsed (to position findings about it later). */
export function loadRegistryText(
  explicit?: string,
  options: LoadOptions = {},
): { readonly registry: Registry; readonly text: string } {
  const located = locateRegistry(explicit, options);
  const display = displayName(located.path, options.cwd ?? process.cwd());
  const text = readRegistryText(located, options.readFile, display);
  return { registry: parseRegistry(text, display), text };
}

/** The path relative to the working directory when it is below it, else absolute. */
function displayName(path: string, cwd: string): string {
  const display = relative(cwd, path) || path;
  return display.startsWith("..") ? path : display;
}

/**
 * Read the located file, turning I/O failures into one clear line: a directory, a FIFO or a
 * device is refused before it is read (a FIFO with no writer would block forever), a file over
 * `MAX_REGISTRY_BYTES` is refused, and bytes that are not UTF-8 are an error naming their offset
 * (never silently turned into U+FFFD).
 */
export function readRegistryText(
  located: Located,
  readFile?: ReadFile,
  display: string = located.path,
): string {
  const origin = located.from === "environment" ? ` (from ${REGISTRY_ENV})` : "";
  const name = `registry ${located.path}${origin}`;
  try {
    if (readFile !== undefined) {
      refuseUnreadable(statSync(located.path), name);
      return readFile(located.path);
    }
    return decodeUtf8(readBounded(located.path, name), display);
  } catch (error) {
    if (error instanceof RegistryLoadError || error instanceof RegistryValidationError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "does not exist"
        : code === "EACCES"
          ? "is not readable (permission denied)"
          : `cannot be read (${code ?? String(error)})`;
    throw new RegistryLoadError(`${name} ${reason}`);
  }
}

function refuseUnreadable(stats: Stats, name: string): void {
  if (stats.isDirectory()) {
    throw new RegistryLoadError(`${name} is a directory: point at the registry file itself`);
  }
  if (!stats.isFile()) {
    const kind = stats.isFIFO()
      ? "a named pipe (FIFO)"
      : stats.isCharacterDevice() || stats.isBlockDevice()
        ? "a device"
        : stats.isSocket()
          ? "a socket"
          : "not a regular file";
    throw new RegistryLoadError(
      `${name} is ${kind}, not a regular file: point at the registry file itself (a pipe or device could block or never end)`,
    );
  }
  if (stats.size > MAX_REGISTRY_BYTES) {
    throw new RegistryLoadError(
      `${name} is ${stats.size} bytes, more than a registry may be (${MAX_REGISTRY_BYTES} bytes): is it the right file?`,
    );
  }
}

/**
 * The file's bytes, at most `MAX_REGISTRY_BYTES`. Opened non-blocking and checked on the open
 * descriptor, so a FIFO is refused without waiting for a writer and a file swapped after the
 * check is still the one checked.
 */
function readBounded(path: string, name: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    refuseUnreadable(fstatSync(fd), name);
    const buffer = Buffer.alloc(MAX_REGISTRY_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_REGISTRY_BYTES) {
        throw new RegistryLoadError(
          `${name} grew past ${MAX_REGISTRY_BYTES} bytes while it was read: is it the right file?`,
        );
      }
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** The nearest folder at or above `start` whose package.json names this package. */
export function findProjectRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if (
          (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name ===
          "ai-spend-guard"
        ) {
          return dir;
        }
      } catch {
        // An unreadable manifest is not ours; keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
