/**
 * The local AWS endpoint: one HTTP server on 127.0.0.1 (ephemeral port) that hands each request
 * to the service handlers in turn. Point the real SDK v3 clients at `endpoint` (the client's
 * `endpoint` option or `AWS_ENDPOINT_URL`) with dummy credentials.
 *
 * It never listens on another interface: the point is to exercise the real clients without an
 * AWS account, and nothing it serves may leave the machine.
 *
 * @example
 * const aws = await startLocalAws([costExplorerHandler(dataset)]);
 * const ce = new CostExplorerClient({ endpoint: aws.endpoint, region: "us-east-1", credentials });
 * ...
 * await aws.close();
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import type { LocalRequest, LocalResponse, ServiceHandler } from "./types";

export interface LocalAwsOptions {
  /** Port to listen on; default 0 = an ephemeral port chosen by the OS. */
  readonly port?: number;
  /** Largest request body accepted, in bytes (default 10 MiB). Bigger requests get a 413. */
  readonly maxBodyBytes?: number;
}

export interface LocalAws {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Every request received, in arrival order (handled or not): what tests assert on. */
  readonly requests: LocalRequest[];
  /** Stops listening and drops open connections (including responses still delayed). */
  close(): Promise<void>;
}

const HOST = "127.0.0.1";
const DEFAULT_MAX_BODY = 10 * 1024 * 1024;

/** Starts the local endpoint with the given service handlers. */
export async function startLocalAws(
  handlers: readonly ServiceHandler[],
  options: LocalAwsOptions = {},
): Promise<LocalAws> {
  const requests: LocalRequest[] = [];
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;

  const server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing).catch((error: unknown) => {
      // Last resort: a response that could not even be written. Drop the socket so the client
      // sees a network fault instead of hanging.
      outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });

  async function serve(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const body = await readBody(incoming, maxBodyBytes);
    if (body === undefined) {
      write(outgoing, textResponse(413, `local AWS: request body over ${maxBodyBytes} bytes`));
      return;
    }
    const request = toLocalRequest(incoming, body);
    requests.push(request);
    let response: LocalResponse | undefined;
    try {
      for (const handler of handlers) {
        response = await handler(request);
        if (response !== undefined) break;
      }
    } catch (error) {
      response = textResponse(
        500,
        `local AWS: a handler failed on ${describe(request)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    response ??= unhandled(request);
    if (response.delayMs !== undefined && response.delayMs > 0) {
      const answered = await delay(response.delayMs, incoming);
      if (!answered) return; // the client gave up (deadline, abort): nobody to answer
    }
    write(outgoing, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://${HOST}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Keep-alive sockets and delayed responses would hold close() open indefinitely.
        server.closeAllConnections();
      }),
  };
}

function toLocalRequest(incoming: IncomingMessage, body: Buffer): LocalRequest {
  const url = new URL(incoming.url ?? "/", `http://${HOST}`);
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return {
    method: incoming.method ?? "GET",
    path: url.pathname,
    query: url.searchParams,
    headers,
    body,
  };
}

/** The body, or undefined when it is larger than `limit`. */
async function readBody(incoming: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Resolves true after `ms`, or false as soon as the client closes the connection. */
function delay(ms: number, incoming: IncomingMessage): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      incoming.socket.off("close", onClose);
      resolve(true);
    }, ms);
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    incoming.socket.once("close", onClose);
  });
}

function write(outgoing: ServerResponse, response: LocalResponse): void {
  if (outgoing.destroyed || outgoing.headersSent) return;
  const body = response.body ?? "";
  outgoing.writeHead(response.status, {
    ...response.headers,
    "content-length": String(Buffer.byteLength(body)),
  });
  if (response.resetAfterHeaders === true) {
    const bytes = Buffer.from(body);
    outgoing.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => {
      outgoing.socket?.resetAndDestroy();
    });
    return;
  }
  outgoing.end(body);
}

function textResponse(status: number, message: string): LocalResponse {
  return { status, headers: { "content-type": "text/plain; charset=utf-8" }, body: message };
}

/** One line naming the request: method, path, and the header or parameter naming the action. */
function describe(request: LocalRequest): string {
  const target = request.headers["x-amz-target"];
  const action = request.query.get("Action");
  return [
    `${request.method} ${request.path}`,
    target === undefined ? "" : ` (X-Amz-Target: ${target})`,
    action === null ? "" : ` (Action=${action})`,
  ].join("");
}

/**
 * No handler took the request: a 404 whose message names it, so a test that forgot a handler
 * (or a client pointed at the wrong service) fails with a readable reason rather than a hang.
 * JSON with `__type` so JSON-protocol SDK clients surface the message as the error's message.
 */
function unhandled(request: LocalRequest): LocalResponse {
  return {
    status: 404,
    headers: { "content-type": "application/x-amz-json-1.1" },
    body: JSON.stringify({
      __type: "UnknownOperationException",
      message: `local AWS: no handler for ${describe(request)}`,
    }),
  };
}
