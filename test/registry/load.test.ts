import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import {
  findProjectRoot,
  loadRegistry,
  locateRegistry,
  MAX_REGISTRY_BYTES,
  REGISTRY_ENV,
  RegistryLoadError,
  RegistryValidationError,
} from "../../src/registry";
import { firstInvalidUtf8 } from "../../src/registry/text";

const EXAMPLE = readFileSync(join(__dirname, "..", "..", "workflows.yaml"), "utf8");
const withOwner = (owner: string) => EXAMPLE.replace("owner: dana@example.com", `owner: ${owner}`);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "asg-load-"));
});

const ownerOfFirst = (path?: string, env: Record<string, string> = {}) =>
  loadRegistry(path, { cwd: dir, env }).workflows[0]!.owner;

describe("registry loading precedence", () => {
  it("an explicit path wins over the environment and the current directory", () => {
    writeFileSync(join(dir, "explicit.yaml"), withOwner("explicit@example.com"));
    writeFileSync(join(dir, "env.yaml"), withOwner("env@example.com"));
    writeFileSync(join(dir, "workflows.yaml"), withOwner("cwd@example.com"));
    expect(ownerOfFirst("explicit.yaml", { [REGISTRY_ENV]: "env.yaml" })).toBe(
      "explicit@example.com",
    );
  });

  it("the environment variable wins over the current directory", () => {
    writeFileSync(join(dir, "env.yaml"), withOwner("env@example.com"));
    writeFileSync(join(dir, "workflows.yaml"), withOwner("cwd@example.com"));
    expect(ownerOfFirst(undefined, { [REGISTRY_ENV]: "env.yaml" })).toBe("env@example.com");
    expect(locateRegistry(undefined, { cwd: dir, env: { [REGISTRY_ENV]: "env.yaml" } }).from).toBe(
      "environment",
    );
  });

  it("the current directory wins over the project root", () => {
    writeFileSync(join(dir, "workflows.yaml"), withOwner("cwd@example.com"));
    expect(ownerOfFirst()).toBe("cwd@example.com");
  });

  it("never falls back to the example registry, even run from inside this package", () => {
    // The package root holds the example workflows.yaml; a folder below it has none.
    const below = join(__dirname, "..", "..", "test", "registry");
    expect(() => locateRegistry(undefined, { cwd: below, env: {} })).toThrow(
      `no registry found: looked for ${REGISTRY_ENV} (not set) and ${join(below, "workflows.yaml")} (not there); point at yours with ${REGISTRY_ENV}=path/to/workflows.yaml or pass its path (the example registry that ships with ai-spend-guard is never used in its place)`,
    );
  });

  it("refuses workflows.yml by name rather than ignoring it or reading it", () => {
    writeFileSync(join(dir, "workflows.yml"), EXAMPLE);
    expect(() => loadRegistry(undefined, { cwd: dir, env: {} })).toThrow(
      `found ${join(dir, "workflows.yml")}, but the registry is looked for as workflows.yaml only (the CLI, the policy pack and the stack all use that one name): rename it to workflows.yaml, or point at it with ${REGISTRY_ENV}=workflows.yml`,
    );
    // Named explicitly it is an ordinary file.
    expect(loadRegistry("workflows.yml", { cwd: dir, env: {} }).workflows).toHaveLength(6);
    expect(
      loadRegistry(undefined, { cwd: dir, env: { [REGISTRY_ENV]: "workflows.yml" } }).workflows,
    ).toHaveLength(6);
  });

  it("finds this package's root by its package.json name", () => {
    const found = findProjectRoot(join(__dirname, "deeper", "still"));
    expect(found).toBe(join(__dirname, "..", ".."));
    expect(findProjectRoot(dir)).toBeUndefined();
  });
});

