/**
 * The two manifests that ship: the package's and the pack folder's (what `pulumi policy publish`
 * packs and Pulumi Cloud installs). The pack's version is the one the engine reports, and its
 * dependencies are what a published pack runs with: both must be the package's own.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  files?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), "utf8")) as Manifest;
const root = read("package.json");
const pack = read("policies/package.json");

describe("the manifests", () => {
  it("give the pack the package's version", () => {
    expect(pack.version).toBe(root.version);
  });

  it("pin the pack's dependencies exactly as the package installs them", () => {
    const installed = { ...root.devDependencies, ...root.dependencies };
    for (const [name, version] of Object.entries(pack.dependencies ?? {})) {
      expect(version, name).toBe(installed[name]);
    }
  });

  it("keep each peer dependency's pin inside its range, so the repository tests what it allows", () => {
    for (const [name, range] of Object.entries(root.peerDependencies ?? {})) {
      const pin = root.devDependencies?.[name];
      expect(pin, name).toBeDefined();
      // The ranges are carets on the tested pin: ^X.Y.Z.
      expect(range, name).toBe(`^${pin}`);
    }
  });

  it("publish the pack folder's registry and built entry, nothing else", () => {
    expect(pack.files).toEqual(["PulumiPolicy.yaml", "dist/index.js", "workflows.yaml"]);
    expect(root.private).toBeUndefined();
  });
});
