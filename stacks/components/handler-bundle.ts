/**
 * The reconciler's deployment package: its handler bundled by esbuild into one self-contained,
 * minified CommonJS file, with the validated registry compiled in. Compiling the registry in
 * (rather than reading it from S3 or an environment variable) means the function always runs
 * with exactly the registry this deployment was reviewed with.
 */
import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { findProjectRoot } from "../../src/registry";

/** The global the handler reads (when defined) instead of loading `workflows.yaml`. */
export const REGISTRY_GLOBAL = "__AI_SPEND_GUARD_REGISTRY__";

/** The Lambda runtime the reconciler runs on, and the matching esbuild target. */
export const LAMBDA_RUNTIME = "nodejs24.x";
export const LAMBDA_TARGET = "node24";

/** The file inside the zip, and the handler setting that points at its `handler` export. */
export const BUNDLE_FILE = "index.js";
export const LAMBDA_HANDLER = "index.handler";

/** `src/reconciler/handler.ts` of this package, wherever it is installed. */
export function defaultHandlerEntry(): string {
  const root = findProjectRoot(__dirname);
  if (root === undefined) {
    throw new Error(
      "cannot find the ai-spend-guard package root to locate src/reconciler/handler.ts: pass handlerEntry",
    );
  }
  return resolve(root, "src", "reconciler", "handler.ts");
}

export interface BundleOptions {
  /** The handler's entry file (TypeScript or JavaScript) exporting `handler`. */
  readonly entry: string;
  /** The registry YAML text to compile in. */
  readonly registryText: string;
  /** esbuild target; defaults to the Lambda runtime's Node.js version. */
  readonly target?: string;
}

export interface Bundle {
  readonly code: string;
  readonly bytes: number;
}

/** Check the entry before any resource is registered, so a wrong path fails fast and clearly. */
export function checkHandlerEntry(entry: string): string {
  const path = isAbsolute(entry) ? entry : resolve(entry);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new Error(
      `reconciler handler entry ${path} does not exist: pass handlerEntry (a file exporting \`handler\`)`,
    );
  }
  return path;
}

/**
 * Bundle the handler: every dependency included (the AWS SDK too, so the code does not depend
 * on the SDK version the runtime happens to ship), minified, deterministic for the same inputs
 * (so an unchanged handler and registry never show as a diff).
 */
export async function bundleHandler(options: BundleOptions): Promise<Bundle> {
  const entry = checkHandlerEntry(options.entry);
  // Loaded lazily: users of the components who pass their own `code` never need esbuild.
  const esbuild = await import("esbuild");
  let result: Awaited<ReturnType<typeof esbuild.build<{ write: false }>>>;
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      platform: "node",
      target: options.target ?? LAMBDA_TARGET,
      format: "cjs",
      write: false,
      legalComments: "none",
      logLevel: "silent",
      define: { [REGISTRY_GLOBAL]: JSON.stringify(options.registryText) },
    });
  } catch (error) {
    const errors =
      (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] })
        .errors ?? [];
    const first = errors[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : "";
    throw new Error(
      `bundling the reconciler handler ${entry} failed: ${first ? `${first.text}${where}` : String(error)}`,
      { cause: error },
    );
  }
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error(`esbuild produced no output for ${entry}`);
  return { code: file.text, bytes: file.contents.byteLength };
}

/** The bundle as the Lambda deployment archive (`index.js` at the root of the zip). */
export async function handlerArchive(options: BundleOptions): Promise<pulumi.asset.Archive> {
  const { code } = await bundleHandler(options);
  return new pulumi.asset.AssetArchive({ [BUNDLE_FILE]: new pulumi.asset.StringAsset(code) });
}
