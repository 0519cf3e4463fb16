/**
 * The offline check on a large `pulumi stack export`: the real CLI in a child process, timed
 * from outside, its peak memory reported from inside. The floor is a Node.js process that only
 * reads and parses the same file: what any tool reading the export must pay.
 */
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runNode } from "./child";
import { benchResources } from "./resources";
import { median } from "./stats";

const ROOT = join(__dirname, "..");
const STACK = "urn:pulumi:prod::ai-platform::pulumi:pulumi:Stack::ai-platform-prod";
const PROVIDER_URN = "urn:pulumi:prod::ai-platform::pulumi:providers:aws::default_7_48_0";
const PROVIDER_ID = "6f1b2c9e-3a47-4d0b-9b8e-2f4c7a1d5e30";
const TIME = "2026-11-20T10:10:00.100000Z";

/** A `pulumi stack export` (version 3) of `count` resources, as the CLI writes one. */
export function stackExport(count: number): unknown {
  const resources: unknown[] = [
    { urn: STACK, custom: false, type: "pulumi:pulumi:Stack", created: TIME, modified: TIME },
    {
      urn: PROVIDER_URN,
      custom: true,
      id: PROVIDER_ID,
      type: "pulumi:providers:aws",
      inputs: { region: "us-east-1", version: "7.48.0", __internal: {} },
      outputs: { region: "us-east-1", version: "7.48.0" },
      created: TIME,
      modified: TIME,
    },
  ];
  for (const r of benchResources(count)) {
    const id = `${r.name}-${r.type.length.toString(16)}`;
    const tags = r.props.tags as Record<string, string> | undefined;
    // What AWS reports back: the inputs, the id and ARN, and `tagsAll` where the type has tags.
    const outputs = { ...r.props, id, arn: `arn:aws:bench:us-east-1:111122223333:${id}` };
    if (tags !== undefined) Object.assign(outputs, { tagsAll: tags });
    resources.push({
      urn: r.urn,
      custom: true,
      id,
      type: r.type,
      inputs: { ...r.props, region: "us-east-1" },
      outputs,
      parent: STACK,
      provider: `${PROVIDER_URN}::${PROVIDER_ID}`,
      propertyDependencies: {},
      created: TIME,
      modified: TIME,
    });
  }
  return {
    version: 3,
    deployment: {
      manifest: { time: TIME, magic: "", version: "v3.248.0" },
      secrets_providers: { type: "passphrase", state: { salt: "v1:AAAA:v1:BBBB:CCCC" } },
      resources,
      metadata: {},
    },
  };
}

export interface CheckResult {
  readonly resources: number;
  readonly fileBytes: number;
  readonly ms: number;
  readonly peakRssBytes: number;
  readonly floorMs: number;
  readonly floorPeakRssBytes: number;
  readonly timeRatio: number;
  readonly memoryRatio: number;
  readonly mandatoryFindings: number;
  readonly expectedViolations: number;
}

export async function offlineCheck(count: number, runs: number): Promise<CheckResult> {
  const dir = join(ROOT, "out", "bench");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `stack-export-${count}.json`);
  writeFileSync(file, JSON.stringify(stackExport(count), null, 4));
  // The CLI reads the system clock (no override): the timing does not depend on the date.
  const env = {};
  const cli = [join(ROOT, "bin", "ai-spend-guard.js"), "check", file, "--json"];
  const registry = ["--registry", join(ROOT, "workflows.yaml")];
  const floorScript = `JSON.parse(require("node:fs").readFileSync(${JSON.stringify(file)}, "utf8"))`;

  const checks = [];
  const floors = [];
  await runNode([...cli, ...registry], { env }); // warm the file cache
  for (let i = 0; i < runs; i++) {
    checks.push(await runNode([...cli, ...registry], { env }));
    floors.push(await runNode(["-e", floorScript]));
  }
  const last = checks[checks.length - 1]!;
  if (last.code !== 1) throw new Error(`check should fail on the violations:\n${last.stderr}`);
  const report = JSON.parse(last.stdout) as { findings: { enforcement: string }[] };
  const mandatoryFindings = report.findings.filter((f) => f.enforcement === "mandatory").length;
  const ms = median(checks.map((c) => c.wallMs));
  const peakRssBytes = median(checks.map((c) => c.peakRssBytes));
  const floorMs = median(floors.map((c) => c.wallMs));
  const floorPeakRssBytes = median(floors.map((c) => c.peakRssBytes));
  return {
    resources: count,
    fileBytes: statSync(file).size,
    ms,
    peakRssBytes,
    floorMs,
    floorPeakRssBytes,
    timeRatio: ms / floorMs,
    memoryRatio: peakRssBytes / floorPeakRssBytes,
    mandatoryFindings,
    expectedViolations: benchResources(count).filter((r) => r.violating).length,
  };
}
