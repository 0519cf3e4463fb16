/**
 * `--cur s3://bucket/prefix/export-name`: the billing periods a report needs, fetched from
 * where AWS Data Exports delivers them into a temporary folder laid out as the export is
 * (`data/BILLING_PERIOD=YYYY-MM/...`, `metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json`),
 * so the DuckDB engine reads it like any local copy. The folder is removed afterwards, on
 * success and on error (`withFetchedCurExport`).
 *
 * Per period: GetObject of the manifest, then GetObject of exactly the files its `dataFiles`
 * lists (a file left from an earlier delivery is not fetched). Without a manifest (404), the
 * period's data folder is listed (ListObjectsV2, one level, as the local reader does) and its
 * Parquet files fetched; with neither, a clear error. When the manifest lists the export's
 * columns and one the query reads is missing, the error names it and the export setting that
 * adds it, before a byte of data is fetched.
 *
 * Faults: throttling, 5xx and network faults are retried with exponential backoff and full
 * jitter (the client is built with `maxAttempts: 1`, so the retries are these, and counted); a
 * 403 is an error naming the object and the permission, never skipped; a body shorter than its
 * Content-Length is retried. Never a partial export.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { S3ClientConfig } from "@aws-sdk/client-s3";

import { missingColumnHint } from "../cur/columns";
import type { CurColumnName } from "../cur/columns";
import { CurEngineError } from "../cur/engine";
import {
  DATA_FOLDER,
  MANIFEST_SUFFIX,
  METADATA_FOLDER,
  PARTITION_PREFIX,
  metadataFolder,
  periodFolder,
} from "../cur/export-folder";
import { checkManifestPeriod, parseManifest } from "../cur/manifest";
import { abortableSleep, backoffDelay, classifyError } from "./cost-explorer";
import type { RetryPolicy } from "./cost-explorer";

/** Where an export is delivered: `s3://<bucket>/<prefix>/<exportName>`. */
export interface CurS3Location {
  readonly bucket: string;
  /** The destination's S3 prefix, without slashes at either end; may be empty. */
  readonly prefix: string;
  readonly exportName: string;
}

/** `s3://bucket/prefix/export-name` (a trailing slash allowed). Throws `CurEngineError`. */
export function parseCurS3Uri(uri: string): CurS3Location {
  const match = /^s3:\/\/([^/]+)\/(.+?)\/?$/.exec(uri);
  const parts = match?.[2]?.split("/") ?? [];
  if (match === null || parts.some((p) => p === "" || p === "." || p === "..")) {
    throw new CurEngineError(
      `${uri} is not an export's S3 location: expected s3://<bucket>/<prefix>/<export-name> (the folder holding data/ and metadata/)`,
      "not-an-export",
    );
  }
  return { bucket: match[1]!, prefix: parts.slice(0, -1).join("/"), exportName: parts.at(-1)! };
}

/** The key of the export's folder: `<prefix>/<exportName>`. */
function exportKey(location: CurS3Location): string {
  return location.prefix === "" ? location.exportName : `${location.prefix}/${location.exportName}`;
}

/** Retries of S3 calls: quicker than Cost Explorer's (S3 throttles per prefix, not per second). */
export const S3_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5_000 };

/** An S3 client fit for the fetcher: no SDK retries (the fetcher retries, and counts them). */
export function createCurS3Client(config: S3ClientConfig = {}): S3Client {
  return new S3Client({ ...config, maxAttempts: 1 });
}

export interface CurS3FetchOptions {
  /** The billing periods (`YYYY-MM`) to fetch: the query's. */
  readonly periods: readonly string[];
  /** The columns the query reads, checked against the manifest's column list when it has one. */
  readonly columns?: readonly CurColumnName[];
  readonly signal?: AbortSignal;
  readonly retry?: Partial<RetryPolicy>;
  /** Waits between retries (tests make them instant). Must honour `signal`. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** Where the temporary folder is made (default: the OS temporary folder). */
  readonly tmpRoot?: string;
  /** Objects fetched at once (default 4). */
  readonly concurrency?: number;
}

export interface FetchedPeriod {
  readonly period: string;
  /** `manifest`: the files its dataFiles lists; `listing`: no manifest, the folder's files. */
  readonly listedBy: "manifest" | "listing";
  readonly files: number;
  readonly bytes: number;
}

export interface CurS3Fetch {
  /** The export's S3 location, as given. */
  readonly source: string;
  /** The temporary folder holding the fetched periods (gone once removed). */
  readonly dir: string;
  /** Bytes fetched: data files and manifests. */
  readonly bytes: number;
  /** Objects fetched: data files and manifests. */
  readonly objects: number;
  /** Retries after throttling, 5xx, network faults or a short body. */
  readonly retries: number;
  readonly periods: readonly FetchedPeriod[];
}

/**
 * Fetches the periods, hands the folder to `use`, and removes it afterwards whatever happens.
 *
 * @example
 * const { value: result, fetch } = await withFetchedCurExport(createCurS3Client(), "s3://b/cur2/my-cur2",
 *   { periods: query.periods, columns: queryColumns(query) },
 *   async ({ dir }) => (await DuckDbCurEngine.open(dir)).run(query));
 */
