import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleHandler, defaultHandlerEntry } from "../../stacks/components/handler-bundle";
import { outputValue, runStackPreview } from "../../stacks/preview";
import { FIXTURE_HANDLER, FIXTURES, THREE_WORKFLOWS } from "./helpers";

/** Load a CommonJS bundle from text, as the Lambda runtime would load index.js. */
function load(code: string): { handler: () => Promise<unknown> } {
  const dir = mkdtempSync(join(tmpdir(), "bundle-"));
  const file = join(dir, "index.js");
  writeFileSync(file, code);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as { handler: () => Promise<unknown> };
}

describe("the handler bundle", () => {
  it("compiles the registry in and exports the handler", async () => {
    const { code, bytes } = await bundleHandler({
      entry: FIXTURE_HANDLER,
      registryText: "version: 1\n",
    });
    expect(bytes).toBe(Buffer.byteLength(code));
    expect(await load(code).handler()).toBe("version: 1\n");
  });

  it("is identical for identical inputs, so an unchanged handler never shows a diff", async () => {
    const a = await bundleHandler({ entry: FIXTURE_HANDLER, registryText: "x" });
    const b = await bundleHandler({ entry: FIXTURE_HANDLER, registryText: "x" });
    expect(a.code).toBe(b.code);
  });

  it("names a missing entry", async () => {
    await expect(
      bundleHandler({ entry: join(FIXTURES, "missing.ts"), registryText: "" }),
    ).rejects.toThrow(/missing\.ts does not exist: pass handlerEntry/);
  });

  it("reports a compile error with its location", async () => {
    const dir = mkdtempSync(join(tmpdir(), "broken-"));
    const entry = join(dir, "handler.ts");
    writeFileSync(entry, "export const handler = (;\n");
    await expect(bundleHandler({ entry, registryText: "" })).rejects.toThrow(
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
    expect(Object.keys(assets)).toEqual(["index.js"]);
    const deployed = load(await assets["index.js"]!.text);
    expect(await deployed.handler()).toContain("ticket-routing-nova:");
  });

  it("bundles the real reconciler handler into one loadable file with the registry inside", async () => {
    const registryText = readFileSync(join(__dirname, "..", "..", "workflows.yaml"), "utf8");
    const { code, bytes } = await bundleHandler({ entry: defaultHandlerEntry(), registryText });
    expect(code).toContain("support-triage-haiku");
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
});
