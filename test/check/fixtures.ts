import { readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES = join(__dirname, "..", "fixtures", "pulumi");
export const ROOT = join(__dirname, "..", "..");

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

/** The example `pulumi preview --json` shipped for the README, `check` and the demo. */
export const EXAMPLE_PREVIEW = join(ROOT, "examples", "preview.json");

export function examplePreview(): string {
  return readFileSync(EXAMPLE_PREVIEW, "utf8");
}

export const PROJECT = "urn:pulumi:prod::ai-platform::";