export async function withFetchedCurExport<T>(
  client: S3Client,
  uri: string,
  options: CurS3FetchOptions,
  use: (fetched: CurS3Fetch) => Promise<T>,
): Promise<{ readonly value: T; readonly fetch: CurS3Fetch }> {
  const fetched = await fetchCurExport(client, uri, options);
  try {
    return { value: await use(fetched), fetch: fetched };
  } finally {
    fetched.remove();
  }
}

/**
 * Fetches the periods into a new temporary folder and returns it with `remove()`; the caller
 * must call `remove()` (see `withFetchedCurExport`). On any failure the folder is removed
 * before the error is thrown.
 */
export async function fetchCurExport(
  client: S3Client,
  uri: string,
  options: CurS3FetchOptions,
): Promise<CurS3Fetch & { remove(): void }> {
  const location = parseCurS3Uri(uri);
  const policy: RetryPolicy = { ...S3_RETRY, ...options.retry };
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number >= 1, got ${concurrency}`);
  }
  const dir = mkdtempSync(join(options.tmpRoot ?? tmpdir(), "ai-spend-guard-cur-"));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  // One signal for every request: the caller's, or the first failure's (stops the others).
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted === true) onAbort();
  const counts = { bytes: 0, objects: 0, retries: 0 };
  const s3 = new Requests(client, policy, controller.signal, counts, options);
  try {
    const periods: FetchedPeriod[] = [];
    for (const period of options.periods) {
      periods.push(await fetchPeriod(s3, location, uri, dir, period, options, concurrency));
    }
    return { source: uri, dir, ...counts, periods, remove };
  } catch (error) {
    controller.abort(error);
    remove();
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}

async function fetchPeriod(
  s3: Requests,
  location: CurS3Location,
  uri: string,
  dir: string,
  period: string,
  options: CurS3FetchOptions,
  concurrency: number,
): Promise<FetchedPeriod> {
  const root = exportKey(location);
  const dataPrefix = `${root}/${DATA_FOLDER}/${PARTITION_PREFIX}${period}/`;
  const manifestName = `${location.exportName}${MANIFEST_SUFFIX}`;
  const manifestKey = `${root}/${METADATA_FOLDER}/${PARTITION_PREFIX}${period}/${manifestName}`;
  const manifestUri = `s3://${location.bucket}/${manifestKey}`;
  const text = await s3.text(location.bucket, manifestKey);

  let files: { readonly bucket: string; readonly key: string; readonly pathInPeriod: string }[];
  if (text !== undefined) {
    const manifest = parseManifest(text, manifestUri);
    checkManifestPeriod(manifest, period, manifestUri);
    if (manifest.columns !== undefined && options.columns !== undefined) {
      const present = new Set(manifest.columns.map((c) => c.name));
      const missing = options.columns.filter((c) => !present.has(c));
      if (missing.length > 0) {
        throw new CurEngineError(
          `${manifestUri}: ${missing.map((c) => missingColumnHint(c)).join("; ")}`,
          "missing-column",
        );
      }
    }
    files = manifest.dataFiles.map((file) => {
      const bucket = file.bucket ?? location.bucket;
      const key = file.key.includes("/") ? file.key : `${dataPrefix}${file.key}`;
      // The manifest read here names this export's files; anything else is not fetched.
      if (bucket !== location.bucket || !key.startsWith(dataPrefix)) {
        throw new CurEngineError(
          `${manifestUri} lists ${file.entry}, outside the export's data folder s3://${location.bucket}/${dataPrefix}`,
          "manifest",
        );
      }
      return { bucket, key, pathInPeriod: file.pathInPeriod };
    });
    if (files.length === 0) {
      throw new CurEngineError(
        `billing period ${period}: ${manifestUri} lists no data files`,
        "no-files",
      );
    }
    const local = join(metadataFolder(dir, period), manifestName);
    mkdirSync(dirname(local), { recursive: true });
    writeFileSync(local, text);
  } else {
    const keys = await s3.list(location.bucket, dataPrefix);
    files = keys
      .filter((key) => key.endsWith(".parquet"))
      .map((key) => ({
        bucket: location.bucket,
        key,
        pathInPeriod: key.slice(dataPrefix.length),
      }));
    if (files.length === 0) {
      throw new CurEngineError(
        `billing period ${period} has no data in ${uri}: neither ${manifestUri} nor a Parquet file under s3://${location.bucket}/${dataPrefix} (is the location right, is the export Parquet, and has AWS delivered this period yet?)`,
        "no-files",
      );
    }
  }
  mkdirSync(periodFolder(dir, period), { recursive: true });
  let bytes = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++]!;
      // Not `bytes += await ...`: that reads `bytes` before the wait, losing other workers' sums.
      const size = await s3.download(
        file.bucket,
        file.key,
        join(periodFolder(dir, period), file.pathInPeriod),
      );
      bytes += size;
    }
  };
  await settleAll(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return {
    period,
    listedBy: text !== undefined ? "manifest" : "listing",
    files: files.length,
    bytes,
  };
}

