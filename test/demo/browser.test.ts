/**
 * The demo's report.html in Chromium: what `npm start` leaves in out/ opens offline, draws its
 * four charts with the reconciled figures and fetches nothing. It also saves the overview
 * screenshot the README shows (test/.artifacts/demo-report-overview.png; docs/report.png is a
 * copy of it).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/main";
import type { Report } from "../../src/reconciler";
import { CHART_IDS } from "../../src/report/charts";
import { ARTIFACTS, HAVE_CHROMIUM, launchChromium, requireChromium } from "../helpers/chromium";
import { memoryIo } from "../helpers/io";

/** The page's globals that the checks read (the project compiles without the DOM library). */
interface PageGlobals {
  readonly Chart: {
    getChart(
      canvas: object,
    ):
      | { readonly data: { readonly labels: string[]; readonly datasets: { data: unknown[] }[] } }
      | undefined;
  };
  readonly document: {
    getElementById(id: string): { getBoundingClientRect(): { readonly bottom: number } };
  };
}

describe("the demo's report.html in Chromium", () => {
  let dir: string;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let report: Report;
  const requests: string[] = [];
  const errors: string[] = [];
  let url: string;
  let page: Awaited<ReturnType<Awaited<ReturnType<typeof launchChromium>>["context"]["newPage"]>>;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) return;
    dir = mkdtempSync(join(tmpdir(), "asg-demo-browser-"));
    expect(await run(["demo", "--out", dir], memoryIo({ cwd: dir }))).toBe(0);
    report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as Report;
    url = pathToFileURL(join(dir, "report.html")).href;
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(url, { waitUntil: "load" });
    await page.waitForSelector("html:not([data-charts=pending])", { state: "attached" });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("draws the four charts with the reconciled figures, offline", async (ctx) => {
    requireChromium(ctx);
    expect(await page.getAttribute("html", "data-charts")).toBe("ready");
    const charts = await page.evaluate((ids) => {
      const win = globalThis as unknown as PageGlobals;
      return ids.map((id) => {
        const chart = win.Chart.getChart(win.document.getElementById(id));
        return { labels: chart?.data.labels, first: chart?.data.datasets[0]?.data };
      });
    }, Object.values(CHART_IDS));
    expect(charts[0]).toEqual({
      labels: report.workflows.map((w) => w.id),
      first: report.workflows.map((w) => w.spend),
    });
    expect(charts[1]!.labels).toHaveLength(27);
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
  });

  it("shows the unregistered tag values as text", async (ctx) => {
    requireChromium(ctx);
    const cells = await page.$$eval("#unregistered-table tbody td.id", (tds) =>
      tds.map((td) => td.textContent),
    );
    expect(cells).toEqual(report.unregistered.map((u) => u.value));
  });

  it("saves the overview screenshot", async (ctx) => {
    requireChromium(ctx);
    mkdirSync(ARTIFACTS, { recursive: true });
    const chartsBottom = await page.evaluate(
      () =>
        (globalThis as unknown as PageGlobals).document
          .getElementById("chart-unowned-share")
          .getBoundingClientRect().bottom,
    );
    const file = join(ARTIFACTS, "demo-report-overview.png");
    await page.screenshot({
      path: file,
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: Math.ceil(chartsBottom) + 40 },
    });
    expect(readFileSync(file).subarray(0, 4)).toEqual(Buffer.from([137, 80, 78, 71]));
  });
});
