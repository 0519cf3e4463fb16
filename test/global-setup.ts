import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * Tests that spawn the CLI or the policy pack run the shipped (bundled) code: build it first.
 * Each vitest project runs its global setup; the mark in the environment builds once per run.
 */
export default function setup(): void {
  if (process.env.AI_SPEND_GUARD_TEST_BUILT === "1") return;
  execFileSync(process.execPath, [join(__dirname, "..", "scripts", "build.mjs")], {
    stdio: "inherit",
  });
  process.env.AI_SPEND_GUARD_TEST_BUILT = "1";
}