/** Like Promise.all, but waits for every task to end before rejecting with the first error. */
async function settleAll(tasks: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed !== undefined) throw failed.reason;
}

interface ServiceFault {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** The fetcher's S3 calls, each retried under one policy and one signal. */
class Requests {
  constructor(
    private readonly client: S3Client,
    private readonly policy: RetryPolicy,
    private readonly signal: AbortSignal,
    private readonly counts: { bytes: number; objects: number; retries: number },
    private readonly options: CurS3FetchOptions,
  ) {}

  /** An object's text, or undefined when S3 says it does not exist (404). */
  async text(bucket: string, key: string): Promise<string | undefined> {
    return this.retried(`GetObject s3://${bucket}/${key}`, async () => {
      try {
        const answer = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
          abortSignal: this.signal,
        });
        const text = (await answer.Body?.transformToString("utf-8")) ?? "";
        this.counts.objects += 1;
        this.counts.bytes += Buffer.byteLength(text);
        return text;
      } catch (error) {
        const fault = error as ServiceFault;
        if (fault.name === "NoSuchKey" || fault.$metadata?.httpStatusCode === 404) return undefined;
        if (fault.$metadata?.httpStatusCode === 403) {
          throw new CurEngineError(
            `S3 refused GetObject on s3://${bucket}/${key} (403 ${fault.name ?? "AccessDenied"}): the caller needs s3:GetObject on the export's objects; S3 also answers 403 for a missing object when the caller lacks s3:ListBucket on the bucket`,
            "fetch-failed",
            { cause: error },
          );
        }
        throw error;
      }
    });
  }

  /** The keys directly under `prefix` (one level: keys in subfolders are not listed). */
  async list(bucket: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.retried(`ListObjectsV2 s3://${bucket}/${prefix}`, () =>
        this.client
          .send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix,
              Delimiter: "/",
              ContinuationToken: token,
            }),
            { abortSignal: this.signal },
          )
          .catch((error: unknown) => {
            if ((error as ServiceFault).$metadata?.httpStatusCode === 403) {
              throw new CurEngineError(
                `S3 refused ListObjectsV2 on s3://${bucket}/${prefix} (403): the period has no manifest, so its folder must be listed; the caller needs s3:ListBucket on the bucket for that prefix`,
                "fetch-failed",
                { cause: error },
              );
            }
            throw error;
          }),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return keys;
  }

  /** Streams an object to `path`; returns its size. A short body is retried. */
  async download(bucket: string, key: string, path: string): Promise<number> {
    mkdirSync(dirname(path), { recursive: true });
    return this.retried(`GetObject s3://${bucket}/${key}`, async () => {
      let answer;
      try {
        answer = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
          abortSignal: this.signal,
        });
      } catch (error) {
        const fault = error as ServiceFault;
        const status = fault.$metadata?.httpStatusCode;
        if (status === 403 || status === 404 || fault.name === "NoSuchKey") {
          throw new CurEngineError(
            status === 403
              ? `S3 refused GetObject on s3://${bucket}/${key} (403 ${fault.name ?? "AccessDenied"}): the caller needs s3:GetObject on the export's data prefix; no partial export is read`
              : `s3://${bucket}/${key} is listed but does not exist (AWS may be rewriting the period): run again in a few minutes`,
            "fetch-failed",
            { cause: error },
          );
        }
        throw error;
      }
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(answer.Body as Readable, counter, createWriteStream(path), {
        signal: this.signal,
      });
      if (answer.ContentLength !== undefined && size !== answer.ContentLength) {
        throw new ShortBody(`s3://${bucket}/${key}: got ${size} of ${answer.ContentLength} bytes`);
      }
      this.counts.objects += 1;
      this.counts.bytes += size;
      return size;
    });
  }

  /** `call`, retried on throttling, 5xx, network faults and short bodies. */
  private async retried<T>(what: string, call: () => Promise<T>): Promise<T> {
    const sleep = this.options.sleep ?? abortableSleep;
    const random = this.options.random ?? Math.random;
    for (let attempt = 1; ; attempt++) {
      this.signal.throwIfAborted();
      try {
        return await call();
      } catch (error) {
        if (error instanceof CurEngineError) throw error;
        if (this.signal.aborted) throw this.signal.reason;
        const kind = error instanceof ShortBody ? "network" : classifyError(error);
        const fault = error as ServiceFault;
        const said = `${fault.name ?? "Error"}: ${fault.message ?? String(error)}`;
        if (kind === "fatal") {
          throw new CurEngineError(`S3 ${what} failed: ${said}`, "fetch-failed", { cause: error });
        }
        if (attempt >= this.policy.maxAttempts) {
          throw new CurEngineError(
            `S3 ${what} still failing after ${attempt} attempts: ${said}`,
            "fetch-failed",
            { cause: error },
          );
        }
        this.counts.retries += 1;
        await sleep(backoffDelay(attempt, this.policy, random), this.signal);
      }
    }
  }
}

class ShortBody extends Error {
  override readonly name = "ShortBody";
}
