import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import {
  findProjectRoot,
  loadRegistry,
  locateRegistry,
  REGISTRY_ENV,
  RegistryLoadError,
  RegistryValidationError,
} from "../../src/registry";

const EXAMPLE = readFileSync(join(__dirname, "..", "..", "workflows.yaml"), "utf8");
const withOwner = (owner: string) => EXAMPLE.replace("owner: dana@example.com", `owner: ${owner}`);

let dir: string;
let root: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "asg-load-"));
  root = mkdtempSync(join(tmpdir(), "asg-root-"));
  writeFileSync(join(root, "workflows.yaml"), withOwner("root@example.com"));
});

const ownerOfFirst = (path?: string, env: Record<string, string> = {}) =>
  loadRegistry(path, { cwd: dir, env, projectRoot: root }).workflows[0]!.owner;

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

  it("falls back to the project root", () => {
    expect(ownerOfFirst()).toBe("root@example.com");
    expect(locateRegistry(undefined, { cwd: dir, env: {}, projectRoot: root }).from).toBe(
      "project root",
    );
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

  it("no registry anywhere", () => {
    const empty = mkdtempSync(join(tmpdir(), "asg-empty-"));
    expect(() => locateRegistry(undefined, { cwd: dir, env: {}, projectRoot: empty })).toThrow(
      /no workflows.yaml found in .* pass a path, or set AI_SPEND_GUARD_REGISTRY/,
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
