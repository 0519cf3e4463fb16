import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** Tests that spawn the CLI or the policy pack run the shipped (bundled) code: build it first. */
export default function setup(): void {
  execFileSync(process.execPath, [join(__dirname, "..", "scripts", "build.mjs")], {
    stdio: "inherit",
  });
}
