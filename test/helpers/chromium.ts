/**
 * Debian's Chromium for the browser tests, driven by playwright-core, launched one way for every
 * test that opens a report (and for the README's screenshot).
 *
 * The browser tests run whenever the browser exists (`AI_SPEND_GUARD_CHROMIUM`, default
 * /usr/bin/chromium). Where it is missing they are skipped with the reason, printed once per test
 * file; under CI (`CI` set) a missing browser fails every browser test instead, because CI
 * installs it (.ci/run) and a skip there would hide that the report was never opened.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import type { BrowserContext } from "playwright-core";
import type { TestContext } from "vitest";

export const CHROMIUM = process.env.AI_SPEND_GUARD_CHROMIUM ?? "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const IN_CI = (process.env.CI ?? "") !== "" && process.env.CI !== "false";
export const SKIP_REASON = `Chromium not found at ${CHROMIUM}: install Debian's "chromium" package (apt-get install chromium) or set AI_SPEND_GUARD_CHROMIUM to run the browser tests`;
if (!HAVE_CHROMIUM && !IN_CI) console.warn(`browser tests skipped: ${SKIP_REASON}`);

/**
 * The first line of every browser test: returns when the browser is there, fails under CI when it
 * is not, and otherwise skips the test with the reason.
 */
export function requireChromium(ctx: TestContext): void {
  if (HAVE_CHROMIUM) return;
  if (IN_CI) throw new Error(`CI must run the browser tests, but ${SKIP_REASON}`);
  ctx.skip(SKIP_REASON);
}

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
