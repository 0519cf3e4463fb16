/**
 * A CUR 2.0 manifest (`<export>/metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json`), read
 * the way the implementations that ingest real exports read it (AWS does not document its
 * fields):
 *
 *   { "exportArn": "arn:aws:bcm-data-exports:us-east-1:111122223333:export/my-cur2-...",
 *     "exportName": "my-cur2", "executionId": "exec-12345",
 *     "billingPeriod": { "start": "2026-10-01T00:00:00.000Z", "end": "2026-11-01T00:00:00.000Z" },
 *     "columns": [{ "name": "line_item_unblended_cost", "type": "double" }, ...],
 *     "dataFiles": ["s3://my-bucket/cur2/my-cur2/data/BILLING_PERIOD=2026-10/my-cur2-00001.snappy.parquet"] }
 *
 * `dataFiles` is the truth about a period: AWS overwrites a period on each refresh, and a file
 * left from an earlier delivery (or an execution folder under CREATE_NEW_REPORT) is not part of
 * the current one. Entries are full `s3://bucket/key` URIs; bucket-relative keys and bare file
 * names are accepted too. Each entry's place below the period's data folder (its file name, or
 * `<execution>/<file name>`) is where a local copy keeps it; an entry that would land outside
 * that folder (`..`, an absolute path, another period) is refused, since the fetcher writes
 * files where the manifest says.
 */
import { CurEngineError } from "./engine";

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
/** `.../data/BILLING_PERIOD=YYYY-MM/<rest>` in a key. */
const DATA_PATH = /(?:^|\/)data\/BILLING_PERIOD=([^/]*)\/(.+)$/;

export interface ManifestDataFile {
  /** The entry as the manifest wrote it. */
  readonly entry: string;
  /** The bucket of an `s3://` URI; null for a bucket-relative key or a bare file name. */
  readonly bucket: string | null;
  /** The object key (`s3://bucket/<key>`), or the entry itself when it is bucket-relative. */
  readonly key: string;
  /** The billing period the key's `data/BILLING_PERIOD=` folder names; null for a bare name. */
  readonly period: string | null;
  /** Where the file sits below the period's data folder: `name.parquet` or `exec/name.parquet`. */
  readonly pathInPeriod: string;
}

export interface ManifestColumn {
  readonly name: string;
  /** The type as the manifest names it (`string`, `double`, `timestamp`, `map`...), if given. */
  readonly type?: string;
}

export interface CurManifest {
  readonly dataFiles: readonly ManifestDataFile[];
  /** `YYYY-MM`, when the manifest states its billing period in a form read here. */
  readonly billingPeriod?: string;
  readonly exportName?: string;
  readonly exportArn?: string;
  readonly executionId?: string;
  /** The export's columns at the time it ran, when the manifest lists them. */
  readonly columns?: readonly ManifestColumn[];
}

/**
 * Reads a manifest. Throws `CurEngineError` ("manifest") naming `where` for anything that is
 * not one: bad JSON, no `dataFiles` list, an entry that is not a Parquet file (a CSV export), an
 * entry outside a period's data folder, a file listed twice, files of two periods.
 */
export function parseManifest(text: string, where: string): CurManifest {
  const fail = (message: string): never => {
    throw new CurEngineError(`${where}: ${message}`, "manifest");
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CurEngineError(`${where} is not valid JSON`, "manifest");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return fail("a manifest is a JSON object");
  }
  const record = parsed as Record<string, unknown>;
  const entries = record["dataFiles"];
  if (!Array.isArray(entries) || entries.some((f) => typeof f !== "string" || f.length === 0)) {
    return fail('"dataFiles" must be a list of data file URIs (s3://bucket/key)');
  }
  const dataFiles = (entries as string[]).map((entry) => dataFile(entry, fail));
  const periods = [...new Set(dataFiles.flatMap((f) => (f.period === null ? [] : [f.period])))];
  if (periods.length > 1) {
    fail(`"dataFiles" mixes billing periods ${periods.join(", ")}: a manifest is one period's`);
  }
  const seen = new Set<string>();
  for (const file of dataFiles) {
    if (seen.has(file.pathInPeriod)) fail(`"dataFiles" lists ${file.entry} twice`);
    seen.add(file.pathInPeriod);
  }
  const billingPeriod = periodOf(record["billingPeriod"]);
  if (billingPeriod !== undefined && periods.length === 1 && periods[0] !== billingPeriod) {
    fail(`its billingPeriod is ${billingPeriod}, but its data files are in ${periods[0]}'s folder`);
  }
  const columns = columnsOf(record["columns"], fail);
  return {
    dataFiles,
    ...(billingPeriod === undefined ? {} : { billingPeriod }),
    ...optionalString(record, "exportName"),
    ...optionalString(record, "exportArn"),
    ...optionalString(record, "executionId"),
    ...(columns === undefined ? {} : { columns }),
  };
}

