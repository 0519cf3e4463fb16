import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import {
  bundleHandler,
  defaultHandlerEntry,
  handlerBuildOptions,
} from "../../stacks/components/handler-bundle";
import { outputValue, runStackPreview } from "../../stacks/preview";
import { parseRegistry } from "../../src/registry";
import { BUCKET, CREDENTIALS, ENV, localAws } from "../reconciler/aws-fixture";
import { REGISTRY_TEXT } from "../reconciler/fixtures";
import { FIXTURE_HANDLER, FIXTURES, THREE_WORKFLOWS } from "./helpers";

const REGISTRY = readFileSync(THREE_WORKFLOWS, "utf8");

/** Load a CommonJS bundle from text, as the Lambda runtime would load index.js. */
function load(code: string): { handler: () => Promise<unknown> } {
  const dir = mkdtempSync(join(tmpdir(), "bundle-"));
  const file = join(dir, "index.js");
  writeFileSync(file, code);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as { handler: () => Promise<unknown> };
}

describe("the handler bundle", () => {
  it("compiles the registry text in for a custom handler and exports the handler", async () => {
    const { code, bytes } = await bundleHandler({ entry: FIXTURE_HANDLER, registryText: REGISTRY });
    expect(bytes).toBe(Buffer.byteLength(code));
    expect(await load(code).handler()).toBe(REGISTRY);
  });

  it("is identical for identical inputs, so an unchanged handler never shows a diff", async () => {
    const a = await bundleHandler({ entry: defaultHandlerEntry(), registryText: REGISTRY });
    const b = await bundleHandler({ entry: defaultHandlerEntry(), registryText: REGISTRY });
    expect(a.code).toBe(b.code);
  });

  it("names a missing entry", async () => {
    await expect(
      bundleHandler({ entry: join(FIXTURES, "missing.ts"), registryText: REGISTRY }),
    ).rejects.toThrow(/missing\.ts does not exist: pass handlerEntry/);
  });

  it("fails on a bad registry with the registry's own error, before bundling", async () => {
    await expect(
      bundleHandler({
        entry: defaultHandlerEntry(),
        registryText: readFileSync(join(FIXTURES, "invalid.yaml"), "utf8"),
        registrySource: "invalid.yaml",
      }),
    ).rejects.toThrow(/invalid\.yaml:8:5 .*unknown key "owners" \(did you mean "owner"\?\)/);
  });

  it("reports a compile error with its location", async () => {
    const dir = mkdtempSync(join(tmpdir(), "broken-"));
    const entry = join(dir, "handler.ts");
    writeFileSync(entry, "export const handler = (;\n");
    await expect(bundleHandler({ entry, registryText: REGISTRY })).rejects.toThrow(
      new RegExp(`bundling the reconciler handler .*handler\\.ts failed: .*handler\\.ts:1\\)`),
    );
  });

  it("is what the stack deploys: the registry the stack validated, in index.js", async () => {
    const { stack } = await runStackPreview(THREE_WORKFLOWS, {
      settings: { handlerEntry: FIXTURE_HANDLER },
    });
    const archive = (await outputValue(stack.reconciler.function.code)) as unknown as {
      assets: Promise<Record<string, { text: Promise<string> }>>;
    };
    const assets = await archive.assets;
    // The account checks beside it, loaded by the handler only when they are on.
    expect(Object.keys(assets)).toEqual(["account-checks.js", "index.js"]);
    const checks = load(await assets["account-checks.js"]!.text) as unknown as Record<
      string,
      unknown
    >;
    expect(typeof checks.scheduledAccountChecks).toBe("function");
    const deployed = load(await assets["index.js"]!.text);
    expect(await deployed.handler()).toContain("ticket-routing-nova:");
  });

  it("bundles the real reconciler handler into one loadable file with the registry inside", async () => {
    const registryText = readFileSync(join(__dirname, "..", "..", "workflows.yaml"), "utf8");
    const { code, bytes } = await bundleHandler({ entry: defaultHandlerEntry(), registryText });
    expect(code).toContain("support-triage");
    // Only what the handler reads: the inference profiles are the stack's, not the handler's.
    expect(code).not.toContain("support-triage-haiku");
    expect(code).not.toContain("settings:"); // the registry is embedded as JSON, not YAML
    // Everything is inside: only Node built-ins are required at run time. The SDK's optional
    // CRT signer is loaded in a try/catch, and only for multi-region access points.
    const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!);
    const external = required.filter(
      (name) => !name.startsWith("node:") && !builtinModules.includes(name),
    );
    expect([...new Set(external)]).toEqual(["@aws-sdk/signature-v4-crt"]);
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
    expect(typeof load(code).handler).toBe("function");
  });

  it("carries neither the YAML parser nor the schema library, and stays under 1 MB", async () => {
    const registryText = readFileSync(join(__dirname, "..", "..", "workflows.yaml"), "utf8");
    const result = await build({
      ...handlerBuildOptions({ entry: defaultHandlerEntry(), registryText }),
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((f) => /node_modules\/(zod|yaml)\//.test(f))).toEqual([]);
    expect(inputs.filter((f) => f.includes("src/registry/"))).toEqual([]);
    expect(result.outputFiles[0]!.contents.byteLength).toBeLessThan(1_000_000);
  });

  it("embeds only what the handler reads: no exemptions, no finance partners' addresses", async () => {
    const text = readFileSync("workflows.yaml", "utf8");
    expect(text).toContain("approvedBy: cto@example.com");
    expect(text).toContain("financePartner: lee@example.com");
    const { code } = await bundleHandler({ entry: defaultHandlerEntry(), registryText: text });
    expect(code).not.toContain("cto@example.com");
    expect(code).not.toContain("lee@example.com");
    expect(code).not.toContain("Shared scratch notebook");
    // The addresses digests go to are there: owners and the unowned-spend contact.
    const registry = parseRegistry(text, "workflows.yaml");
    for (const owner of registry.workflows.map((w) => w.owner)) expect(code).toContain(owner);
    expect(code).toContain(registry.settings.unownedSpendContact);
  });

  it("runs from the bundle alone: a cold process reconciles against local AWS", async () => {
    const local = await localAws();
    try {
      const { code } = await bundleHandler({
        entry: defaultHandlerEntry(),
        registryText: REGISTRY_TEXT,
      });
      const dir = mkdtempSync(join(tmpdir(), "bundle-run-"));
      writeFileSync(join(dir, "index.js"), code);
      // A fresh Node process, as the Lambda runtime loads index.js: nothing from this
      // project's node_modules can be resolved from the temporary folder.
      const script =
        'require("./index.js").handler({ runDate: "2026-11-28" })' +
        ".then((s) => process.stdout.write(JSON.stringify(s)))";
      const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          ...ENV,
          AWS_ENDPOINT_URL: local.aws.endpoint,
          AWS_REGION: "us-east-1",
          AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        },
      });
      const summary = JSON.parse(stdout.slice(stdout.lastIndexOf('{"kind"'))) as unknown;
      expect(summary).toMatchObject({
        kind: "ran",
        runDate: "2026-11-28",
        reportWritten: true,
        deliveries: { sent: 4, failed: 0 },
      });
      expect(local.s3.objects.has(`${BUCKET}/reports/2026-11-28/report.json`)).toBe(true);
    } finally {
      await local.aws.close();
    }
  });

  it("refuses a bad configuration at import time in Lambda, naming the variable", async () => {
    const { code } = await bundleHandler({ entry: defaultHandlerEntry(), registryText: REGISTRY });
    const dir = mkdtempSync(join(tmpdir(), "bundle-env-"));
    writeFileSync(join(dir, "index.js"), code);
    const run = promisify(execFile)(process.execPath, ["-e", 'require("./index.js")'], {
      cwd: dir,
      env: { PATH: process.env.PATH, AWS_LAMBDA_FUNCTION_NAME: "reconciler" },
    });
    await expect(run).rejects.toThrow(
      /AI_SPEND_GUARD_REPORT_BUCKET: is required: the S3 bucket that receives reports/,
    );
  });
});
