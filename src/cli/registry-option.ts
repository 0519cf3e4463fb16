/** Loading the registry for a command, with the CLI's one way of reporting why it cannot. */
import {
  formatProblem,
  loadRegistry,
  RegistryLoadError,
  RegistryValidationError,
} from "../registry";
import type { Registry } from "../registry";
import { EXIT } from "./io";
import type { ExitCode, Io } from "./io";

/**
 * The registry at `path` (or found by the usual precedence), or the exit code after printing
 * every problem: 1 for an invalid registry, 2 when it cannot be found or read.
 */
export function loadRegistryOrExit(path: string | undefined, io: Io): Registry | ExitCode {
  try {
    return loadRegistry(path, { cwd: io.cwd, env: io.env });
  } catch (error) {
    if (error instanceof RegistryValidationError) {
      io.err("error: the registry is invalid; fix it first (ai-spend-guard validate):");
      for (const problem of error.problems) io.err(formatProblem(problem));
      return EXIT.failed;
    }
    if (error instanceof RegistryLoadError) {
      io.err(`error: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  }
}
