/**
 * The reconciler's deployment package: its handler bundled by esbuild into one self-contained,
 * minified CommonJS file, with the validated registry compiled in. Compiling the registry in
 * (rather than reading it from S3 or an environment variable) means the function always runs
 * with exactly the registry this deployment was reviewed with.
 *
 * The registry is validated at deploy time, by the registry module, and embedded as JSON
 * in place of `src/reconciler/aws/handler-registry.ts`: the function never parses YAML, so neither
 * the YAML parser nor the schema library is in the bundle (together over half a megabyte, and
 * loaded on every cold start).
 */
import { existsSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { BuildOptions, Plugin } from "esbuild";
import { findProjectRoot, parseRegistry } from "../../src/registry";
import type { Registry } from "../../src/registry";
// The deployment contract itself, not the `aws` index: it loads no AWS SDK.
import { HANDLER_BUILT, HANDLER_SOURCE } from "../../src/reconciler/aws/deployment-contract";

/**
 * A global defined as the registry's YAML text, for custom handlers (`handlerEntry`) that read
 * it. The shipped handler does not: it receives the validated registry (see above).
 */
export const REGISTRY_GLOBAL = "__AI_SPEND_GUARD_REGISTRY__";

/**
 * The module the bundler replaces with the embedded registry (matched on its path): the source
 * in a clone, or the shipped `dist/lambda/handler-registry.js` in an installed package.
 */
const HANDLER_REGISTRY_FILE =
  /[\\/](?:src[\\/]reconciler[\\/]aws|dist[\\/]lambda)[\\/]handler-registry\.[cm]?[jt]s$/;

/** The Lambda runtime the reconciler runs on, and the matching esbuild target. */
export const LAMBDA_RUNTIME = "nodejs24.x";
export const LAMBDA_TARGET = "node24";

/** The file inside the zip, and the handler setting that points at its `handler` export. */
export const BUNDLE_FILE = "index.js";

/**
 * The scheduled account checks (the audit and the doctor), a file of their own beside the
 * handler: they run the pack's rules, which bring the registry's schema library, and the handler
 * loads them only when they are on (`src/reconciler/aws/account-checks-loader.ts`).
 */
export const ACCOUNT_CHECKS_FILE = "account-checks.js";
const ACCOUNT_CHECKS_SOURCE = ["src", "audit", "aws", "scheduled.ts"] as const;
const ACCOUNT_CHECKS_BUILT = ["dist", "lambda", ACCOUNT_CHECKS_FILE] as const;
/** The import of the checks: from the source, or the shipped handler's `./account-checks.js`. */
const ACCOUNT_CHECKS_IMPORT =
  /(?:[\\/]audit[\\/]aws[\\/]scheduled(?:\.js)?|^\.\/account-checks\.js)$/;

const accountChecksApart: Plugin = {
  name: "account-checks-apart",
  setup(build) {
    build.onResolve({ filter: ACCOUNT_CHECKS_IMPORT }, () => ({
      path: `./${ACCOUNT_CHECKS_FILE}`,
      external: true,
    }));
  },
};
export const LAMBDA_HANDLER = "index.handler";

/**
 * The reconciler's handler of this package, wherever it is installed: its source in a clone
 * (`src/reconciler/aws/handler.ts`), else the shipped build (`dist/lambda/handler.js`).
 */
export function defaultHandlerEntry(): string {
  const root = findProjectRoot(__dirname);
  if (root === undefined) {
    throw new Error(
      `cannot find the ai-spend-guard package root to locate ${HANDLER_SOURCE.join("/")}: pass handlerEntry`,
    );
  }
  const source = resolve(root, ...HANDLER_SOURCE);
  return existsSync(source) ? source : resolve(root, ...HANDLER_BUILT);
}

/**
 * What to bundle. The stack passes the `Registry` it parsed (once, for the whole program) and
 * the bundle embeds that object; standalone callers may pass the YAML text instead, which is
 * validated here (a bad one fails the bundle with the registry's own error).
 */
export type BundleOptions = BundleTarget &
  (
    | {
        /** The validated registry to compile in, as it is. */
        readonly registry: Registry;
        /** Its YAML text, defined as `REGISTRY_GLOBAL` for custom handlers (else undefined). */
        readonly registryText?: string;
      }
    | {
        readonly registry?: undefined;
        /** The registry YAML text to compile in; validated first. */
        readonly registryText: string;
        /** The registry's name in error messages (default `workflows.yaml`). */
        readonly registrySource?: string;
      }
  );

interface BundleTarget {
  /** The handler's entry file (TypeScript or JavaScript) exporting `handler`. */
  readonly entry: string;
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
 * A module that returns `registry`, parsed from one JSON string literal (V8 parses JSON faster
 * than the equivalent object literal, and the text is byte-for-byte deterministic).
 */
export function embeddedRegistryModule(registry: Registry): string {
  return [
    `const registry = JSON.parse(${JSON.stringify(JSON.stringify(registry))});`,
    "export function handlerRegistry() { return registry; }",
    "",
  ].join("\n");
}

/**
 * What the handler reads of the registry, and nothing more: the bundle is code anyone with
 * lambda:GetFunction can download, so it carries no exemptions (approvers, reasons), no
 * finance partners' addresses and no model or profile lists. Owners' addresses and the
 * unowned-spend contact stay: they are where the digests go.
 */
export function handlerRegistryView(registry: Registry): Registry {
  return {
    ...registry,
    exemptions: [],
    workflows: registry.workflows.map((workflow) => {
      const { financePartner, models, instanceTypes, ...kept } = workflow;
      void financePartner;
      void models;
      void instanceTypes;
      return { ...kept, description: "", inferenceProfiles: {} };
    }),
  };
}

/** Serves `handler-registry` from the validated registry instead of the file-loading module. */
function embedRegistry(registry: Registry): Plugin {
  const contents = embeddedRegistryModule(handlerRegistryView(registry));
  return {
    name: "ai-spend-guard-embedded-registry",
    setup(build) {
      build.onLoad({ filter: HANDLER_REGISTRY_FILE }, () => ({ contents, loader: "js" }));
    },
  };
}

/**
 * The esbuild options of the handler bundle. Registry text is validated first (throws the
 * registry's own error, with file, line and column); a `Registry` is embedded as given. Exported for the size benchmark, which adds
 * a metafile to the same build.
 */
export function handlerBuildOptions(options: BundleOptions): BuildOptions & { write: false } {
  const entry = checkHandlerEntry(options.entry);
  const registry =
    options.registry ??
    parseRegistry(options.registryText, options.registrySource ?? "workflows.yaml");
  return {
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: "node",
    target: options.target ?? LAMBDA_TARGET,
    format: "cjs",
    // The ES module builds first: the AWS SDK's CommonJS builds are one file per client (every
    // command and shape), which cannot be tree-shaken; its ES builds can (about a third less).
    mainFields: ["module", "main"],
    write: false,
    legalComments: "none",
    logLevel: "silent",
    define: {
      [REGISTRY_GLOBAL]:
        options.registryText === undefined ? "undefined" : JSON.stringify(options.registryText),
    },
    plugins: [embedRegistry(registry), accountChecksApart],
  };
}

/** The account checks' own bundle (CommonJS, minified, every dependency included). */
export async function bundleAccountChecks(target: string = LAMBDA_TARGET): Promise<Bundle> {
  const root = findProjectRoot(__dirname);
  if (root === undefined) throw new Error("cannot find the ai-spend-guard package root");
  const source = resolve(root, ...ACCOUNT_CHECKS_SOURCE);
  const entry = existsSync(source) ? source : resolve(root, ...ACCOUNT_CHECKS_BUILT);
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: "node",
    target,
    format: "cjs",
    mainFields: ["module", "main"],
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error(`esbuild produced no output for ${entry}`);
  return { code: file.text, bytes: file.contents.byteLength };
}

/**
 * Bundle the handler: every dependency included (the AWS SDK too, so the code does not depend
 * on the SDK version the runtime happens to ship), minified, deterministic for the same inputs
 * (so an unchanged handler and registry never show as a diff).
 */
export async function bundleHandler(options: BundleOptions): Promise<Bundle> {
  const entry = checkHandlerEntry(options.entry);
  const buildOptions = handlerBuildOptions(options);
  // Loaded lazily: users of the components who pass their own `code` never need esbuild.
  const esbuild = await import("esbuild");
  let result: Awaited<ReturnType<typeof esbuild.build<{ write: false }>>>;
  try {
    result = await esbuild.build(buildOptions);
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
  const [{ code }, checks] = await Promise.all([
    bundleHandler(options),
    bundleAccountChecks(options.target),
  ]);
  return new pulumi.asset.AssetArchive({
    [BUNDLE_FILE]: new pulumi.asset.StringAsset(code),
    [ACCOUNT_CHECKS_FILE]: new pulumi.asset.StringAsset(checks.code),
  });
}
