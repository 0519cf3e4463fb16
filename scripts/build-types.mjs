// The public entries' type declarations (`.d.ts`), for the package: a consumer's compiler reads
// these, under its own settings, instead of this repository's TypeScript sources. Runs on
// `npm pack` / `npm publish` (prepack); the repository itself type-checks the sources.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

// Start clean: a declaration left from a removed module must not ship.
rmSync(join(root, "dist", "types"), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], {
  cwd: root,
  stdio: "inherit",
});
