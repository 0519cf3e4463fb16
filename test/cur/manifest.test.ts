import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { writeCurExport } from "../../src/local-aws/cur-export";
import { CurEngineError } from "../../src/reconciler/cur/engine";
import { periodFiles, periodFolder } from "../../src/reconciler/cur/export-folder";
import { checkManifestPeriod, parseManifest } from "../../src/reconciler/cur/manifest";
import { SAMPLE_LINES, scratchDir } from "./fixtures";

const URI = "s3://my-bucket/cur2/my-cur2/data/BILLING_PERIOD=2026-10/my-cur2-00001.snappy.parquet";

/** The manifest shape implementations of real exports read (RESEARCH B2's sample). */
const REAL_SHAPE = {
  exportArn: "arn:aws:bcm-data-exports:us-east-1:111122223333:export/my-cur2-0a1b",
  exportName: "my-cur2",
  executionId: "exec-12345",
  billingPeriod: { start: "2026-10-01T00:00:00.000Z", end: "2026-11-01T00:00:00.000Z" },
  columns: [
    { name: "bill_billing_period_start_date", type: "timestamp" },
    { name: "line_item_unblended_cost", type: "double" },
    { name: "tags", type: "map" },
  ],
  dataFiles: [URI],
};

const parse = (value: unknown) => parseManifest(JSON.stringify(value), "m.json");

