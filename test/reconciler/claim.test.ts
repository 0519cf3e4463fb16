import { describe, expect, it } from "vitest";
import { claimRun, releaseRun } from "../../src/reconciler";
import type { ClaimRecord } from "../../src/reconciler";
import { memoryStore } from "./memory-store";

const KEY = "reports/2026-11-28/claim.json";
const at = (iso: string) => () => new Date(iso);
const options = (
  store: ReturnType<typeof memoryStore>,
  owner: string,
  now = "2026-11-28T06:00:00Z",
) => ({
  store,
  key: KEY,
  runDate: "2026-11-28",
  owner,
  leaseMs: 60_000,
  now: at(now),
});
const record = (store: ReturnType<typeof memoryStore>) =>
  JSON.parse(store.objects.get(KEY)!.body) as ClaimRecord;

describe("claiming a run date", () => {
  it("claims a free date with a lease, and a second claimant stands down until it ends", async () => {
    const store = memoryStore();
    const first = await claimRun(options(store, "a"));
    expect(first).toMatchObject({ kind: "claimed", tookOver: false });
    expect(record(store)).toEqual({
      owner: "a",
      runDate: "2026-11-28",
      expiresAt: "2026-11-28T06:01:00.000Z",
      state: "running",
    });
    const second = await claimRun(options(store, "b", "2026-11-28T06:00:59.999Z"));
    expect(second).toEqual({ kind: "held", owner: "a", expiresAt: "2026-11-28T06:01:00.000Z" });
  });

  it("takes over exactly at the lease's end, and then holds it itself", async () => {
    const store = memoryStore();
    await claimRun(options(store, "a"));
    const late = await claimRun(options(store, "b", "2026-11-28T06:01:00Z"));
    expect(late).toMatchObject({ kind: "claimed", tookOver: true });
    expect(record(store).owner).toBe("b");
    expect(await claimRun(options(store, "a", "2026-11-28T06:01:30Z"))).toMatchObject({
      kind: "held",
      owner: "b",
    });
  });

  it("a released claim is free at once", async () => {
    const store = memoryStore();
    const claim = await claimRun(options(store, "a"));
    if (claim.kind !== "claimed") throw new Error("not claimed");
    expect(await releaseRun({ ...options(store, "a"), etag: claim.etag })).toBe("released");
    expect(record(store).state).toBe("released");
    expect(await claimRun(options(store, "b", "2026-11-28T06:00:01Z"))).toMatchObject({
      kind: "claimed",
    });
  });

  it("does not release a claim someone else took over", async () => {
    const store = memoryStore();
    const claim = await claimRun(options(store, "a"));
    if (claim.kind !== "claimed") throw new Error("not claimed");
    await claimRun(options(store, "b", "2026-11-28T06:05:00Z"));
    expect(await releaseRun({ ...options(store, "a"), etag: claim.etag })).toBe("changed");
    expect(record(store)).toMatchObject({ owner: "b", state: "running" });
  });

  it("of two retries racing for an expired claim, exactly one wins", async () => {
    const store = memoryStore();
    await claimRun(options(store, "a"));
    const later = "2026-11-28T06:10:00Z";
    const results = await Promise.all([
      claimRun(options(store, "b", later)),
      claimRun(options(store, "c", later)),
    ]);
    expect(results.filter((r) => r.kind === "claimed")).toHaveLength(1);
    expect(results.filter((r) => r.kind === "held")).toHaveLength(1);
  });

  it("a store that cannot be read is a fault, never a free date", async () => {
    const store = memoryStore();
    await claimRun(options(store, "a"));
    store.failing.read.add("claim.json");
    await expect(claimRun(options(store, "b"))).rejects.toThrow(/AccessDenied/);
  });

  it("refuses a claim object that is not one, saying what to do", async () => {
    const store = memoryStore();
    await store.putIfAbsent(KEY, '{"owner": 1}', "application/json");
    await expect(claimRun(options(store, "a"))).rejects.toThrow(
      /is not a run claim: delete it to let the next run claim the date/,
    );
  });
});