describe("registry loading errors are one clear line", () => {
  it("a missing explicit file", () => {
    expect(() => loadRegistry("nope.yaml", { cwd: dir, env: {} })).toThrow(
      new RegistryLoadError(`registry ${join(dir, "nope.yaml")} does not exist`),
    );
  });

  it("a missing file named by the environment says where the name came from", () => {
    expect(() =>
      loadRegistry(undefined, { cwd: dir, env: { [REGISTRY_ENV]: "gone.yaml" } }),
    ).toThrow(`registry ${join(dir, "gone.yaml")} (from ${REGISTRY_ENV}) does not exist`);
  });

  it("no registry anywhere: where it looked, and how to point at one", () => {
    expect(() => locateRegistry(undefined, { cwd: dir, env: {} })).toThrow(
      /no registry found: looked for AI_SPEND_GUARD_REGISTRY \(not set\) and .*workflows.yaml \(not there\)/,
    );
    expect(() => locateRegistry(undefined, { cwd: dir, env: {}, acceptsPath: false })).toThrow(
      /point at yours with AI_SPEND_GUARD_REGISTRY=path\/to\/workflows.yaml \(the example/,
    );
  });

  it("a directory instead of a file", () => {
    mkdirSync(join(dir, "reg.yaml"));
    expect(() => loadRegistry("reg.yaml", { cwd: dir, env: {} })).toThrow(
      /is a directory: point at the registry file itself/,
    );
  });

  // A chmod 000 file is still readable by root (as in many containers), so the fault is injected
  // at the read, with the error Node raises for it: the path runs under every user.
  it("an unreadable file", () => {
    const path = join(dir, "secret.yaml");
    writeFileSync(path, EXAMPLE);
    const denied = (file: string): string => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), {
        code: "EACCES",
        errno: -13,
        syscall: "open",
        path: file,
      });
    };
    expect(() => loadRegistry("secret.yaml", { cwd: dir, env: {}, readFile: denied })).toThrow(
      new RegistryLoadError(`registry ${path} is not readable (permission denied)`),
    );
  });

  it("any other read failure names its code", () => {
    const failing = (): string => {
      throw Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });
    };
    writeFileSync(join(dir, "flaky.yaml"), EXAMPLE);
    expect(() => loadRegistry("flaky.yaml", { cwd: dir, env: {}, readFile: failing })).toThrow(
      new RegistryLoadError(`registry ${join(dir, "flaky.yaml")} cannot be read (EIO)`),
    );
  });

  it("invalid content is a validation error naming the file relative to the working directory", () => {
    writeFileSync(join(dir, "bad.yaml"), withOwner("not-an-email"));
    let caught: unknown;
    try {
      loadRegistry("bad.yaml", { cwd: dir, env: {} });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RegistryValidationError);
    expect((caught as RegistryValidationError).problems[0]).toMatchObject({
      file: "bad.yaml",
      path: "workflows.support-triage.owner",
    });
  });
});

describe("the example registry", () => {
  it("validates and has the workflows the docs describe", () => {
    const registry = loadRegistry(join(__dirname, "..", "..", "workflows.yaml"), { env: {} });
    expect(registry.workflows.map((w) => w.id)).toEqual([
      "support-triage",
      "invoice-matching",
      "contract-drafting",
      "board-memo-pilot",
      "knowledge-search",
      "ai-spend-guard",
    ]);
    const pilot = registry.workflows.find((w) => w.id === "board-memo-pilot")!;
    expect(pilot.stage).toBe("learning");
    expect(registry.settings.tagKeys).toEqual({ workflow: "workflow", owner: "owner" });
  });
});

describe("registry inputs that would block, fill memory or corrupt text", () => {
  it("/dev/zero is refused (it used to fill memory)", () => {
    expect(() => loadRegistry("/dev/zero", { cwd: dir, env: {} })).toThrow(
      /registry \/dev\/zero is a device, not a regular file/,
    );
  });

  it(`a file over ${MAX_REGISTRY_BYTES} bytes is refused with the cap`, () => {
    const path = join(dir, "huge.yaml");
    writeFileSync(path, `${EXAMPLE}\n# ${"x".repeat(MAX_REGISTRY_BYTES)}\n`);
    expect(() => loadRegistry("huge.yaml", { cwd: dir, env: {} })).toThrow(
      new RegistryLoadError(
        `registry ${path} is ${EXAMPLE.length + MAX_REGISTRY_BYTES + 4} bytes, more than a registry may be (${MAX_REGISTRY_BYTES} bytes): is it the right file?`,
      ),
    );
  });

  it("bytes that are not UTF-8 are an error naming the byte offset, not a silent U+FFFD", () => {
    const latin1 = Buffer.from(EXAMPLE.replace("dana@example.com", "dana@exämple.com"), "latin1");
    writeFileSync(join(dir, "workflows.yaml"), latin1);
    const offset = latin1.indexOf(0xe4);
    let caught: unknown;
    try {
      loadRegistry(undefined, { cwd: dir, env: {} });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RegistryValidationError);
    const [problem] = (caught as RegistryValidationError).problems;
    const line = EXAMPLE.slice(0, EXAMPLE.indexOf("dana@example.com")).split("\n").length;
    expect(problem).toMatchObject({ file: "workflows.yaml", line });
    expect(problem!.message).toBe(
      `the file is not UTF-8 text: byte 0xE4 at byte offset ${offset} is not valid UTF-8 (a Latin-1 or Windows-1252 file?): save it as UTF-8`,
    );
  });

  it("UTF-8 with a byte order mark and non-ASCII text reads as written", () => {
    const text = EXAMPLE.replace(
      "Classify inbound support tickets",
      "Classify inbound support tickets (Zürich, 東京)",
    );
    expect(text).not.toBe(EXAMPLE);
    writeFileSync(
      join(dir, "workflows.yaml"),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    );
    const registry = loadRegistry(undefined, { cwd: dir, env: {} });
    expect(registry.workflows[0]!.description).toContain("(Zürich, 東京)");
  });
});

describe("first invalid UTF-8 byte", () => {
  it.each([
    [[0x61, 0x62], 2],
    [[0x61, 0xc3, 0xa9], 3], // é
    [[0x61, 0xe9, 0x62], 1], // Latin-1 é
    [[0xc0, 0x80], 0], // overlong
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0xf0, 0x9f, 0x98, 0x80, 0xff], 4], // emoji, then 0xFF
    [[0xe2, 0x82], 0], // truncated at the end
  ])("%j -> %i", (bytes, offset) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(offset);
  });
});
