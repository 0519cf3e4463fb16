/**
 * Local S3 `PutObject` / `GetObject` / `ListObjectsV2`, REST-XML, path-style (`/bucket/key`: set
 * the client's `forcePathStyle`). Bodies are bytes (Parquet as well as JSON). Honours
 * `If-None-Match: *` (412 PreconditionFailed when the key exists) and `If-Match: <etag>` on a
 * put (412 when the object's ETag differs, 404 when there is none), answers a missing key with
 * 404 NoSuchKey, or with 403 AccessDenied as real S3 does when the caller lacks s3:ListBucket
 * (`missingKeyStatus: 403`). ListObjectsV2 (`GET /bucket?list-type=2`) pages by `max-keys`
 * (at most 1,000) with `continuation-token`, and groups keys by `delimiter` into
 * CommonPrefixes, as S3 does. `fault` makes chosen calls fail.
 */
import { createHash, randomUUID } from "node:crypto";
import { escapeXml, signedFor } from "./sns";
import type { LocalRequest, LocalResponse, ServiceHandler } from "./types";

export interface S3Object {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: Date;
}

export interface S3Call {
  /** LIST is ListObjectsV2, whose `key` is the listed prefix. */
  readonly method: "GET" | "PUT" | "LIST";
  readonly bucket: string;
  readonly key: string;
}

export interface S3Fault {
  readonly status: number;
  readonly code: string;
  readonly message?: string;
}

export interface S3HandlerOptions {
  readonly fault?: (call: S3Call) => S3Fault | undefined;
  /** 404 (default) or 403: how a GET for a missing key is answered. */
  readonly missingKeyStatus?: 403 | 404;
}

export interface S3Handler extends ServiceHandler {
  /** `bucket/key` -> object. */
  readonly objects: Map<string, S3Object>;
  /** Puts that were refused because the key existed (If-None-Match). */
  readonly preconditionFailures: S3Call[];
  /** Stores an object directly (a test's or the demo's seed). */
  put(bucket: string, key: string, body: Buffer | string, contentType?: string): void;
}

const MAX_KEYS = 1_000;

export function s3Handler(options: S3HandlerOptions = {}): S3Handler {
  const objects = new Map<string, S3Object>();
  const preconditionFailures: S3Call[] = [];

  const handler = ((request: LocalRequest): LocalResponse | undefined => {
    if (!signedFor(request, "s3")) return undefined;
    const [, bucket = "", ...rest] = request.path.split("/");
    const key = rest.map((part) => decodeURIComponent(part)).join("/");
    if (request.method !== "GET" && request.method !== "PUT") {
      return error(
        405,
        "MethodNotAllowed",
        "local S3 serves GetObject, PutObject and ListObjectsV2",
      );
    }
    const listing =
      request.method === "GET" && key === "" && request.query.get("list-type") === "2";
    if (bucket === "" || (key === "" && !listing)) {
      return error(400, "InvalidRequest", "local S3 expects path-style /bucket/key requests");
    }
    const call: S3Call = listing
      ? { method: "LIST", bucket, key: request.query.get("prefix") ?? "" }
      : { method: request.method as "GET" | "PUT", bucket, key };
    const fault = options.fault?.(call);
    if (fault !== undefined) {
      return error(fault.status, fault.code, fault.message ?? `local S3: injected ${fault.code}`);
    }
    if (listing) return listObjectsV2(objects, bucket, request.query);
    const id = `${bucket}/${key}`;
    if (request.method === "GET") {
      const object = objects.get(id);
      if (object === undefined) {
        return options.missingKeyStatus === 403
          ? error(403, "AccessDenied", "Access Denied")
          : error(404, "NoSuchKey", "The specified key does not exist.", key);
      }
      return {
        status: 200,
        headers: {
          "content-type": object.contentType,
          etag: object.etag,
          "last-modified": object.lastModified.toUTCString(),
        },
        body: object.body,
      };
    }
    const ifMatch = request.headers["if-match"];
    if (ifMatch !== undefined) {
      const current = objects.get(id);
      if (current === undefined) {
        preconditionFailures.push(call);
        return error(404, "NoSuchKey", "The specified key does not exist.", key);
      }
      if (current.etag !== ifMatch) {
        preconditionFailures.push(call);
        return error(
          412,
          "PreconditionFailed",
          "At least one of the pre-conditions you specified did not hold",
        );
      }
    }
    if (request.headers["if-none-match"] === "*" && objects.has(id)) {
      preconditionFailures.push(call);
      return error(
        412,
        "PreconditionFailed",
        "At least one of the pre-conditions you specified did not hold",
      );
    }
    const object = storedObject(decodeBody(request), request.headers["content-type"]);
    objects.set(id, object);
    return { status: 200, headers: { etag: object.etag } };
  }) as S3Handler;
  const put = (bucket: string, key: string, body: Buffer | string, contentType?: string): void => {
    objects.set(`${bucket}/${key}`, storedObject(Buffer.from(body), contentType));
  };
  return Object.assign(handler, { objects, preconditionFailures, put });
}