describe("parseManifest", () => {
  it("reads every field of the observed shape; dataFiles as full s3:// URIs", () => {
    expect(parse(REAL_SHAPE)).toEqual({
      exportArn: REAL_SHAPE.exportArn,
      exportName: "my-cur2",
      executionId: "exec-12345",
      billingPeriod: "2026-10",
      columns: REAL_SHAPE.columns,
      dataFiles: [
        {
          entry: URI,
          bucket: "my-bucket",
          key: "cur2/my-cur2/data/BILLING_PERIOD=2026-10/my-cur2-00001.snappy.parquet",
          period: "2026-10",
          pathInPeriod: "my-cur2-00001.snappy.parquet",
        },
      ],
    });
  });

  it("accepts bucket-relative keys and bare file names", () => {
    const { dataFiles } = parse({
      dataFiles: [
        "cur2/my-cur2/data/BILLING_PERIOD=2026-10/my-cur2-00002.snappy.parquet",
        "my-cur2-00003.snappy.parquet",
      ],
    });
    expect(dataFiles.map((f) => [f.bucket, f.key, f.period, f.pathInPeriod])).toEqual([
      [
        null,
        "cur2/my-cur2/data/BILLING_PERIOD=2026-10/my-cur2-00002.snappy.parquet",
        "2026-10",
        "my-cur2-00002.snappy.parquet",
      ],
      [null, "my-cur2-00003.snappy.parquet", null, "my-cur2-00003.snappy.parquet"],
    ]);
  });

  it("keeps an execution folder (CREATE_NEW_REPORT) below the period", () => {
    const [file] = parse({
      dataFiles: [
        "s3://b/p/e/data/BILLING_PERIOD=2026-10/20261002T0101Z-abc/e-00001.snappy.parquet",
      ],
    }).dataFiles;
    expect(file!.pathInPeriod).toBe("20261002T0101Z-abc/e-00001.snappy.parquet");
  });

  it("reads billingPeriod.start in the compact form, and ignores a form it does not know", () => {
    expect(parse({ dataFiles: [], billingPeriod: { start: "20261001T000000.000Z" } })).toEqual({
      dataFiles: [],
      billingPeriod: "2026-10",
    });
    expect(parse({ dataFiles: [], billingPeriod: { start: "October" } })).toEqual({
      dataFiles: [],
    });
  });

  it.each([
    ["not JSON", "{", /m\.json is not valid JSON/],
    ["an array", "[]", /a manifest is a JSON object/],
    ["dataFiles not a list", { dataFiles: "x" }, /"dataFiles" must be a list of data file URIs/],
    ["an empty entry", { dataFiles: [""] }, /"dataFiles" must be a list/],
    ["no key after the bucket", { dataFiles: ["s3://bucket/"] }, /not an s3:\/\/bucket\/key URI/],
    ["another scheme", { dataFiles: ["https://x/y.parquet"] }, /are s3:\/\/ URIs or keys/],
    [
      "a CSV export",
      { dataFiles: ["s3://b/p/e/data/BILLING_PERIOD=2026-10/e-00001.csv.gz"] },
      /is not a Parquet file: the CUR source reads Parquet exports/,
    ],
    [
      "a key outside a period folder",
      { dataFiles: ["s3://b/p/e/other/e-00001.snappy.parquet"] },
      /is not in a data\/BILLING_PERIOD=YYYY-MM\/ folder/,
    ],
    [
      "a path escaping the period folder",
      { dataFiles: ["s3://b/p/e/data/BILLING_PERIOD=2026-10/../../x.parquet"] },
      /must not contain empty, "\." or "\.\." parts/,
    ],
    [
      "a bad period",
      { dataFiles: ["s3://b/p/e/data/BILLING_PERIOD=2026-13/x.parquet"] },
      /BILLING_PERIOD=2026-13 is not YYYY-MM/,
    ],
    ["a file twice", { dataFiles: [URI, URI] }, /lists s3:\/\/.* twice/],
    [
      "two periods",
      { dataFiles: [URI, URI.replaceAll("2026-10", "2026-11")] },
      /mixes billing periods 2026-10, 2026-11/,
    ],
    [
      "billingPeriod disagreeing with the files",
      { dataFiles: [URI], billingPeriod: { start: "2026-09-01T00:00:00.000Z" } },
      /billingPeriod is 2026-09, but its data files are in 2026-10's folder/,
    ],
    ["bad columns", { dataFiles: [], columns: [{ type: "double" }] }, /"columns" must be a list/],
  ])("refuses %s", (_, value, message) => {
    const error = (() => {
      try {
        parseManifest(typeof value === "string" ? value : JSON.stringify(value), "m.json");
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CurEngineError);
    expect((error as CurEngineError).reason).toBe("manifest");
    expect((error as Error).message).toMatch(message);
  });

  it("checkManifestPeriod: a manifest in another period's folder", () => {
    const manifest = parse({ dataFiles: [URI] });
    expect(() => checkManifestPeriod(manifest, "2026-10", "m.json")).not.toThrow();
    expect(() => checkManifestPeriod(manifest, "2026-11", "m.json")).toThrow(
      "m.json is for billing period 2026-10, but sits in the folder of 2026-11",
    );
    expect(() => checkManifestPeriod(parse({ dataFiles: [] }), "2026-11", "m.json")).not.toThrow();
  });
});

describe("a local export's manifest", () => {
  let scratch: ReturnType<typeof scratchDir>;
  beforeEach(() => {
    scratch = scratchDir();
  });
  afterEach(() => scratch.remove());

  it("the writer's manifest has the observed fields, and reads back", async () => {
    const [april] = await writeCurExport(scratch.dir, SAMPLE_LINES);
    const manifest = parseManifest(readFileSync(april!.manifest!, "utf8"), april!.manifest!);
    expect(manifest).toMatchObject({
      exportName: "ai-spend-cur",
      billingPeriod: "2026-04",
      dataFiles: [{ bucket: "cur-bucket", period: "2026-04" }],
    });
    expect(manifest.columns?.find((c) => c.name === "tags")?.type).toBe("map");
    expect(periodFiles(scratch.dir, "2026-04").listedBy.kind).toBe("manifest");
  });

  it("finds a file listed under an execution folder where the bucket keeps it", async () => {
    const [april] = await writeCurExport(scratch.dir, SAMPLE_LINES);
    const folder = periodFolder(scratch.dir, "2026-04");
    const name = april!.files[0]!.slice(folder.length + 1);
    mkdirSync(join(folder, "exec-1"));
    renameSync(april!.files[0]!, join(folder, "exec-1", name));
    const manifest = JSON.parse(readFileSync(april!.manifest!, "utf8")) as { dataFiles: string[] };
    manifest.dataFiles = manifest.dataFiles.map((f) => f.replace(name, `exec-1/${name}`));
    writeFileSync(april!.manifest!, JSON.stringify(manifest));
    expect(periodFiles(scratch.dir, "2026-04").files).toEqual([join(folder, "exec-1", name)]);
  });

  it("a manifest in the wrong period's folder", async () => {
    const [april, may] = await writeCurExport(scratch.dir, SAMPLE_LINES);
    writeFileSync(may!.manifest!, readFileSync(april!.manifest!));
    expect(() => periodFiles(scratch.dir, "2026-05")).toThrow(
      /is for billing period 2026-04, but sits in the folder of 2026-05/,
    );
  });
});
