/**
 * A local stand-in for the AWS APIs the guard calls, speaking their real wire protocols on
 * 127.0.0.1, so the real SDK v3 clients can be exercised end to end (tests, the offline demo,
 * the benchmarks). Each service is a handler; the server asks them in turn.
 */

export interface LocalRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

export interface LocalResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Wait this long before answering (to exercise client deadlines). */
  readonly delayMs?: number;
  /**
   * Send the status line, the headers and half the body, then destroy the socket: a connection
   * reset after a 200, which a client sees only while reading the body.
   */
  readonly resetAfterHeaders?: boolean;
}

/** Returns undefined when the request is not for this service. */
export type ServiceHandler = (
  request: LocalRequest,
) => Promise<LocalResponse | undefined> | LocalResponse | undefined;
