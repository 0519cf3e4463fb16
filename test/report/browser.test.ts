/**
 * The HTML report in a real browser: Debian's Chromium driven by playwright-core. It opens the
 * generated file from disk and checks what a reader would see: charts drawn with the report's
 * data, attack strings in tag values shown as text (and never run), nothing fetched from the
 * network, no Content-Security-Policy violation. It saves a screenshot to test/.artifacts/.
 * The launch (flags, profile, skip rules) is shared with the demo's browser test:
 * `test/helpers/chromium.ts`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHART_IDS, MODEL_CHART_ID, OUTCOME_CHART_ID } from "../../src/report/charts";
import { renderHtml } from "../../src/report/html";
import { ARTIFACTS, HAVE_CHROMIUM, launchChromium, requireChromium } from "../helpers/chromium";
import { CUR_FIXTURE_REPORT, FIXTURE_REPORT, INJECTION, OUTCOMES_FIXTURE_REPORT } from "./fixture";

/**
 * The functions given to `page.evaluate` run in the page. The project compiles without the DOM
 * library (it is Node code), so they see the page's globals through this narrow view.
 */
interface Canvas {
  getBoundingClientRect(): { readonly bottom: number };
  readonly width: number;
  readonly height: number;
  getContext(kind: "2d"): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  };
}
interface DrawnChart {
  readonly config: { readonly type: string };
  readonly data: {
    readonly labels: string[];
    readonly datasets: { readonly label: string; readonly data: (number | null)[] }[];
  };
}
interface PageGlobals {
  readonly Chart: { getChart(canvas: Canvas): DrawnChart | undefined };
  readonly document: {
    getElementById(id: string): Canvas;
    querySelector(selector: string): object;
  };
  getComputedStyle(element: object): { readonly borderLeftColor: string };
  readonly __pwned?: string;
  readonly __cspViolations?: string[];
}

