/**
 * Debian's Chromium for the browser tests, driven by playwright-core, launched one way for every
 * test that opens a report (and for the README's screenshot).
 *
 * Where Chromium is missing the tests are skipped with the reason; under CI (`CI` set) a missing
 * Chromium is a failure, because CI installs it (.ci/run).
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import type { BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.AI_SPEND_GUARD_CHROMIUM ?? "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const IN_CI = (process.env.CI ?? "") !== "" && process.env.CI !== "false";
export const SKIP_REASON = `Chromium not found at ${CHROMIUM}: install Debian's "chromium" package (apt-get install chromium) to run the browser test`;
/** Where browser tests leave what they saw (screenshots, pages), ignored by git. */
export const ARTIFACTS = join(__dirname, "..", ".artifacts");

/** Flags that keep the browser from reaching the network or doing anything in the background. */
export const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** A fresh, offline browser profile at the README screenshot's size; `close` removes it. */
export async function launchChromium(): Promise<{
  readonly context: BrowserContext;
  close(): Promise<void>;
}> {
  const profile = mkdtempSync(join(tmpdir(), "report-browser-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    offline: true,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