function storedObject(body: Buffer, contentType: string | undefined): S3Object {
  return {
    body,
    contentType: contentType ?? "binary/octet-stream",
    etag: `"${createHash("md5").update(body).digest("hex")}"`,
    lastModified: new Date(),
  };
}

/**
 * ListObjectsV2's answer: keys in UTF-8 binary order after `start-after` / the continuation
 * token, those sharing a prefix up to the next `delimiter` rolled into one CommonPrefix, at
 * most `max-keys` entries (Contents and CommonPrefixes together) per page.
 */
function listObjectsV2(
  objects: ReadonlyMap<string, S3Object>,
  bucket: string,
  query: URLSearchParams,
): LocalResponse {
  const prefix = query.get("prefix") ?? "";
  const delimiter = query.get("delimiter") ?? "";
  const maxKeysText = query.get("max-keys");
  const maxKeys = maxKeysText === null ? MAX_KEYS : Math.min(MAX_KEYS, Number(maxKeysText));
  if (!Number.isInteger(maxKeys) || maxKeys < 0) {
    return error(400, "InvalidArgument", "max-keys must be a whole number");
  }
  const token = query.get("continuation-token");
  const after =
    token !== null
      ? Buffer.from(token, "base64").toString("utf8")
      : (query.get("start-after") ?? "");
  const keys = [...objects.keys()]
    .filter((id) => id.startsWith(`${bucket}/`))
    .map((id) => id.slice(bucket.length + 1))
    .filter((key) => key.startsWith(prefix) && key > after)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const contents: string[] = [];
  const prefixes: string[] = [];
  let last = "";
  let truncated = false;
  for (const key of keys) {
    const cut = delimiter === "" ? -1 : key.indexOf(delimiter, prefix.length);
    const common = cut < 0 ? undefined : key.slice(0, cut + delimiter.length);
    if (common !== undefined && (prefixes.at(-1) === common || common <= last)) continue;
    if (contents.length + prefixes.length >= maxKeys) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      prefixes.push(common);
      // The next page starts after every key under this prefix.
      last = `${common}\uffff`;
    } else {
      contents.push(key);
      last = key;
    }
  }
  const tag = (name: string, value: string | number | boolean) =>
    `<${name}>${escapeXml(String(value))}</${name}>`;
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    tag("Name", bucket),
    tag("Prefix", prefix),
    ...(delimiter === "" ? [] : [tag("Delimiter", delimiter)]),
    tag("MaxKeys", maxKeys),
    tag("KeyCount", contents.length + prefixes.length),
    tag("IsTruncated", truncated),
    ...(token === null ? [] : [tag("ContinuationToken", token)]),
    ...(truncated ? [tag("NextContinuationToken", Buffer.from(last).toString("base64"))] : []),
    ...contents.map((key) => {
      const object = objects.get(`${bucket}/${key}`)!;
      return `<Contents>${tag("Key", key)}${tag("LastModified", object.lastModified.toISOString())}${tag("ETag", object.etag)}${tag("Size", object.body.length)}${tag("StorageClass", "STANDARD")}</Contents>`;
    }),
    ...prefixes.map((common) => `<CommonPrefixes>${tag("Prefix", common)}</CommonPrefixes>`),
    "</ListBucketResult>",
  ].join("");
  return { status: 200, headers: { "content-type": "application/xml" }, body };
}

/** The payload, decoding `aws-chunked` uploads (SDKs use them for streamed bodies). */
function decodeBody(request: LocalRequest): Buffer {
  const encoding = request.headers["content-encoding"] ?? "";
  if (!encoding.includes("aws-chunked")) return request.body;
  const chunks: Buffer[] = [];
  let offset = 0;
  const body = request.body;
  for (;;) {
    const lineEnd = body.indexOf("\r\n", offset);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString("ascii").split(";")[0]!, 16);
    if (!Number.isFinite(size) || size === 0) break;
    chunks.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(chunks);
}

function error(status: number, code: string, message: string, key?: string): LocalResponse {
  return {
    status,
    headers: { "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${key === undefined ? "" : `<Key>${escapeXml(key)}</Key>`}<RequestId>${randomUUID()}</RequestId></Error>`,
  };
}