describe("the HTML report in Chromium", () => {
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let context: BrowserContext;
  let reportUrl: string;

  interface PageRun {
    readonly page: Page;
    readonly requests: string[];
    readonly consoleErrors: string[];
    readonly pageErrors: string[];
    readonly dialogs: string[];
  }

  /** Opens a file and records everything the page asks for or complains about. */
  async function open(url: string): Promise<PageRun> {
    const page = await context.newPage();
    const run: PageRun = { page, requests: [], consoleErrors: [], pageErrors: [], dialogs: [] };
    page.on("request", (request) => run.requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error") run.consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => run.pageErrors.push(error.message));
    page.on("dialog", (dialog) => {
      run.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(url, { waitUntil: "load" });
    await page.waitForSelector("html:not([data-charts=pending])", { state: "attached" });
    return run;
  }

  let run: PageRun;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, "report.html");
    writeFileSync(file, renderHtml(FIXTURE_REPORT, { unownedSpendContact: "finops@example.com" }));
    reportUrl = pathToFileURL(file).href;
    browser = await launchChromium();
    context = browser.context;
    run = await open(reportUrl);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("draws the four charts with the report's data", async (ctx) => {
    requireChromium(ctx);
    expect(await run.page.getAttribute("html", "data-charts")).toBe("ready");
    const charts = await run.page.evaluate((ids) => {
      const win = globalThis as unknown as PageGlobals;
      return ids.map((id) => {
        const canvas = win.document.getElementById(id);
        const chart = win.Chart.getChart(canvas);
        // Drawn pixels: a chart that failed leaves the canvas transparent.
        const pixels = canvas
          .getContext("2d")!
          .getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
        return {
          id,
          type: chart?.config.type,
          labels: chart?.data.labels,
          datasets: chart?.data.datasets.map((d) => ({ label: d.label, data: d.data })),
          paintedShare: painted / (canvas.width * canvas.height),
          width: canvas.width,
        };
      });
    }, Object.values(CHART_IDS));

    const ids = FIXTURE_REPORT.workflows.map((w) => w.id);
    const [budget, daily, loaded, share] = charts;
    for (const chart of charts) {
      expect(chart.width, chart.id).toBeGreaterThan(200);
      expect(chart.paintedShare, `${chart.id} has drawn pixels`).toBeGreaterThan(0.02);
    }
    expect(budget).toMatchObject({ type: "bar", labels: ids });
    expect(budget!.datasets![0]!.data).toEqual(FIXTURE_REPORT.workflows.map((w) => w.spend));
    expect(budget!.datasets![3]!.data).toEqual(FIXTURE_REPORT.workflows.map((w) => w.budget));
    // support-triage is projected above its budget; contract-review too; the others are not.
    expect(budget!.datasets![2]!.data).toEqual([1874.6, 741.3, null, null, null]);
    expect(daily).toMatchObject({ type: "line" });
    expect(daily!.datasets!.map((d) => d.label)).toEqual(ids);
    expect(daily!.labels).toHaveLength(27);
    // The credit day survives into the chart as a negative amount.
    const memo = FIXTURE_REPORT.workflows.find((w) => w.id === "memo-pilot")!;
    expect(daily!.datasets![3]!.data).toEqual(memo.daily.map((d) => d.amount));
    expect(loaded!.datasets!.map((d) => d.label)).toEqual(["Cloud spend", "Review cost"]);
    expect(loaded!.datasets![1]!.data).toEqual(FIXTURE_REPORT.workflows.map((w) => w.reviewCost));
    expect(share).toMatchObject({ type: "doughnut" });
    expect(share!.labels).toContain(`Unregistered tag "${INJECTION.markup}"`);
  });

  it("shows injected tag values as text and runs none of them", async (ctx) => {
    requireChromium(ctx);
    const page = run.page;
    const cells = await page.$$eval("#unregistered-table tbody td.id", (tds) =>
      tds.map((td) => td.textContent),
    );
    expect(cells).toEqual(FIXTURE_REPORT.unregistered.map((u) => u.value));
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.locator("script").count()).toBe(3);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBe(
      undefined,
    );
    expect(run.dialogs).toEqual([]);
    // The text is visible to a reader, not hidden inside an attribute.
    await expect(
      page.getByText(INJECTION.markup, { exact: true }).first().isVisible(),
    ).resolves.toBe(true);
  });

  it("fetches nothing and breaks no rule of its Content-Security-Policy", async (ctx) => {
    requireChromium(ctx);
    expect(run.requests).toEqual([reportUrl]);
    expect(run.consoleErrors).toEqual([]);
    expect(run.pageErrors).toEqual([]);
    const csp = await run.page.getAttribute(
      'meta[http-equiv="Content-Security-Policy"]',
      "content",
    );
    expect(csp).toContain("default-src 'none'");
  });

  it("highlights flags by severity, most serious owner first", async (ctx) => {
    requireChromium(ctx);
    const page = run.page;
    const colours = await page.evaluate(() => {
      const win = globalThis as unknown as PageGlobals;
      return ["critical", "warning", "info"].map(
        (s) => win.getComputedStyle(win.document.querySelector(`.flag.${s}`)).borderLeftColor,
      );
    });
    expect(new Set(colours).size).toBe(3);
    const owners = await page.$$eval("section.owner h3", (hs) => hs.map((h) => h.textContent));
    expect(owners).toEqual([
      "dana@example.com",
      "sam@example.com",
      "priya@example.com",
      "lee@example.com",
    ]);
  });

  it("a CUR report draws cost per million tokens by model, its model names as text", async (ctx) => {
    requireChromium(ctx);
    const file = join(ARTIFACTS, "report-cur.html");
    writeFileSync(
      file,
      renderHtml(CUR_FIXTURE_REPORT, { unownedSpendContact: "finops@example.com" }),
    );
    const cur = await open(pathToFileURL(file).href);
    expect(await cur.page.getAttribute("html", "data-charts")).toBe("ready");
    const chart = await cur.page.evaluate((id) => {
      const win = globalThis as unknown as PageGlobals;
      const canvas = win.document.getElementById(id);
      const drawn = win.Chart.getChart(canvas);
      const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
      return {
        type: drawn?.config.type,
        labels: drawn?.data.labels,
        datasets: drawn?.data.datasets.map((d) => ({ label: d.label, data: d.data })),
        paintedShare: painted / (canvas.width * canvas.height),
      };
    }, MODEL_CHART_ID);
    expect(chart).toMatchObject({
      type: "bar",
      labels: ["Claude Sonnet 4.5", INJECTION.script, "Nova2.0Lite"],
      datasets: [
        { label: "support-triage", data: [3.062075, null, 0.063421] },
        { label: "contract-review", data: [null, 3, null] },
      ],
    });
    expect(chart.paintedShare).toBeGreaterThan(0.02);
    const models = await cur.page.$$eval("#model-table tbody tr td:nth-child(2)", (tds) =>
      tds.map((td) => td.textContent),
    );
    expect(models).toEqual([
      "Claude Sonnet 4.5",
      "Nova2.0Lite",
      INJECTION.script,
      "Claude Sonnet 4.5",
    ]);
    expect(await cur.page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBe(
      undefined,
    );
    expect(cur.consoleErrors).toEqual([]);
    expect(cur.pageErrors).toEqual([]);
    await cur.page.screenshot({ path: join(ARTIFACTS, "report-cur.png"), fullPage: true });
    await cur.page.close();
  });

  it("draws cost per accepted outcome, shows teams, audit and health, breaks no CSP rule", async (ctx) => {
    requireChromium(ctx);
    const file = join(ARTIFACTS, "report-outcomes.html");
    writeFileSync(
      file,
      renderHtml(OUTCOMES_FIXTURE_REPORT, { unownedSpendContact: "finops@example.com" }),
    );
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const pageErrors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    // Records every violation the page's own policy reports, before any of its scripts run.
    await page.addInitScript(() => {
      const win = globalThis as unknown as {
        __cspViolations: string[];
        document: {
          addEventListener(type: string, f: (e: { violatedDirective: string }) => void): void;
        };
      };
      win.__cspViolations = [];
      win.document.addEventListener("securitypolicyviolation", (e) =>
        win.__cspViolations.push(e.violatedDirective),
      );
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.waitForSelector("html:not([data-charts=pending])", { state: "attached" });
    expect(await page.getAttribute("html", "data-charts")).toBe("ready");
    const chart = await page.evaluate((id) => {
      const win = globalThis as unknown as PageGlobals;
      const canvas = win.document.getElementById(id);
      const drawn = win.Chart.getChart(canvas);
      const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
      return {
        type: drawn?.config.type,
        labels: drawn?.data.labels,
        datasets: drawn?.data.datasets.map((d) => ({ label: d.label, data: d.data })),
        paintedShare: painted / (canvas.width * canvas.height),
      };
    }, OUTCOME_CHART_ID);
    const [support, contract] = OUTCOMES_FIXTURE_REPORT.workflows;
    const per = (amount: number, accepted: number) => Math.round((amount / accepted) * 1e6) / 1e6;
    expect(chart).toMatchObject({
      type: "bar",
      labels: ["support-triage", "contract-review"],
      datasets: [
        { label: "Model", data: [per(support!.spend, 25_000), per(contract!.spend, 1_190)] },
        { label: "Review", data: [per(13_104, 25_000), per(9_100, 1_190)] },
        { label: "Rework", data: [per(1_950, 25_000), per(910, 1_190)] },
        { label: "Exceptions", data: [per(15_000, 25_000), per(2_100, 1_190)] },
      ],
    });
    expect(chart.paintedShare).toBeGreaterThan(0.02);
    // Untrusted text in the new sections is text for the reader, never markup that runs.
    const arns = await page.$$eval("#audit-table code", (cs) => cs.map((c) => c.textContent));
    expect(arns[0]).toBe(OUTCOMES_FIXTURE_REPORT.audit!.needsAction[0]!.arn);
    const subjects = await page.$$eval("#health-table td.id", (tds) =>
      tds.map((t) => t.textContent),
    );
    expect(subjects).toContain(`arn:aws:iam::123456789012:role/${INJECTION.markup}`);
    const teams = await page.$$eval("#team-table tbody tr", (trs) => trs.length);
    expect(teams).toBe(3);
    expect(await page.locator("img").count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned)).toBe(
      undefined,
    );
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations),
    ).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, "report-outcomes.png"), fullPage: true });
    await page.close();
  });

  it("says so in the page when the charts cannot be drawn", async (ctx) => {
    requireChromium(ctx);
    // The same report without the charting library: the page must explain, not go blank.
    const html = readFileSync(join(ARTIFACTS, "report.html"), "utf8");
    const start = html.indexOf("<script>");
    const broken = html.slice(0, start) + html.slice(html.indexOf("</script>", start) + 9);
    const file = join(ARTIFACTS, "report-without-library.html");
    writeFileSync(file, broken);
    const failed = await open(pathToFileURL(file).href);
    expect(await failed.page.getAttribute("html", "data-charts")).toBe("failed");
    await expect(failed.page.locator("#chart-error").textContent()).resolves.toContain(
      "the charting library did not load",
    );
    expect(await failed.page.locator("#chart-error").isVisible()).toBe(true);
    await failed.page.close();
  });

  it("fits the all-workflows table in a 1,400 px window, and labels the credits' dips", async (ctx) => {
    requireChromium(ctx);
    const wide = await open(reportUrl);
    await wide.page.setViewportSize({ width: 1400, height: 900 });
    const sizes = await wide.page.evaluate(() => {
      const win = globalThis as unknown as PageGlobals;
      const box = win.document.querySelector("#workflow-table") as unknown as {
        readonly parentElement: { readonly scrollWidth: number; readonly clientWidth: number };
      };
      return { scroll: box.parentElement.scrollWidth, client: box.parentElement.clientWidth };
    });
    expect(sizes.client).toBeGreaterThan(1000);
    expect(sizes.scroll).toBeLessThanOrEqual(sizes.client);
    // The daily chart draws a marked point, and writes the amount, at each credit.
    const drawn = await wide.page.evaluate((id) => {
      const win = globalThis as unknown as PageGlobals;
      const chart = win.Chart.getChart(win.document.getElementById(id)) as unknown as {
        readonly config: { readonly plugins: readonly { readonly id: string }[] };
      };
      return chart.config.plugins.map((p) => p.id);
    }, CHART_IDS.daily);
    expect(drawn).toEqual(["pointLabels"]);
    await wide.page.screenshot({ path: join(ARTIFACTS, "report-1400.png"), fullPage: true });
    await wide.page.close();
  });

  it("saves a screenshot", async (ctx) => {
    requireChromium(ctx);
    const file = join(ARTIFACTS, "report.png");
    await run.page.screenshot({ path: file, fullPage: true });
    // The top of the page (totals, flags, the four charts): the picture for the README.
    const chartsBottom = await run.page.evaluate(() => {
      const win = globalThis as unknown as PageGlobals;
      return win.document.getElementById("chart-unowned-share").getBoundingClientRect().bottom;
    });
    await run.page.screenshot({
      path: join(ARTIFACTS, "report-overview.png"),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: Math.ceil(chartsBottom) + 40 },
    });
    const png = readFileSync(file);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    const drawn = await run.page.evaluate(
      () => performance.getEntriesByName("charts-drawn")[0]?.startTime ?? null,
    );
    // A measurement for the record, not an assertion: timings vary by machine.
    console.info(
      `report.html: ${readFileSync(join(ARTIFACTS, "report.html")).length} bytes; charts drawn ${drawn === null ? "?" : Math.round(drawn)} ms after navigation; screenshot ${png.length} bytes`,
    );
  });
});
