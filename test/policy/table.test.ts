/**
 * The policy table is the one list of policies: the registry's policy-name enum, the table's
 * keys and definitions, and the README's policy table must say the same. (The pack's registered
 * policies are held to the table over gRPC in test/pack/pack.test.ts.)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  POLICY_LIST,
  POLICY_TABLE,
  policyAnchor,
  policyUrl,
  REPOSITORY_URL,
} from "../../src/policy";
import type { PolicyDefinition } from "../../src/policy";
import { POLICY_NAMES } from "../../src/registry";

const README = join(__dirname, "..", "..", "README.md");

/** The README's level column: what an operator sees by default. */
function readmeLevel(policy: PolicyDefinition): string {
  return policy.enabledByDefault ? policy.enforcement : "off";
}

/** The rows of the README table whose first column names a policy: [name, level, blocks when]. */
function readmeRows(markdown: string): string[][] {
  const header = markdown.split("\n").findIndex((line) => /^\|\s*Policy\s*\|/.test(line));
  expect(header, "README has a table with a Policy column").toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of markdown.split("\n").slice(header + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .slice(1, -1)
        .split("|")
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

describe("the policy table", () => {
  it("lists exactly the registry's policy names, in the same order, each under its own name", () => {
    expect(Object.keys(POLICY_TABLE)).toEqual([...POLICY_NAMES]);
    for (const [key, policy] of Object.entries(POLICY_TABLE)) expect(policy.name).toBe(key);
  });

  it("gives every policy a description, a remediation and a README line", () => {
    for (const policy of POLICY_LIST) {
      for (const text of [policy.description, policy.remediation, policy.blocksWhen]) {
        expect(text.trim(), policy.name).not.toBe("");
      }
    }
  });

  it("is what the README's policy table says, row for row, each row the anchor of its policy", () => {
    const expected = POLICY_LIST.map((policy) => [
      `<a id="${policyAnchor(policy.name)}"></a>\`${policy.name}\``,
      readmeLevel(policy),
      policy.blocksWhen,
    ]);
    expect(readmeRows(readFileSync(README, "utf8"))).toEqual(expected);
  });

  it("gives every policy a severity CrossGuard knows, tags and a link into the README", () => {
    for (const policy of POLICY_LIST) {
      expect(["low", "medium", "high", "critical"], policy.name).toContain(policy.severity);
      expect(policy.tags.length, policy.name).toBeGreaterThan(0);
      expect(policyUrl(policy.name)).toBe(`${REPOSITORY_URL}#${policyAnchor(policy.name)}`);
    }
  });

  it("links to the repository package.json names", () => {
    const manifest = JSON.parse(
      readFileSync(join(__dirname, "..", "..", "package.json"), "utf8"),
    ) as {
      repository: { url: string };
      homepage: string;
    };
    expect(manifest.repository.url).toBe(`git+${REPOSITORY_URL}.git`);
    expect(manifest.homepage).toBe(`${REPOSITORY_URL}#readme`);
  });
});
