/**
 * Exemptions on nested resources (a resource inside a component has the type chain in its URN)
 * and the notes a finding carries when an exemption names it but does not apply.
 */
import { describe, expect, it } from "vitest";
import { evaluateStack } from "../../src/policy";
import { exemptionCovers, exemptionStatus, urnWithOwnType } from "../../src/policy/exemptions";
import type { Exemption, Registry } from "../../src/registry";
import { ctx, registry, resource, summary } from "./helpers";

const ROLE = "aws:iam/role:Role";
const INVOKE = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "bedrock:InvokeModel", Resource: "*" }],
});

const waiver = (over: Partial<Exemption> = {}): Exemption => ({
  resource: `urn:pulumi:*::*::${ROLE}::deployer`,
  policy: "ai-invoker-attributable",
  reason: "The CI deployer role; its spend is the platform team's",
  approvedBy: "cto@example.com",
  expires: "2027-01-31",
  ...over,
});

const withExemptions = (...exemptions: Exemption[]): Registry => ({ ...registry, exemptions });

/** An untagged role that may invoke models, as a component's child. */
const nestedRole = (name = "deployer", stack = "dev") =>
  resource(
    ROLE,
    name,
    { assumeRolePolicy: "{}", inlinePolicies: [{ name: "invoke", policy: INVOKE }] },
    { urn: `urn:pulumi:${stack}::shop::acme:platform:Deployer$acme:ci:Runner$${ROLE}::${name}` },
  );

describe("nested resources: the last type of the chain", () => {
  it("reduces a component chain to the resource's own type", () => {
    expect(urnWithOwnType("urn:pulumi:dev::shop::acme:x:Comp$aws:iam/role:Role::deployer")).toBe(
      "urn:pulumi:dev::shop::aws:iam/role:Role::deployer",
    );
    expect(urnWithOwnType("urn:pulumi:dev::shop::aws:iam/role:Role::deployer")).toBeUndefined();
    // A name may hold "::"; the type never does.
    expect(urnWithOwnType("urn:pulumi:dev::shop::a:b:C$aws:iam/role:Role::x::y")).toBe(
      "urn:pulumi:dev::shop::aws:iam/role:Role::x::y",
    );
    expect(urnWithOwnType("not-a-urn")).toBeUndefined();
  });

  it("the README's form matches a role inside a component (it used to miss it silently)", () => {
    const before = evaluateStack([nestedRole()], ctx);
    expect(summary(before)).toContain("ai-invoker-attributable/mandatory");
    const findings = evaluateStack([nestedRole()], { ...ctx, registry: withExemptions(waiver()) });
    expect(summary(findings)).toContain("ai-invoker-attributable/advisory");
    expect(summary(findings)).not.toContain("ai-invoker-attributable/mandatory");
    expect(findings.find((f) => f.policy === "ai-invoker-attributable")!.message).toMatch(
      /^Exempted \(approved by cto@example.com until 2027-01-31/,
    );
  });

  it("a glob naming the chain matches only inside that component", () => {
    const chain = `urn:pulumi:*::*::acme:platform:Deployer$acme:ci:Runner$${ROLE}::deployer`;
    expect(exemptionCovers(chain, nestedRole().urn)).toBe(true);
    expect(exemptionCovers(chain, `urn:pulumi:dev::shop::${ROLE}::deployer`)).toBe(false);
    expect(exemptionCovers(waiver().resource, `urn:pulumi:dev::shop::${ROLE}::deployer`)).toBe(
      true,
    );
    expect(exemptionCovers(waiver().resource, nestedRole("other").urn)).toBe(false);
  });
});

describe("an exemption that names the resource but does not apply says why", () => {
  const invokerFinding = (reg: Registry, role = nestedRole()) =>
    evaluateStack([role], { ...ctx, registry: reg }).find(
      (f) => f.policy === "ai-invoker-attributable",
    )!;

  it("expired", () => {
    const finding = invokerFinding(withExemptions(waiver({ expires: "2026-11-01" })));
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain("expired on 2026-11-01: renew it if it still applies");
  });

  it("the type and name match but the stack part does not", () => {
    const finding = invokerFinding(
      withExemptions(waiver({ resource: `urn:pulumi:prod::*::${ROLE}::deployer` })),
    );
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain(
      `names this resource's type and name but does not apply: its URN glob "urn:pulumi:prod::*::${ROLE}::deployer" does not match`,
    );
  });

  it("it covers the resource for another policy", () => {
    const finding = invokerFinding(withExemptions(waiver({ policy: "ai-resource-tags" })));
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain(
      "covers this resource for ai-resource-tags, not for ai-invoker-attributable",
    );
  });

  it("an unrelated exemption adds nothing", () => {
    const finding = invokerFinding(
      withExemptions(waiver({ resource: `urn:pulumi:*::*::${ROLE}::someone-else` })),
    );
    expect(finding.message).not.toContain("exemption");
  });
});

describe("an exemption for every resource", () => {
  it("is malformed without allResources: true (a registry built in code is re-checked)", () => {
    expect(exemptionStatus(waiver({ resource: "*" }), "2026-11-30")).toEqual({
      kind: "malformed",
      problem: '"*" matches every resource without allResources: true',
    });
    expect(exemptionStatus(waiver({ resource: "*", allResources: true }), "2026-11-30")).toEqual({
      kind: "valid",
    });
  });

  it("does not waive anything without it", () => {
    const finding = evaluateStack([nestedRole()], {
      ...ctx,
      registry: withExemptions(waiver({ resource: "*" })),
    }).find((f) => f.policy === "ai-invoker-attributable")!;
    expect(finding.enforcement).toBe("mandatory");
    expect(finding.message).toContain("malformed");
  });
});
