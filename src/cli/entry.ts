/** Process entry of the CLI (bundled to dist/cli.js). */
import { processIo } from "./io";
import { run } from "./main";

run(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  },
);
