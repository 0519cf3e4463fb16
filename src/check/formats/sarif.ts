/**
 * A `CheckReport` as SARIF 2.1.0, the format code scanning reads (GitHub's upload-sarif, Azure
 * DevOps, GitLab): one rule per policy of the policy table (id = the policy's name, help from
 * its remediation and README section), one result per finding (mandatory = `error`, advisory =
 * `warning`), located at the resource by URN (a logical location) and at the line that declared
 * it when the document records the source position. Pure: the caller writes it out.
 */
import { POLICY_LIST, policyUrl, REPOSITORY_URL } from "../../policy";
import type { PolicyDefinition } from "../../policy";
import type { CheckFinding, CheckReport } from "../report";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const SARIF_VERSION = "2.1.0";

type Level = "error" | "warning" | "note";

/** A rule's default level: what its findings usually are. */
function defaultLevel(policy: PolicyDefinition): Level {
  if (policy.enforcement === "remediate") return "note";
  return policy.enforcement === "mandatory" ? "error" : "warning";
}

const LEVEL: Readonly<Record<CheckFinding["enforcement"], Level>> = {
  mandatory: "error",
  advisory: "warning",
};

function rule(policy: PolicyDefinition) {
  return {
    id: policy.name,
    name: policy.name,
    shortDescription: { text: policy.description },
    fullDescription: { text: policy.description },
    help: { text: policy.remediation },
    helpUri: policyUrl(policy.name),
    defaultConfiguration: { level: defaultLevel(policy), enabled: policy.enabledByDefault },
    properties: { tags: [...policy.tags], severity: policy.severity },
  };
}

export interface SarifOptions {
  /** The tool's version (the package's), shown by code scanning. */
  readonly toolVersion: string;
}

export function toSarif(report: CheckReport, options: SarifOptions): SarifLog {
  const ruleIndex = new Map(POLICY_LIST.map((policy, i) => [policy.name, i] as const));
  // Results with the same rule and resource are told apart by their order, so each keeps its
  // fingerprint from one run to the next (code scanning matches alerts across runs by it).
  const seen = new Map<string, number>();
  const results = report.findings.map((finding) => {
    const key = `${finding.policy}|${finding.urn}`;
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    return result(finding, ruleIndex.get(finding.policy) ?? -1, report.source, nth);
  });
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: "ai-spend-guard",
            version: options.toolVersion,
            informationUri: REPOSITORY_URL,
            rules: POLICY_LIST.map(rule),
          },
        },
        results,
        properties: {
          source: report.source,
          format: report.format,
          registry: report.registry,
          today: report.today,
          passed: report.passed,
          summary: report.summary,
          notes: [...report.notes],
        },
      },
    ],
  };
}

function result(finding: CheckFinding, ruleIndex: number, document: string, nth: number) {
  const logical = {
    name: finding.name,
    fullyQualifiedName: finding.urn,
    kind: "resource",
    ...(finding.type === "" ? {} : { properties: { type: finding.type } }),
  };
  // Code scanning needs a file for every result: the declaring line when the document has it,
  // else the document that was checked.
  const physical =
    finding.source === undefined
      ? { artifactLocation: { uri: encodeURI(document) } }
      : {
          artifactLocation: finding.source.relativeToProject
            ? { uri: encodeURI(finding.source.path), uriBaseId: "PROJECTROOT" }
            : { uri: encodeURI(finding.source.path) },
          region: {
            startLine: finding.source.line,
            ...(finding.source.column === undefined ? {} : { startColumn: finding.source.column }),
          },
        };
  return {
    ruleId: finding.policy,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: LEVEL[finding.enforcement],
    message: { text: finding.message },
    locations: [{ physicalLocation: physical, logicalLocations: [logical] }],
    partialFingerprints: { "resourceFinding/v1": `${finding.policy}|${finding.urn}|${nth}` },
  };
}

/** The shape written (the parts of SARIF this uses); the schema test holds it to the standard. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: typeof SARIF_VERSION;
  readonly runs: readonly {
    readonly tool: {
      readonly driver: {
        readonly name: string;
        readonly version: string;
        readonly informationUri: string;
        readonly rules: readonly ReturnType<typeof rule>[];
      };
    };
    readonly results: readonly ReturnType<typeof result>[];
    readonly properties: Record<string, unknown>;
  }[];
}
