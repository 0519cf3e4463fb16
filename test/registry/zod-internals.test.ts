/**
 * The one place that reads zod's private schema definitions: if a zod upgrade changes them, the
 * did-you-mean and the allowed-keys list of unknown-key errors go quiet rather than fail, so
 * these tests hold what the registry's messages rely on.
 */
import { describe, expect, it } from "vitest";
import { checkRegistry } from "../../src/registry";
import { registrySchema } from "../../src/registry/schema";
import { allowedKeysAt } from "../../src/registry/zod-internals";

describe("allowedKeysAt", () => {
  it("lists the keys of the document, through records, optionals and arrays", () => {
    expect(allowedKeysAt(registrySchema, [])).toEqual([
      "version",
      "settings",
      "workflows",
      "exemptions",
    ]);
    expect(allowedKeysAt(registrySchema, ["workflows", "any-id", "budget"])).toEqual([
      "monthly",
      "alerts",
      "forecastAlert",
    ]);
    expect(allowedKeysAt(registrySchema, ["exemptions", 0])).toEqual([
      "resource",
      "policy",
      "reason",
      "approvedBy",
      "expires",
      "allResources",
    ]);
  });

  it("has no keys to offer below a scalar or an unknown key", () => {
    expect(allowedKeysAt(registrySchema, ["version"])).toEqual([]);
    expect(allowedKeysAt(registrySchema, ["settings", "no-such-key"])).toEqual([]);
  });

  it("feeds the unknown-key message its allowed keys", () => {
    const result = checkRegistry("version: 1\nsetings: {}\n", "workflows.yaml");
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toContainEqual({
      file: "workflows.yaml",
      line: 2,
      col: 1,
      path: "setings",
      message:
        'unknown key "setings" (did you mean "settings"?); allowed keys here: version, settings, workflows, exemptions',
    });
  });
});
