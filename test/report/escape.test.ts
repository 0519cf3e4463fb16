import { describe, expect, it } from "vitest";
import { escapeHtml, jsonForScript } from "../../src/report/escape";
import { html, trustedHtml } from "../../src/report/safe-html";
import { INJECTION } from "./fixture";

describe("escapeHtml", () => {
  it.each([
    ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ['" onmouseover="alert(1)', "&quot; onmouseover=&quot;alert(1)"],
    ["' autofocus onfocus='x", "&#39; autofocus onfocus=&#39;x"],
    ["AT&T &amp;", "AT&amp;T &amp;amp;"],
    ["support-triage", "support-triage"],
    ["", ""],
  ])("escapes %j", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe("jsonForScript", () => {
  const tricky = {
    close: INJECTION.script,
    comment: "<!-- <script>",
    amp: "a&b>c",
    separators: "line\u2028para\u2029end",
    nested: [{ v: "</SCRIPT >" }],
  };

  it("contains no character that could end or confuse a script element", () => {
    const json = jsonForScript(tricky);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(json.toLowerCase()).not.toContain("</script");
  });

  it("parses back to the same value", () => {
    expect(JSON.parse(jsonForScript(tricky))).toEqual(tricky);
  });

  it("refuses a value with no JSON form", () => {
    expect(() => jsonForScript(undefined)).toThrow(/no JSON form/);
  });
});

describe("the html template tag", () => {
  // Aliased so the code formatter leaves the markup under test exactly as written.
  const h = html;

  it("escapes interpolated text and numbers, not the template", () => {
    expect(h`<td class="x">${INJECTION.markup}</td>`.markup).toBe(
      '<td class="x">&lt;img src=x onerror=alert(1)&gt;</td>',
    );
    expect(h`<b>${12.5}</b>`.markup).toBe("<b>12.5</b>");
  });

  it("escapes inside attribute values", () => {
    expect(h`<tr data-owner="${'x" onclick="alert(1)'}">`.markup).toBe(
      '<tr data-owner="x&quot; onclick=&quot;alert(1)">',
    );
  });

  it("keeps nested SafeHtml as markup and escapes strings inside arrays", () => {
    const items = ["<a>", "b"].map((v) => h`<li>${v}</li>`);
    expect(h`<ul>${items}</ul>`.markup).toBe("<ul><li>&lt;a&gt;</li><li>b</li></ul>");
    expect(h`${["<x>", h`<y>`]}`.markup).toBe("&lt;x&gt;<y>");
  });

  it("renders null and undefined as nothing", () => {
    expect(h`[${null}${undefined}]`.markup).toBe("[]");
  });

  it("passes trusted markup through unchanged", () => {
    expect(h`${trustedHtml("<style>a{}</style>")}`.markup).toBe("<style>a{}</style>");
  });
});
