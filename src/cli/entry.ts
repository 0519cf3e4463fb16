/** Process entry of the CLI (bundled to dist/cli.js). */
import { processIo } from "./io";
import { run } from "./main";

// The AWS SDK warns on stderr, once per process, when Node.js is older than the line its
// releases after early January 2027 require (22). The CLI's users cannot act on it mid-command,
// and it would land between a command's own lines (and beside --json or --format output); the
// README's support policy says which Node.js lines are supported instead. Set before any SDK
// client is created; a user who set the variable keeps their own value.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

run(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  },
);
