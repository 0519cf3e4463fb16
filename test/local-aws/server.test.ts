import { afterEach, describe, expect, it } from "vitest";

import { startLocalAws } from "../../src/local-aws/server";
import type { LocalAws } from "../../src/local-aws/server";
import type { ServiceHandler } from "../../src/local-aws/types";

let aws: LocalAws | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

describe("startLocalAws", () => {
  it("listens on 127.0.0.1 with an ephemeral port", async () => {
    aws = await startLocalAws([]);
    expect(aws.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(aws.endpoint).not.toMatch(/:0$/);
  });

  it("asks handlers in turn and logs every request", async () => {
    const skip: ServiceHandler = () => undefined;
    const echo: ServiceHandler = (request) => ({
      status: 200,
      headers: { "content-type": "text/plain" },
      body: `${request.method} ${request.path}?${request.query.toString()} ${request.headers["x-test"]} ${request.body.toString()}`,
    });
    aws = await startLocalAws([skip, echo]);
    const response = await fetch(`${aws.endpoint}/a/b?x=1`, {
      method: "POST",
      headers: { "X-Test": "yes" },
      body: "hello",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("POST /a/b?x=1 yes hello");
    expect(aws.requests).toHaveLength(1);
    expect(aws.requests[0]!.query.get("x")).toBe("1");
  });

  it("answers an unhandled request with a 404 naming it", async () => {
    aws = await startLocalAws([() => undefined]);
    const response = await fetch(`${aws.endpoint}/`, {
      method: "POST",
      headers: { "X-Amz-Target": "Nope.DoThing" },
      body: "{}",
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      __type: "UnknownOperationException",
      message: "local AWS: no handler for POST / (X-Amz-Target: Nope.DoThing)",
    });
    expect(aws.requests).toHaveLength(1);
  });

  it("turns a handler that throws into a 500 naming the request", async () => {
    aws = await startLocalAws([
      () => {
        throw new Error("boom");
      },
    ]);
    const response = await fetch(`${aws.endpoint}/?Action=Publish`, { method: "POST" });
    expect(response.status).toBe(500);
    expect(await response.text()).toBe(
      "local AWS: a handler failed on POST / (Action=Publish): boom",
    );
  });

  it("rejects an oversized body with a 413", async () => {
    aws = await startLocalAws([() => ({ status: 200 })], { maxBodyBytes: 4 });
    const response = await fetch(`${aws.endpoint}/`, { method: "POST", body: "too long" });
    expect(response.status).toBe(413);
  });

  it("delays a response, and close() does not wait for it", async () => {
    aws = await startLocalAws([() => ({ status: 200, body: "late", delayMs: 60_000 })]);
    const controller = new AbortController();
    const pending = fetch(`${aws.endpoint}/`, { signal: controller.signal });
    // Wait until the server has the request, then give up on it as a deadline would.
    while (aws.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(pending).rejects.toThrow();
    await aws.close();
    aws = undefined;
  });
});
