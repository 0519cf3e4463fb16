import type { ExitCode, Io } from "./io";

/** One CLI sub-command. `run` gets the arguments after the command name. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full --help text. */
  readonly usage: string;
  run(argv: string[], io: Io): Promise<ExitCode>;
}
