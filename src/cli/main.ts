/** `ai-spend-guard <command>`: dispatch, --help, and the exit-code contract. */
import type { Command } from "./command";
import { audit } from "./commands/audit";
import { check } from "./commands/check";
import { demo } from "./commands/demo";
import { doctor } from "./commands/doctor";
import { reconcile } from "./commands/reconcile";
import { validate } from "./commands/validate";
import { version } from "../../package.json";
import { EXIT } from "./io";
import type { ExitCode, Io } from "./io";

export const COMMANDS: readonly Command[] = [validate, check, audit, reconcile, doctor, demo];

/** The package's version, compiled in from package.json (the bundle ships without it). */
export const VERSION: string = version;

export function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: ai-spend-guard <command> [options]

Make AI spend on AWS explainable by workflow and owner.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Run 'ai-spend-guard <command> --help' for a command's options,
'ai-spend-guard --version' for the version.

Exit codes: 0 success, 1 invalid input or a mandatory policy violation,
2 usage, file or network error.`;
}

export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.err : io.out)(mainUsage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-V") {
    io.out(VERSION);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`unknown command "${name}"\n\n${mainUsage()}`);
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // parseArgs throws TypeErrors with a code for unknown or malformed options.
    const code = (error as { code?: string }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
      io.err(`${(error as Error).message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    io.err(`error: ${(error as Error).message ?? String(error)}`);
    return EXIT.usage;
  }
}
