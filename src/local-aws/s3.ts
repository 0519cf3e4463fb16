/**
 * Local S3 `PutObject` / `GetObject`, REST-XML, path-style (`/bucket/key`: set the client's
 * `forcePathStyle`). Honours `If-None-Match: *` (412 PreconditionFailed when the key exists)
 * and `If-Match: <etag>` on a put (412 when the object's ETag differs, 404 when there is none),
 * answers a missing key with 404 NoSuchKey, or with 403 AccessDenied as real S3 does when
 * the caller lacks s3:ListBucket (`missingKeyStatus: 403`). `fault` makes chosen calls fail.
 */
import { createHash, randomUUID } from "node:crypto";
import { escapeXml, signedFor } from "./sns";
import type { LocalRequest, LocalResponse, ServiceHandler } from "./types";

export interface S3Object {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

export interface S3Call {
  readonly method: "GET" | "PUT";
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
}

export function s3Handler(options: S3HandlerOptions = {}): S3Handler {
  const objects = new Map<string, S3Object>();
  const preconditionFailures: S3Call[] = [];

  const handler = ((request: LocalRequest): LocalResponse | undefined => {
    if (!signedFor(request, "s3")) return undefined;
    const [, bucket = "", ...rest] = request.path.split("/");
    const key = rest.map((part) => decodeURIComponent(part)).join("/");
    if (request.method !== "GET" && request.method !== "PUT") {
      return error(405, "MethodNotAllowed", "local S3 serves GetObject and PutObject only");
    }
    if (bucket === "" || key === "") {
      return error(400, "InvalidRequest", "local S3 expects path-style /bucket/key requests");
    }
    const call: S3Call = { method: request.method, bucket, key };
    const fault = options.fault?.(call);
    if (fault !== undefined) {
      return error(fault.status, fault.code, fault.message ?? `local S3: injected ${fault.code}`);
    }
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
        headers: { "content-type": object.contentType, etag: object.etag },
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
    const body = decodeBody(request);
    const etag = `"${createHash("md5").update(body).digest("hex")}"`;
    objects.set(id, {
      body,
      contentType: request.headers["content-type"] ?? "binary/octet-stream",
      etag,
    });
    return { status: 200, headers: { etag } };
  }) as S3Handler;
  return Object.assign(handler, { objects, preconditionFailures });
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
