/**
 * Finding and reading `workflows.yaml`. Precedence: an explicit path, then the
 * `AI_SPEND_GUARD_REGISTRY` environment variable, then `workflows.yaml` in the current
 * directory, then in the project root (the folder holding this package's package.json).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { RegistryLoadError } from "./errors";
import { parseRegistry } from "./parse";
import type { Registry } from "./types";

export const REGISTRY_ENV = "AI_SPEND_GUARD_REGISTRY";
export const REGISTRY_FILE = "workflows.yaml";

export interface LocateOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where to look last; defaults to this package's root. */
  readonly projectRoot?: string;
}

export interface LoadOptions extends LocateOptions {
  /** Reads the located file as UTF-8 text; defaults to the file system (tests inject faults). */
  readonly readFile?: ReadFile;
}

export type ReadFile = (path: string) => string;

const readFromDisk: ReadFile = (path) => readFileSync(path, "utf8");

export interface Located {
  readonly path: string;
  readonly from: "argument" | "environment" | "current directory" | "project root";
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
  const root = options.projectRoot ?? findProjectRoot(__dirname);
  if (root !== undefined) {
    const inRoot = join(root, REGISTRY_FILE);
    if (existsSync(inRoot)) return { path: inRoot, from: "project root" };
  }
  throw new RegistryLoadError(
    `no ${REGISTRY_FILE} found in ${cwd}${root ? ` or ${root}` : ""}: pass a path, or set ${REGISTRY_ENV}`,
  );
}

/** Locate, read and validate the registry. */
export function loadRegistry(explicit?: string, options: LoadOptions = {}): Registry {
  const located = locateRegistry(explicit, options);
  const text = readRegistryText(located, options.readFile);
  const display = relative(options.cwd ?? process.cwd(), located.path) || located.path;
  return parseRegistry(text, display.startsWith("..") ? located.path : display);
}

/** Read the located file, turning I/O failures into one clear line. */
export function readRegistryText(located: Located, readFile: ReadFile = readFromDisk): string {
  const origin = located.from === "environment" ? ` (from ${REGISTRY_ENV})` : "";
  try {
    if (statSync(located.path).isDirectory()) {
      throw new RegistryLoadError(
        `${located.path}${origin} is a directory: point at the registry file itself`,
      );
    }
    return readFile(located.path);
  } catch (error) {
    if (error instanceof RegistryLoadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "does not exist"
        : code === "EACCES"
          ? "is not readable (permission denied)"
          : `cannot be read (${code ?? String(error)})`;
    throw new RegistryLoadError(`registry ${located.path}${origin} ${reason}`);
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
