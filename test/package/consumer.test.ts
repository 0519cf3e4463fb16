/**
 * The package as a user gets it: `npm pack`, then a fresh project outside the repository that
 * installs only the tarball (its dependencies from npm's cache, as for any user), then each
 * public surface from that install: the CLI through `npx`, `require` and `import` of every
 * entry, a TypeScript program type-checked under `strict` with `skipLibCheck: false` and run
 * under Pulumi's mocks, the Lambda handler bundled from the shipped build, and the policy pack
 * started from the consumer's node_modules over the real analyzer protocol.
 *
 * Sizes and times are printed for the record; nothing here asserts on wall-clock time.
 */
import { execFileSync, spawnSync } from "node:child_process";
import type { SpawnSyncReturns } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze, getAnalyzerInfo, runPackToExit, startPack } from "../support/pack-harness";

const ROOT = join(__dirname, "..", "..");
const FIXTURE = join(__dirname, "consumer");
const MANIFEST = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
};
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const NPX = process.platform === "win32" ? "npx.cmd" : "npx";

interface PackedFile {
  readonly path: string;
  readonly size: number;
}
interface Packed {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly entryCount: number;
  readonly files: readonly PackedFile[];
}

let work: string;
let app: string;
let packed: Packed;
let installed: string;

/** The environment of a user's shell: none of this repository's test settings. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of Object.keys(env)) {
    if (key.startsWith("AI_SPEND_GUARD_") && !(key in extra)) delete env[key];
  }
  return env;
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  extra: Record<string, string> = {},
): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd,
    env: userEnv(extra),
    encoding: "utf8",
    timeout: 300_000,
    shell: process.platform === "win32",
  });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "ai-spend-guard-consumer-"));
  // The declarations are what `prepack` builds; the bundles were built by the global setup.
  // Packing with --ignore-scripts keeps `prepare` from rebuilding dist/ under the feet of the
  // other test files running at the same time; the tarball is the same.
  execFileSync(process.execPath, [join(ROOT, "scripts", "build-types.mjs")], { cwd: ROOT });
  const out = execFileSync(
    NPM,
    ["pack", "--ignore-scripts", "--json", "--pack-destination", work],
    { cwd: ROOT, encoding: "utf8", shell: process.platform === "win32" },
  );
  packed = (JSON.parse(out) as Packed[])[0]!;
  console.log(
    `tarball: ${packed.filename}, ${(packed.size / 1024).toFixed(0)} kB packed, ` +
      `${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked, ${packed.entryCount} files`,
  );

  app = join(work, "app");
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "consumer", version: "1.0.0", private: true }, null, 2),
  );
  const started = performance.now();
  const install = run(
    NPM,
    ["install", "--prefer-offline", "--no-audit", "--no-fund", join(work, packed.filename)],
    app,
  );
  if (install.status !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
  console.log(`npm install of the tarball: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  installed = join(app, "node_modules", MANIFEST.name);

  // The user's registry and a preview, in the project.
  copyFileSync(join(ROOT, "workflows.yaml"), join(app, "workflows.yaml"));
  copyFileSync(join(ROOT, "examples", "preview.json"), join(app, "preview.json"));
}, 900_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("the tarball", () => {
  it("holds the built entries, the pack, the example registry and the docs, and no sources or tests", () => {
    const paths = packed.files.map((f) => f.path);
    for (const required of [
      "package.json",
      "README.md",
      "LICENSE",
      "CHANGELOG.md",
      "bin/ai-spend-guard.js",
      "dist/cli.js",
      "dist/index.js",
      "dist/components.js",
      "dist/auto-tag.js",
      "dist/lambda/handler.js",
      "dist/lambda/handler-registry.js",
      "dist/types/src/index.d.ts",
      "dist/types/stacks/components/index.d.ts",
      "dist/types/stacks/components/auto-tag.d.ts",
      "policies/PulumiPolicy.yaml",
      "policies/package.json",
      "policies/dist/index.js",
      "workflows.yaml",
    ]) {
      expect(paths, required).toContain(required);
    }
    const offending = paths.filter(
      (p) =>
        p.startsWith("test/") ||
        p.startsWith("src/") ||
        p.startsWith("scripts/") ||
        (/\.[cm]?ts$/.test(p) && !/\.d\.[cm]?ts$/.test(p)) ||
        p.endsWith(".map"),
    );
    expect(offending).toEqual([]);
  });

  it("declares no dependency on itself and is not private", () => {
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as {
      private?: boolean;
      dependencies?: Record<string, string>;
    };
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.dependencies ?? {})).not.toContain(MANIFEST.name);
  });
});

describe("the CLI from the install", () => {
  it("validates the project's registry with npx ai-spend-guard", () => {
    const result = run(NPX, ["--no-install", "ai-spend-guard", "validate"], app);
    expect(result.stderr).not.toMatch(/NodeVersionSupportWarning/);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^valid: workflows\.yaml \(\d+ workflows\)/);
  });

  it("runs the demo from the install, JSON alone on stdout, without the SDK's Node.js warning", () => {
    const result = run(
      NPX,
      ["--no-install", "ai-spend-guard", "demo", "--json", "--out", join(work, "demo-out")],
      app,
    );
    expect(result.status, result.stderr).toBe(0);
    expect(() => JSON.parse(result.stdout) as unknown).not.toThrow();
    expect(result.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK for JavaScript/);
  });

  it("checks a preview: a mandatory finding fails it, in text and in SARIF", () => {
    const text = run(NPX, ["--no-install", "ai-spend-guard", "check", "preview.json"], app);
    expect(text.status, text.stderr).toBe(1);
    expect(text.stdout).toContain("ai-resource-tags");
    expect(text.stdout).toMatch(/FAILED: [1-9]\d* mandatory/);

    const sarif = run(
      NPX,
      ["--no-install", "ai-spend-guard", "check", "preview.json", "--format", "sarif"],
      app,
    );
    expect(sarif.status, sarif.stderr).toBe(1);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: { results: unknown[] }[] };
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0]!.results.length).toBeGreaterThan(0);
  });
});

describe("the entries from the install", () => {
  const ENTRIES = {
    [MANIFEST.name]: ["loadRegistry", "checkDocument", "evaluateStack", "renderHtml"],
    [`${MANIFEST.name}/components`]: ["WorkflowBudget", "Reconciler", "guardTags"],
    [`${MANIFEST.name}/auto-tag`]: ["registerAutoTagging", "autoTagTransform"],
  };

  it("loads every public entry with require", () => {
    const script = `const e = ${JSON.stringify(ENTRIES)};
      const out = {};
      for (const [name, fns] of Object.entries(e)) {
        const m = require(name);
        out[name] = fns.filter((f) => typeof m[f] !== "function");
      }
      process.stdout.write(JSON.stringify(out));`;
    const result = run(process.execPath, ["-e", script], app);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(
      Object.fromEntries(Object.keys(ENTRIES).map((name) => [name, []])),
    );
  });

  it("loads every public entry with import", () => {
    const script = `const e = ${JSON.stringify(ENTRIES)};
      const out = {};
      for (const [name, fns] of Object.entries(e)) {
        const m = await import(name);
        out[name] = fns.filter((f) => typeof m[f] !== "function");
      }
      process.stdout.write(JSON.stringify(out));`;
    const result = run(process.execPath, ["--input-type=module", "-e", script], app);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(
      Object.fromEntries(Object.keys(ENTRIES).map((name) => [name, []])),
    );
  });

  it("bundles the reconciler's Lambda handler from the shipped build (no sources needed)", () => {
    const script = `const c = require("${MANIFEST.name}/components");
      const entry = c.defaultHandlerEntry();
      c.bundleHandler({ entry, registryText: require("fs").readFileSync("workflows.yaml", "utf8") })
        .then((b) => process.stdout.write(JSON.stringify({ entry, bytes: b.bytes, embedded: b.code.includes("support-triage") })));`;
    const result = run(process.execPath, ["-e", script], app);
    expect(result.status, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { entry: string; bytes: number; embedded: boolean };
    expect(relative(installed, out.entry)).toBe(join("dist", "lambda", "handler.js"));
    expect(out.bytes).toBeGreaterThan(0);
    // The registry is compiled in, in place of the shipped handler-registry.js.
    expect(out.embedded).toBe(true);
  });
});

describe("a consumer's TypeScript program", () => {
  it("type-checks under strict with skipLibCheck false, and runs under Pulumi's mocks", () => {
    const src = join(app, "src");
    mkdirSync(src, { recursive: true });
    copyFileSync(join(FIXTURE, "tsconfig.consumer.json"), join(app, "tsconfig.json"));
    copyFileSync(join(FIXTURE, "program.ts"), join(src, "program.ts"));
    copyFileSync(join(FIXTURE, "main.ts"), join(src, "main.ts"));
    copyFileSync(
      join(ROOT, "test", "support", "engine-transforms.ts"),
      join(src, "engine-transforms.ts"),
    );
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const started = performance.now();
    const compiled = run(process.execPath, [tsc, "-p", app], app);
    console.log(
      `consumer tsc (skipLibCheck false): ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(compiled.stdout + compiled.stderr).toBe("");
    expect(compiled.status).toBe(0);

    const ran = run(process.execPath, [join(app, "build", "main.js"), "workflows.yaml"], app);
    expect(ran.status, ran.stderr).toBe(0);
    const registered = JSON.parse(ran.stdout) as {
      type: string;
      name: string;
      inputs: { tags?: Record<string, string> };
    }[];
    const byName = new Map(registered.map((r) => [r.name, r] as const));
    expect(byName.get("support-triage")?.type).toBe("ai-spend-guard:budgets:WorkflowBudget");
    expect(byName.get("support-triage-budget")?.type).toBe("aws:budgets/budget:Budget");
    // Auto-tagging filled in the untagged endpoint's tags from the registry.
    expect(byName.get("triage")?.inputs.tags).toEqual({
      workflow: "support-triage",
      owner: "dana@example.com",
    });
  }, 600_000);
});

describe("the policy pack from the consumer's node_modules", () => {
  const packDir = () => join(installed, "policies");
  // What the engine's analyzer shim runs: @pulumi/pulumi's run-policy-pack, resolved from the
  // pack folder, i.e. the consumer's install.
  const runner = () => join(app, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");

  it("answers GetAnalyzerInfo and blocks an untagged endpoint, with the project's registry", async () => {
    const pack = await startPack({
      dir: packDir(),
      runPolicyPack: runner(),
      env: { AI_SPEND_GUARD_REGISTRY: "", AI_SPEND_GUARD_TODAY: "2026-11-30" },
    });
    try {
      const info = await getAnalyzerInfo(pack);
      expect(info).toMatchObject({ name: "ai-spend-guard", version: MANIFEST.version });
      const untagged = await analyze(pack, {
        type: "aws:sagemaker/endpoint:Endpoint",
        name: "ep",
        props: { endpointConfigName: "c" },
      });
      expect(untagged.map((d) => `${d.policyName}/${d.enforcementLevel}`)).toEqual([
        "ai-resource-tags/mandatory",
      ]);
      // The project's registry, not the example inside the package: its workflow passes.
      const tagged = await analyze(pack, {
        type: "aws:sagemaker/endpoint:Endpoint",
        name: "ep",
        props: { tags: { workflow: "knowledge-search", owner: "alex@example.com" } },
      });
      expect(tagged).toEqual([]);
    } finally {
      await pack.stop();
    }
  });

  it("packs the registry placed in its folder, as `pulumi policy publish` does", () => {
    const placed = join(packDir(), "workflows.yaml");
    copyFileSync(join(app, "workflows.yaml"), placed);
    try {
      const result = run(NPM, ["pack", "--dry-run", "--json"], packDir());
      expect(result.status, result.stderr).toBe(0);
      const files = (JSON.parse(result.stdout) as Packed[])[0]!.files.map((f) => f.path).sort();
      expect(files).toEqual([
        "PulumiPolicy.yaml",
        "dist/index.js",
        "package.json",
        "workflows.yaml",
      ]);
    } finally {
      rmSync(placed);
    }
  });

  it("stops with one line saying where it looked when the project has no registry", async () => {
    const registry = join(app, "workflows.yaml");
    renameSync(registry, `${registry}.away`);
    try {
      expect(existsSync(join(installed, "workflows.yaml"))).toBe(true); // the example, unused
      const exit = await runPackToExit({
        dir: packDir(),
        runPolicyPack: runner(),
        env: { AI_SPEND_GUARD_REGISTRY: "" },
      });
      expect(exit.code).toBe(1);
      const lines = exit.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("ai-spend-guard policy pack cannot start: no registry found");
      expect(lines[0]).toContain(join(packDir(), "workflows.yaml"));
      expect(lines[0]).toContain(`${join(app, "workflows.yaml")} (the project)`);
      expect(lines[0]).toContain("AI_SPEND_GUARD_REGISTRY");
    } finally {
      renameSync(`${registry}.away`, registry);
    }
  });
});
