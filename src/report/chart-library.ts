/**
 * The charting library, inlined into the report so the page needs no network: Chart.js's UMD
 * build (it defines `window.Chart`), read from the installed package.
 *
 * Resolved with `require.resolve` from this module rather than by a path relative to the
 * source tree, so it works the same from `src/` under a test runner and from the bundled CLI in
 * `dist/` (where packages stay external and are found in node_modules).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The UMD build's file name, next to the package's CommonJS entry (`dist/chart.cjs`). */
const UMD_FILE = "chart.umd.min.js";

export interface ChartLibrary {
  /** Script text, safe to place inside a `<script>` element. */
  readonly source: string;
  /** Where it was read from (for error messages and tests). */
  readonly path: string;
}

let cached: ChartLibrary | undefined;

/**
 * Text that would end or confuse an inline `<script>` element. The shipped build contains none;
 * refusing a future build that does is safer than rewriting minified code.
 */
const SCRIPT_BREAKERS = /<\/script|<!--|<script/i;

export function chartLibrary(): ChartLibrary {
  if (cached !== undefined) return cached;
  // The package's "exports" map hides dist/*.js from require.resolve, but not its main entry.
  const path = join(dirname(require.resolve("chart.js")), UMD_FILE);
  let source = readFileSync(path, "utf8");
  if (SCRIPT_BREAKERS.test(source)) {
    throw new Error(`${path} contains "</script", "<script" or "<!--": it cannot be inlined`);
  }
  // The source map is not shipped with the report; a browser's developer tools would try to
  // fetch it, and the report must never reach for the network.
  source = source.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, "\n");
  cached = { source, path };
  return cached;
}
