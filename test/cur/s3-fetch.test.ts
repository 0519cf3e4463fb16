/** The S3 fetcher through the real S3Client against the local S3. */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { writeCurExport } from "../../src/local-aws/cur-export";
import { s3Handler } from "../../src/local-aws/s3";
import type { S3Fault, S3Handler, S3HandlerOptions } from "../../src/local-aws/s3";
import { startLocalAws } from "../../src/local-aws/server";
import type { LocalAws } from "../../src/local-aws/server";
import {
  createCurS3Client,
  fetchCurExport,
  parseCurS3Uri,
  withFetchedCurExport,
} from "../../src/reconciler/aws/cur-s3-fetch";
import type { CurS3FetchOptions } from "../../src/reconciler/aws/cur-s3-fetch";
import { CurEngineError } from "../../src/reconciler/cur/engine";
import { curQuery, queryColumns } from "../../src/reconciler/cur/query";
import { DuckDbCurEngine } from "../../src/reconciler/duckdb/duckdb-engine";
import { SAMPLE_LINES, scratchDir } from "./fixtures";

const BUCKET = "cur-bucket";
const ROOT = "exports/ai-spend-cur";
const URI = `s3://${BUCKET}/${ROOT}`;
const MAY = curQuery({
  start: "2026-05-01",
  end: "2026-06-01",
  metric: "UnblendedCost",
  tagKey: "workflow",
});
const MAY_KEY = `${ROOT}/data/BILLING_PERIOD=2026-05/ai-spend-cur-00001.snappy.parquet`;
const MAY_MANIFEST = `${ROOT}/metadata/BILLING_PERIOD=2026-05/ai-spend-cur-Manifest.json`;

let scratch: ReturnType<typeof scratchDir>;
let aws: LocalAws | undefined;
let s3: S3Handler;

beforeEach(async () => {
  scratch = scratchDir();
});
afterEach(async () => {
  await aws?.close();
  aws = undefined;
  scratch.remove();
});

/** The sample export written locally, then every file put under `ROOT/` in the local S3. */
async function serve(options: S3HandlerOptions = {}, filesPerPeriod = 2) {
  const source = join(scratch.dir, "source");
  await writeCurExport(source, SAMPLE_LINES, {
    filesPerPeriod,
    s3Prefix: `s3://${BUCKET}/exports`,
  });
  s3 = s3Handler(options);
  for (const file of walk(source))
    s3.put(BUCKET, `${ROOT}/${relative(source, file)}`, readFileSync(file));
  aws = await startLocalAws([s3]);
  const client = createCurS3Client({
    endpoint: aws.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
    forcePathStyle: true,
  });
  const tmpRoot = join(scratch.dir, "tmp");
  mkdirSync(tmpRoot);
  const options_: CurS3FetchOptions = {
    periods: MAY.periods,
    columns: queryColumns(MAY),
    tmpRoot,
    sleep: async () => {},
  };
  return { source, client, tmpRoot, options: options_ };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const gets = () =>
  (aws?.requests ?? [])
    .filter((r) => r.method === "GET" && !r.query.has("list-type"))
    .map((r) => decodeURIComponent(r.path));
const lists = () => (aws?.requests ?? []).filter((r) => r.query.get("list-type") === "2");

async function caught(promise: Promise<unknown>): Promise<CurEngineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CurEngineError);
  return error as CurEngineError;
}

