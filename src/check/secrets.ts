/**
 * Secrets in a checked document: which ones hid tags the rules needed (and what to do about
 * it, without writing every secret of the stack to disk), and redaction of the values that
 * `stack export --show-secrets` decrypted, so no finding, note or JSON report prints them.
 */
import { tagProperties } from "../policy";
import type { EvaluationContext, ResourceInput } from "../policy";
import type { PulumiFormat, SecretProperty } from "./types";

const within = (path: string, property: string) =>
  path === property || path.startsWith(`${property}.`) || path.startsWith(`${property}[`);

/** `tags.owner`, or `defaultTags of provider default_7_48_0`. */
function describeProperty(secret: SecretProperty): string {
  return secret.provider === undefined
    ? secret.path
    : `${secret.path} of provider ${secret.provider}`;
}

/**
 * The note for hidden secrets that stood in the rules' way: a tag property (or `tagsAll`) of a
 * resource whose tags a rule reads, or its provider's `defaultTags`. A secret anywhere else (a
 * password, a parameter value) hides nothing the rules read, and gets no word.
 */
export function hiddenTagsNote(
  resources: readonly ResourceInput[],
  secrets: readonly SecretProperty[],
  format: PulumiFormat,
  ctx: EvaluationContext,
): string | undefined {
  const hidden = secrets.filter((s) => s.kind === "hidden");
  if (hidden.length === 0) return undefined;
  const listed: string[] = [];
  for (const resource of resources) {
    const properties = tagProperties(resource, ctx);
    if (properties.length === 0) continue;
    const mine = hidden.filter(
      (s) =>
        s.urn === resource.urn &&
        (s.provider === undefined
          ? properties.some((p) => within(s.path, p))
          : within(s.path, "defaultTags")),
    );
    if (mine.length === 0) continue;
    const paths = [...new Set(mine.map(describeProperty))].join(", ");
    listed.push(`${resource.type} ${resource.name}: ${paths}`);
  }
  if (listed.length === 0) return undefined;
  const what = `secret values hide tags the rules read (${listed.join("; ")}), so they were treated as unknown`;
  const plain =
    "Tag values are not sensitive (AWS shows them in the console and on the bill): make them " +
    "plain in the program (`pulumi.unsecret(...)`, or no `secret: true` on the config value " +
    "that feeds them) and the file shows them";
  if (format === "preview") {
    return (
      `${what}: \`pulumi preview --json\` prints every secret as "[secret]". The policy pack sees ` +
      `the values and checks them at \`pulumi preview --policy-pack\`. ${plain}`
    );
  }
  return (
    `${what}: this state holds them encrypted. ${plain}; or read the resource's tags from AWS ` +
    "(`aws resourcegroupstaggingapi get-resources`). To check this state as it is without " +
    "writing its secrets to disk, pipe it: `pulumi stack export --show-secrets | ai-spend-guard " +
    "check -` (values that were secret are shown as [secret])"
  );
}

/** Values shorter than this are replaced only where a message quotes them whole. */
const BARE_MINIMUM = 6;

export interface Redactor {
  /** The text with every decrypted secret value replaced by `[secret]`, and which properties. */
  redact(text: string, urn?: string): string;
}

/**
 * Replaces decrypted secret values in messages: where a message quotes one (`"value"`), and
 * anywhere for values long enough not to be a common word. Over-redaction is the price of
 * never printing a secret; the message then names the secret properties it hides.
 */
export function redactor(
  secrets: readonly SecretProperty[],
  nameOf: (urn: string) => string,
): Redactor {
  const revealed = secrets.filter((s) => s.kind === "revealed" && s.values.length > 0);
  const values = [...new Set(revealed.flatMap((s) => s.values))].sort(
    (a, b) => b.length - a.length,
  );
  return {
    redact(text, urn) {
      if (values.length === 0) return text;
      let result = text;
      const hit = new Set<string>();
      for (const value of values) {
        const before = result;
        result = result.split(`"${value}"`).join("[secret]");
        if (value.length >= BARE_MINIMUM) result = result.split(value).join("[secret]");
        if (result !== before) hit.add(value);
      }
      if (hit.size === 0) return text;
      const properties = [
        ...new Set(
          revealed
            .filter((s) => s.values.some((v) => hit.has(v)))
            .map((s) => {
              const property = describeProperty(s);
              return s.urn === urn ? property : `${nameOf(s.urn)} ${property}`;
            }),
        ),
      ];
      return (
        `${result} ([secret]: ${properties.join(", ")} ${properties.length === 1 ? "is" : "are"} ` +
        "secret in the file, so the value is not shown)"
      );
    },
  };
}