/**
 * Checks that a manifest found in `period`'s metadata folder is that period's. Throws
 * `CurEngineError` ("manifest") otherwise.
 */
export function checkManifestPeriod(manifest: CurManifest, period: string, where: string): void {
  const stated = manifest.billingPeriod ?? manifest.dataFiles.find((f) => f.period)?.period;
  if (stated !== undefined && stated !== null && stated !== period) {
    throw new CurEngineError(
      `${where} is for billing period ${stated}, but sits in the folder of ${period}`,
      "manifest",
    );
  }
}

function dataFile(entry: string, fail: (message: string) => never): ManifestDataFile {
  let bucket: string | null = null;
  let key = entry;
  if (entry.startsWith("s3://")) {
    const rest = entry.slice("s3://".length);
    const slash = rest.indexOf("/");
    if (slash <= 0 || slash === rest.length - 1) fail(`${entry} is not an s3://bucket/key URI`);
    bucket = rest.slice(0, slash);
    key = rest.slice(slash + 1);
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
    fail(`${entry}: data files are s3:// URIs or keys in the export's bucket`);
  }
  const match = DATA_PATH.exec(key);
  let period: string | null = null;
  let pathInPeriod: string;
  if (match !== null) {
    if (!PERIOD.test(match[1]!)) fail(`${entry}: BILLING_PERIOD=${match[1]} is not YYYY-MM`);
    period = match[1]!;
    pathInPeriod = match[2]!;
  } else if (!key.includes("/")) {
    pathInPeriod = key;
  } else {
    return fail(
      `${entry} is not in a data/BILLING_PERIOD=YYYY-MM/ folder (where AWS delivers an export's data)`,
    );
  }
  const segments = pathInPeriod.split("/");
  if (segments.some((s) => s === "" || s === "." || s === ".." || s.includes("\\"))) {
    fail(`${entry}: a data file's path must not contain empty, "." or ".." parts`);
  }
  if (!pathInPeriod.endsWith(".parquet")) {
    fail(
      `${entry} is not a Parquet file: the CUR source reads Parquet exports (create the export with format PARQUET)`,
    );
  }
  return { entry, bucket, key, period, pathInPeriod };
}

/**
 * `YYYY-MM` from `billingPeriod.start`: ISO (`2026-10-01T00:00:00.000Z`) or compact
 * (`20261001T000000.000Z`, the legacy CUR form). Another form is not an error: the period is
 * then taken from the data files' folder, which every entry of a delivered manifest names.
 */
function periodOf(value: unknown): string | undefined {
  const start = (value as { start?: unknown } | null | undefined)?.start;
  if (typeof start !== "string") return undefined;
  const iso = /^(\d{4})-(\d{2})/.exec(start);
  const compact = /^(\d{4})(\d{2})\d{2}(?:T|$)/.exec(start);
  const found = iso ?? compact;
  if (found === null) return undefined;
  const period = `${found[1]}-${found[2]}`;
  return PERIOD.test(period) ? period : undefined;
}

function columnsOf(
  value: unknown,
  fail: (message: string) => never,
): readonly ManifestColumn[] | undefined {
  if (value === undefined) return undefined;
  const bad = (): never => fail('"columns" must be a list of { "name": ..., "type": ... }');
  if (!Array.isArray(value)) return bad();
  return value.map((column: unknown) => {
    const { name, type } = (column ?? {}) as { name?: unknown; type?: unknown };
    if (typeof name !== "string" || name === "") return bad();
    return typeof type === "string" ? { name, type } : { name };
  });
}

function optionalString(
  record: Record<string, unknown>,
  field: "exportName" | "exportArn" | "executionId",
): Partial<Record<typeof field, string>> {
  const value = record[field];
  return typeof value === "string" && value !== "" ? { [field]: value } : {};
}