describe("fetching a CUR 2.0 export from S3", () => {
  it("fetches only the needed period's manifest and files, reads them, then removes the folder", async () => {
    const { source, client, tmpRoot, options } = await serve();
    const direct = await DuckDbCurEngine.open(source);
    const expected = await direct.run(MAY);
    direct.close();

    let seenDir = "";
    const { value, fetch } = await withFetchedCurExport(client, URI, options, async (fetched) => {
      seenDir = fetched.dir;
      const engine = await DuckDbCurEngine.open(fetched.dir);
      try {
        return await engine.run(MAY);
      } finally {
        engine.close();
      }
    });
    expect(value.rows).toEqual(expected.rows);
    const mayFiles = walk(join(source, "data", "BILLING_PERIOD=2026-05"));
    const dataBytes = mayFiles.reduce((n, f) => n + statSync(f).size, 0);
    const manifestBytes = statSync(
      join(source, "metadata", "BILLING_PERIOD=2026-05", "ai-spend-cur-Manifest.json"),
    ).size;
    expect(fetch).toMatchObject({
      source: URI,
      bytes: dataBytes + manifestBytes,
      objects: mayFiles.length + 1,
      retries: 0,
      periods: [{ period: "2026-05", listedBy: "manifest", files: 2, bytes: dataBytes }],
    });
    // April's objects were never asked for; the temporary folder is gone.
    expect(gets().every((path) => path.includes("BILLING_PERIOD=2026-05"))).toBe(true);
    expect(gets()).toHaveLength(3);
    expect(existsSync(seenDir)).toBe(false);
    expect(readdirSync(tmpRoot)).toEqual([]);
  });

  it("removes the folder when the work on it fails", async () => {
    const { client, tmpRoot, options } = await serve();
    await expect(
      withFetchedCurExport(client, URI, options, async () => {
        throw new Error("the engine failed");
      }),
    ).rejects.toThrow("the engine failed");
    expect(readdirSync(tmpRoot)).toEqual([]);
  });

  it("without a manifest, lists the period's folder (one level) and fetches its Parquet files", async () => {
    const { client, tmpRoot, options } = await serve();
    s3.objects.delete(`${BUCKET}/${MAY_MANIFEST}`);
    // An execution folder's file is not the folder's own: not listed, not fetched.
    s3.put(BUCKET, `${ROOT}/data/BILLING_PERIOD=2026-05/exec-old/stale.snappy.parquet`, "x");
    const fetched = await fetchCurExport(client, URI, options);
    try {
      expect(fetched.periods).toMatchObject([{ period: "2026-05", listedBy: "listing", files: 2 }]);
      expect(lists()).toHaveLength(1);
      expect(lists()[0]!.query.get("delimiter")).toBe("/");
      expect(gets().some((p) => p.includes("stale"))).toBe(false);
    } finally {
      fetched.remove();
    }
    expect(readdirSync(tmpRoot)).toEqual([]);
  });

  it("a period with neither a manifest nor data: a clear error, and nothing left behind", async () => {
    const { client, tmpRoot, options } = await serve();
    const june = curQuery({
      start: "2026-06-01",
      end: "2026-06-10",
      metric: "UnblendedCost",
      tagKey: "workflow",
    });
    const error = await caught(fetchCurExport(client, URI, { ...options, periods: june.periods }));
    expect(error.reason).toBe("no-files");
    expect(error.message).toContain(
      `billing period 2026-06 has no data in ${URI}: neither s3://${BUCKET}/${ROOT}/metadata/BILLING_PERIOD=2026-06/ai-spend-cur-Manifest.json nor a Parquet file`,
    );
    expect(readdirSync(tmpRoot)).toEqual([]);
  });

  it("a 403 on one data file: an error naming it and the permission, nothing left behind", async () => {
    const denied: S3Fault = { status: 403, code: "AccessDenied", message: "Access Denied" };
    const { client, tmpRoot, options } = await serve({
      fault: (call) => (call.method === "GET" && call.key === MAY_KEY ? denied : undefined),
    });
    const error = await caught(fetchCurExport(client, URI, options));
    expect(error.reason).toBe("fetch-failed");
    expect(error.message).toMatch(
      new RegExp(
        `S3 refused GetObject on s3://${BUCKET}/${MAY_KEY.replaceAll(".", "\\.")} \\(403 AccessDenied\\): the caller needs s3:GetObject`,
      ),
    );
    // Refusals are not retried.
    expect(gets().filter((p) => p.endsWith(MAY_KEY))).toHaveLength(1);
    expect(readdirSync(tmpRoot)).toEqual([]);
  });

  it("a 500 is retried (and counted); one that persists ends the fetch after every attempt", async () => {
    let failures = 1;
    const { client, options } = await serve({
      fault: (call) =>
        call.method === "GET" && call.key === MAY_KEY && failures-- > 0
          ? { status: 500, code: "InternalError", message: "We encountered an internal error." }
          : undefined,
    });
    const waits: number[] = [];
    const fetched = await fetchCurExport(client, URI, {
      ...options,
      sleep: async (ms) => void waits.push(ms),
    });
    fetched.remove();
    expect(fetched.retries).toBe(1);
    expect(waits).toHaveLength(1);
    expect(gets().filter((p) => p.endsWith(MAY_KEY))).toHaveLength(2);

    failures = Infinity;
    const error = await caught(
      fetchCurExport(client, URI, { ...options, retry: { maxAttempts: 3 } }),
    );
    expect(error.message).toMatch(/still failing after 3 attempts: InternalError/);
  });

  it("a manifest without a column the query reads: named, before any data is fetched", async () => {
    const { client, options } = await serve();
    const key = `${BUCKET}/${MAY_MANIFEST}`;
    const manifest = JSON.parse(s3.objects.get(key)!.body.toString()) as {
      columns: { name: string }[];
    };
    manifest.columns = manifest.columns.filter((c) => c.name !== "line_item_iam_principal");
    s3.put(BUCKET, MAY_MANIFEST, JSON.stringify(manifest));
    const error = await caught(fetchCurExport(client, URI, options));
    expect(error.reason).toBe("missing-column");
    expect(error.message).toMatch(/INCLUDE_IAM_PRINCIPAL_DATA/);
    expect(gets()).toEqual([`/${BUCKET}/${MAY_MANIFEST}`]);
  });

  it("a manifest naming a file outside the export is refused", async () => {
    const { client, options } = await serve();
    s3.put(
      BUCKET,
      MAY_MANIFEST,
      JSON.stringify({ dataFiles: ["s3://elsewhere/x/data/BILLING_PERIOD=2026-05/x.parquet"] }),
    );
    const error = await caught(fetchCurExport(client, URI, options));
    expect(error.message).toMatch(/lists s3:\/\/elsewhere\/.* outside the export's data folder/);
  });

  it("a listing of more than one page (ListObjectsV2 continuation)", async () => {
    const { client, options } = await serve({}, 1);
    s3.objects.delete(`${BUCKET}/${MAY_MANIFEST}`);
    const one = s3.objects.get(`${BUCKET}/${MAY_KEY}`)!.body;
    for (let n = 2; n <= 1_001; n++)
      s3.put(BUCKET, MAY_KEY.replace("00001", String(n).padStart(5, "0")), one);
    const fetched = await fetchCurExport(client, URI, { ...options, concurrency: 8 });
    fetched.remove();
    expect(fetched.periods[0]).toMatchObject({ files: 1_001, bytes: 1_001 * one.length });
    expect(lists()).toHaveLength(2);
  });
});

describe("parseCurS3Uri", () => {
  it("splits bucket, prefix and export name", () => {
    expect(parseCurS3Uri("s3://b/cur2/org/my-cur2/")).toEqual({
      bucket: "b",
      prefix: "cur2/org",
      exportName: "my-cur2",
    });
    expect(parseCurS3Uri("s3://b/my-cur2")).toEqual({
      bucket: "b",
      prefix: "",
      exportName: "my-cur2",
    });
  });
  it.each(["s3://b", "s3://b/", "https://b/x", "s3://b/a//c", "s3://b/../x"])(
    "refuses %s",
    (uri) => {
      expect(() => parseCurS3Uri(uri)).toThrow(/is not an export's S3 location/);
    },
  );
});
