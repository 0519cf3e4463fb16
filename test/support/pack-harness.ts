/**
 * Drives the policy pack through the real analyzer protocol, as the Pulumi engine does: spawn
 * `@pulumi/pulumi/cmd/run-policy-pack <engineAddr> <entry>` in the pack folder, serve a minimal
 * Engine service for its Log calls, read the port it prints, and speak gRPC with the stubs from
 * `@pulumi/pulumi/proto`. Shared by the end-to-end tests (`test/pack`) and the benchmarks
 * (`bench/`); it lives under test/ because it needs the dev dependencies
 * (`@grpc/grpc-js`, `google-protobuf`).
 */
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";

export const ROOT = join(__dirname, "..", "..");
export const PACK_DIR = join(ROOT, "policies");
const RUN_POLICY_PACK = join(ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");

export type Level = "advisory" | "mandatory" | "disabled" | "remediate";
const LEVELS: Record<number, Level> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerPb.EnforcementLevel.DISABLED]: "disabled",
  [analyzerPb.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_CODES: Record<Level, analyzerPb.EnforcementLevel> = {
  advisory: analyzerPb.EnforcementLevel.ADVISORY,
  mandatory: analyzerPb.EnforcementLevel.MANDATORY,
  disabled: analyzerPb.EnforcementLevel.DISABLED,
  remediate: analyzerPb.EnforcementLevel.REMEDIATE,
};

export interface PackOptions {
  /** The pack folder (default: this project's `policies/`). */
  readonly dir?: string;
  /** `.` runs the package's `main` (the precompiled bundle); `./index.ts` runs the TypeScript entry under ts-node. */
  readonly entry?: string;
  /** Extra environment (e.g. AI_SPEND_GUARD_REGISTRY). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the port, in ms. */
  readonly timeoutMs?: number;
  /**
   * The `run-policy-pack` to start it with (default: this repository's). A consumer project
   * passes its own, as the engine's analyzer shim resolves it from the pack folder.
   */
  readonly runPolicyPack?: string;
}

/**
 * The pack with its clock pinned to `today` (a test-only entry, `pinned-clock-pack.ts`, bundled
 * with the date compiled in): the path to pass as `entry`. The shipped pack has no clock
 * override at all.
 */
export async function buildPinnedClockPack(today: string): Promise<string> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`not a YYYY-MM-DD date: ${today}`);
  const { build } = await import("esbuild");
  const dir = join(ROOT, "test", ".artifacts", `pinned-clock-pack-${today}`);
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, "index.js");
  await build({
    entryPoints: [join(__dirname, "pinned-clock-pack.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: "external",
    logLevel: "warning",
    define: { PINNED_TODAY: JSON.stringify(today) },
  });
  return outfile;
}

export interface RunningPack {
  readonly port: number;
  /** Milliseconds from spawn to the printed port (the pack is ready to serve). */
  readonly startMs: number;
  readonly client: analyzerRpc.AnalyzerClient;
  /** Messages the pack sent to the engine's Log. */
  readonly engineLogs: string[];
  stderr(): string;
  stop(): Promise<void>;
}

export interface PackExit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A minimal Engine service: the pack's runtime logs through it. */
async function startEngine(logs: string[]): Promise<{ server: grpc.Server; address: string }> {
  const server = new grpc.Server();
  const ok = (_call: unknown, callback: grpc.sendUnaryData<Empty>) => callback(null, new Empty());
  server.addService(engineRpc.EngineService, {
    log: (
      call: grpc.ServerUnaryCall<{ getMessage(): string }, Empty>,
      callback: grpc.sendUnaryData<Empty>,
    ) => {
      logs.push(call.request.getMessage());
      callback(null, new Empty());
    },
    getRootResource: (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
      callback({ code: grpc.status.UNIMPLEMENTED, details: "not supported here" }),
    setRootResource: (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
      callback({ code: grpc.status.UNIMPLEMENTED, details: "not supported here" }),
    startDebugging: ok,
    requirePulumiVersion: ok,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { server, address: `127.0.0.1:${port}` };
}

function spawnPack(engineAddress: string, options: PackOptions): ChildProcess {
  const runner = options.runPolicyPack ?? RUN_POLICY_PACK;
  return spawn(process.execPath, [runner, engineAddress, options.entry ?? "."], {
    cwd: options.dir ?? PACK_DIR,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Start the pack and connect to it. Rejects with its stderr when it exits instead. */
export async function startPack(options: PackOptions = {}): Promise<RunningPack> {
  const engineLogs: string[] = [];
  const engine = await startEngine(engineLogs);
  const started = performance.now();
  const child = spawnPack(engine.address, options);
  let stderr = "";
  let stdout = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(
        new Error(`the pack printed no port in ${options.timeoutMs ?? 60_000} ms:\n${stderr}`),
      );
    }, options.timeoutMs ?? 60_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^(\d+)\s*$/m.exec(stdout);
      if (line) {
        clearTimeout(timer);
        resolve(Number(line[1]));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the pack exited with code ${code}:\n${stderr}`));
    });
  });
  const startMs = performance.now() - started;
  const client = new analyzerRpc.AnalyzerClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
  );
  return {
    port,
    startMs,
    client,
    engineLogs,
    stderr: () => stderr,
    stop: async () => {
      client.close();
      child.removeAllListeners("exit");
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill();
        await exited;
      }
      await new Promise<void>((resolve) => engine.server.tryShutdown(() => resolve()));
    },
  };
}

/** Run the pack expecting it to exit (e.g. a bad registry): its exit code and output. */
export async function runPackToExit(options: PackOptions = {}): Promise<PackExit> {
  const engine = await startEngine([]);
  const child = spawnPack(engine.address, options);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill(), options.timeoutMs ?? 60_000);
    child.on("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  await new Promise<void>((resolve) => engine.server.tryShutdown(() => resolve()));
  return { code, stdout, stderr };
}

export interface ProviderSpec {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
}

/** A resource as the engine describes it to the analyzer. */
export interface EngineResource {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly urn?: string;
  readonly provider?: ProviderSpec;
  readonly dependencies?: readonly string[];
  readonly parent?: string;
}

export interface Diagnostic {
  readonly policyName: string;
  readonly enforcementLevel: Level;
  readonly message: string;
  readonly urn: string;
}

export function urnOf(resource: Pick<EngineResource, "type" | "name" | "urn">): string {
  return resource.urn ?? `urn:pulumi:dev::shop::${resource.type}::${resource.name}`;
}

function options(parent?: string): analyzerPb.AnalyzerResourceOptions {
  const opts = new analyzerPb.AnalyzerResourceOptions();
  opts.setProtect(false);
  opts.setIgnorechangesList([]);
  opts.setAliasesList([]);
  opts.setAdditionalsecretoutputsList([]);
  if (parent !== undefined) opts.setParent(parent);
  return opts;
}

function provider(spec: ProviderSpec | undefined): analyzerPb.AnalyzerProviderResource | undefined {
  if (spec === undefined) return undefined;
  const p = new analyzerPb.AnalyzerProviderResource();
  p.setType(spec.type);
  p.setName(spec.name);
  p.setUrn(`urn:pulumi:dev::shop::${spec.type}::${spec.name}`);
  p.setProperties(Struct.fromJavaScript(spec.props as never));
  return p;
}

function call<Req, Res>(
  method: (req: Req, callback: (error: grpc.ServiceError | null, res: Res) => void) => unknown,
  request: Req,
): Promise<Res> {
  return new Promise((resolve, reject) =>
    method(request, (error, response) => (error ? reject(error) : resolve(response))),
  );
}

function diagnostics(list: analyzerPb.AnalyzeDiagnostic[]): Diagnostic[] {
  return list.map((d) => ({
    policyName: d.getPolicyname(),
    enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
    message: d.getMessage(),
    urn: d.getUrn(),
  }));
}

const SEVERITIES: Record<number, string> = {
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED]: "",
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

export interface AnalyzerInfo {
  readonly name: string;
  readonly version: string;
  readonly supportsConfig: boolean;
  readonly displayName: string;
  readonly description: string;
  readonly readme: string;
  readonly repository: string;
  readonly provider: string;
  readonly tags: readonly string[];
  readonly policies: readonly {
    name: string;
    enforcementLevel: Level;
    configSchema: Record<string, unknown> | undefined;
    /** "" when the pack sets none. */
    severity: string;
    remediationSteps: string;
    url: string;
    tags: readonly string[];
  }[];
}

export async function getAnalyzerInfo(pack: RunningPack): Promise<AnalyzerInfo> {
  const info = await call<Empty, analyzerPb.AnalyzerInfo>(
    pack.client.getAnalyzerInfo.bind(pack.client),
    new Empty(),
  );
  return {
    name: info.getName(),
    version: info.getVersion(),
    supportsConfig: info.getSupportsconfig(),
    displayName: info.getDisplayname(),
    description: info.getDescription(),
    readme: info.getReadme(),
    repository: info.getRepository(),
    provider: info.getProvider(),
    tags: info.getTagsList(),
    policies: info.getPoliciesList().map((p) => ({
      name: p.getName(),
      enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory",
      configSchema: p.getConfigschema()?.getProperties()?.toJavaScript() as
        Record<string, unknown> | undefined,
      severity: SEVERITIES[p.getSeverity()] ?? "",
      remediationSteps: p.getRemediationSteps(),
      url: p.getUrl(),
      tags: p.getTagsList(),
    })),
  };
}

/** The request the engine sends for one resource (Analyze and Remediate take the same). */
function analyzeRequest(resource: EngineResource): analyzerPb.AnalyzeRequest {
  const request = new analyzerPb.AnalyzeRequest();
  request.setType(resource.type);
  request.setName(resource.name);
  request.setUrn(urnOf(resource));
  request.setProperties(Struct.fromJavaScript(resource.props as never));
  request.setOptions(options(resource.parent));
  const p = provider(resource.provider);
  if (p !== undefined) request.setProvider(p);
  return request;
}

/** Analyze one resource (the engine's per-resource call, inputs at preview). */
export async function analyze(pack: RunningPack, resource: EngineResource): Promise<Diagnostic[]> {
  const response = await call<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(
    pack.client.analyze.bind(pack.client),
    analyzeRequest(resource),
  );
  return diagnostics(response.getDiagnosticsList());
}

/** Analyze a whole stack (the engine's end-of-run call, with dependencies). */
export async function analyzeStack(
  pack: RunningPack,
  resources: readonly EngineResource[],
): Promise<Diagnostic[]> {
  const request = new analyzerPb.AnalyzeStackRequest();
  request.setResourcesList(
    resources.map((resource) => {
      const r = new analyzerPb.AnalyzerResource();
      r.setType(resource.type);
      r.setName(resource.name);
      r.setUrn(urnOf(resource));
      r.setProperties(Struct.fromJavaScript(resource.props as never));
      r.setOptions(options(resource.parent));
      r.setDependenciesList([...(resource.dependencies ?? [])]);
      const p = provider(resource.provider);
      if (p !== undefined) r.setProvider(p);
      return r;
    }),
  );
  const response = await call<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>(
    pack.client.analyzeStack.bind(pack.client),
    request,
  );
  return diagnostics(response.getDiagnosticsList());
}

/** The engine's Configure call (what `--policy-pack-config` sends). */
export async function configure(
  pack: RunningPack,
  config: Readonly<Record<string, { level: Level; properties?: Record<string, unknown> }>>,
): Promise<void> {
  const request = new analyzerPb.ConfigureAnalyzerRequest();
  const map = request.getPolicyconfigMap();
  for (const [name, { level, properties }] of Object.entries(config)) {
    const policyConfig = new analyzerPb.PolicyConfig();
    policyConfig.setEnforcementlevel(LEVEL_CODES[level]);
    policyConfig.setProperties(Struct.fromJavaScript((properties ?? {}) as never));
    map.set(name, policyConfig);
  }
  await call<analyzerPb.ConfigureAnalyzerRequest, Empty>(
    pack.client.configure.bind(pack.client),
    request,
  );
}

/** The engine's Remediate call: the remediated properties of each remediation that ran. */
export async function remediate(
  pack: RunningPack,
  resource: EngineResource,
): Promise<{ policyName: string; properties: Record<string, unknown> | undefined }[]> {
  const response = await call<analyzerPb.AnalyzeRequest, analyzerPb.RemediateResponse>(
    pack.client.remediate.bind(pack.client),
    analyzeRequest(resource),
  );
  return response.getRemediationsList().map((r) => ({
    policyName: r.getPolicyname(),
    properties: r.getProperties()?.toJavaScript() as Record<string, unknown> | undefined,
  }));
}
