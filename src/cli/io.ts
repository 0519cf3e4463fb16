import { toIsoDate } from "../util/dates";

/** What a command may touch: injected so commands run the same in tests and in a terminal. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** True when stdout is an interactive terminal (colour and progress only then). */
  readonly isTTY: boolean;
  /** True when stderr is an interactive terminal (progress lines); default: `isTTY`. */
  readonly errIsTTY?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Today's date, `YYYY-MM-DD` (injected so date-dependent output is testable). */
  readonly today: string;
  /** Standard input, for a command reading `-` (absent: nothing is piped in). */
  readonly stdin?: () => AsyncIterable<Uint8Array>;
}

/**
 * The real process. "Today" is the clock, with no override: a date pinned from the environment
 * could be set by a deployment by accident and turn an expired exemption back into a waiver.
 * Tests inject `today` through `run(argv, io)` instead.
 *
 * A closed stdout (`ai-spend-guard validate | head -1`) is not an error of the command: the
 * reader has what it wanted. Writes stop, and the process ends with the command's own exit
 * code, instead of dying on an unhandled EPIPE with exit 1, which CI reads as a violation.
 */
export function processIo(): Io {
  const closed = { stdout: false, stderr: false };
  const quietOnEpipe = (name: "stdout" | "stderr") => (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") {
      closed[name] = true;
      return;
    }
    throw error;
  };
  process.stdout.on("error", quietOnEpipe("stdout"));
  process.stderr.on("error", quietOnEpipe("stderr"));
  const writer = (name: "stdout" | "stderr") => (text: string) => {
    if (closed[name]) return;
    process[name].write(text.endsWith("\n") ? text : `${text}\n`);
  };
  return {
    out: writer("stdout"),
    err: writer("stderr"),
    isTTY: process.stdout.isTTY === true,
    errIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
    today: toIsoDate(new Date()),
    stdin: () => process.stdin,
  };
}

/** Exit codes, the same for every command (documented in --help). */
export const EXIT = {
  ok: 0,
  /** The input is invalid or a mandatory policy is violated. */
  failed: 1,
  /** Wrong usage, or a file / network error. */
  usage: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;
export type Style = keyof typeof CODES;

/** ANSI styling only on a TTY, and never when NO_COLOR is set. */
export function styler(io: Io): (style: Style, text: string) => string {
  const enabled = io.isTTY && (io.env.NO_COLOR ?? "") === "" && io.env.TERM !== "dumb";
  return (style, text) => {
    if (!enabled) return text;
    const [open, close] = CODES[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}
