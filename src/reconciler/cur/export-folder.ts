/**
 * A local copy of a CUR 2.0 export, laid out as AWS delivers it to S3:
 *
 *   DIR/data/BILLING_PERIOD=YYYY-MM/<export>-00001.snappy.parquet ...
 *   DIR/metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json      (written after the data)
 *
 * This module finds the files of the billing periods a query needs, and only those: another
 * period's folder is never listed, let alone opened. Where a period has a manifest, its file
 * list is the truth (AWS overwrites a period on each refresh; a file left from an earlier
 * delivery is not part of the current one); without one, every Parquet file in the folder.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

import { CurEngineError } from "./engine";
import { checkManifestPeriod, parseManifest } from "./manifest";

export const DATA_FOLDER = "data";
export const METADATA_FOLDER = "metadata";
export const PARTITION_PREFIX = "BILLING_PERIOD=";
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
export const MANIFEST_SUFFIX = "-Manifest.json";

export interface ExportPeriodFiles {
  readonly period: string;
  /** Absolute paths of the period's data files. */
  readonly files: readonly string[];
  /** Where the list came from. */
  readonly listedBy:
    { readonly kind: "manifest"; readonly path: string } | { readonly kind: "folder" };
}

/** The folder of one period's data: `DIR/data/BILLING_PERIOD=YYYY-MM`. */
export function periodFolder(dir: string, period: string): string {
  return join(dir, DATA_FOLDER, `${PARTITION_PREFIX}${period}`);
}

/**
 * Checks that `dir` is an export (has `data/BILLING_PERIOD=YYYY-MM/` folders) and returns the
 * periods it holds, sorted. Throws `CurEngineError` ("not-an-export") naming what is missing.
 */
export function exportPeriods(dir: string): string[] {
  const data = join(dir, DATA_FOLDER);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CurEngineError(`${dir} is not a folder`, "not-an-export");
  }
  const entries = existsSync(data) && statSync(data).isDirectory() ? readdirSync(data) : [];
  const periods = entries
    .filter(
      (name) =>
        name.startsWith(PARTITION_PREFIX) && PERIOD.test(name.slice(PARTITION_PREFIX.length)),
    )
    .map((name) => name.slice(PARTITION_PREFIX.length))
    .sort();
  if (periods.length === 0) {
    throw new CurEngineError(
      `${dir} is not a CUR 2.0 export: no ${DATA_FOLDER}/${PARTITION_PREFIX}YYYY-MM/ folder in it (point at the export's folder, the one holding data/ and metadata/)`,
      "not-an-export",
    );
  }
  return periods;
}

/**
 * The data files of one period. Throws `CurEngineError`: "no-files" when the period has no
 * folder or no Parquet file, "manifest" when its manifest cannot be read or lists a file that is
 * not there (an incomplete copy).
 */
export function periodFiles(dir: string, period: string): ExportPeriodFiles {
  if (!PERIOD.test(period))
    throw new CurEngineError(`not a billing period (YYYY-MM): ${period}`, "no-files");
  const folder = periodFolder(dir, period);
  if (!existsSync(folder)) {
    throw new CurEngineError(
      `billing period ${period} has no data in ${dir} (no folder ${DATA_FOLDER}/${PARTITION_PREFIX}${period}/): the report needs it; copy that period of the export, or choose dates the export covers`,
      "no-files",
    );
  }
  const manifest = manifestPath(dir, period);
  if (manifest !== undefined) {
    const parsed = parseManifest(readFileSync(manifest, "utf8"), manifest);
    checkManifestPeriod(parsed, period, manifest);
    // Where the copy keeps each file: its place below the period's folder, as in the bucket.
    const listed = parsed.dataFiles.map((file) => file.pathInPeriod);
    const missing = listed.filter((path) => !existsSync(join(folder, path)));
    if (missing.length > 0) {
      throw new CurEngineError(
        `${manifest} lists ${missing.length} data file(s) missing from ${folder} (first: ${missing[0]!}): the copy is incomplete; copy the period again`,
        "manifest",
      );
    }
    const files = listed.map((path) => join(folder, path));
    if (files.length === 0) {
      throw new CurEngineError(
        `billing period ${period}: ${manifest} lists no data files`,
        "no-files",
      );
    }
    return { period, files, listedBy: { kind: "manifest", path: manifest } };
  }
  const files = readdirSync(folder)
    .filter((name) => name.endsWith(".parquet"))
    .sort()
    .map((name) => join(folder, name));
  if (files.length === 0) {
    throw new CurEngineError(
      `billing period ${period} has no Parquet file in ${folder}: is the export Parquet (not CSV), and was the copy complete?`,
      "no-files",
    );
  }
  return { period, files, listedBy: { kind: "folder" } };
}

/** The folder of one period's manifest: `DIR/metadata/BILLING_PERIOD=YYYY-MM`. */
export function metadataFolder(dir: string, period: string): string {
  return join(dir, METADATA_FOLDER, `${PARTITION_PREFIX}${period}`);
}

/** `DIR/metadata/BILLING_PERIOD=YYYY-MM/<name>-Manifest.json`, if there is exactly one. */
function manifestPath(dir: string, period: string): string | undefined {
  const folder = metadataFolder(dir, period);
  if (!existsSync(folder)) return undefined;
  const manifests = readdirSync(folder).filter((name) => name.endsWith(MANIFEST_SUFFIX));
  if (manifests.length > 1) {
    throw new CurEngineError(
      `${folder} holds ${manifests.length} manifests (${manifests.join(", ")}): one export per folder`,
      "manifest",
    );
  }
  return manifests.length === 1 ? join(folder, manifests[0]!) : undefined;
}
