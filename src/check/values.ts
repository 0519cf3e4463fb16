/**
 * Property values as Pulumi writes them into `pulumi preview --json` and `pulumi stack export`,
 * normalised to what the policy rules understand. Sentinels and envelopes are described in
 * pkg/resource/stack/deployment.go and sdk/go/common/resource/sig/sig.go.
 *
 * Every object built here has a null prototype: the keys come from the file, and a key named
 * `__proto__` must stay a key (on a plain object, assigning it replaces the prototype, so an
 * untagged resource could inherit `tags` from the file), while `constructor` or `toString`
 * must read as absent, not as Object's own functions.
 */
import { UNKNOWN } from "../policy/types";

/** The key that marks a special value (secret, asset, archive, resource reference...). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";

export const SIGNATURES = {
  secret: "1b47061264138c4ac30d75fd1eb44270",
  asset: "c44067f5952c0a294b673a41bacd8c17",
  archive: "0def7320c3a5731c473e5ecbe6d01bc7",
  resourceReference: "5cf8f73096256a8f31e491e813e4eb8e",
  byteString: "803fd3297a5875dc03ca845dda5d2a98",
  specialFloat: "8ad145fe-0d11-4827-bfd7-1abcbf086f5c",
} as const;

/** What `pulumi preview --json` prints for every secret, even with `--show-secrets`. */
export const PREVIEW_SECRET = "[secret]";

/**
 * Bookkeeping keys of terraform-bridged providers: never user data, and `__defaults` would
 * otherwise look like a property to the rules.
 */
const BRIDGE_KEYS: ReadonlySet<string> = new Set([
  "__defaults",
  "__meta",
  "__pulumi_raw_state_delta",
  "__internal",
]);

/** A secret met while normalising: where it was, and whether the file showed its value. */
export interface SecretSeen {
  /** Dotted path from the property bag, e.g. `tags.owner`, `primaryContainer.environment`. */
  readonly path: string;
  /** `hidden`: `[secret]` or ciphertext; `revealed`: `--show-secrets` plaintext. */
  readonly kind: "hidden" | "revealed";
  /** The string values a revealed secret holds (never printed: they are redacted). */
  readonly values: readonly string[];
}

/** What normalisation could not show the rules, or must not show people, so readers can say so. */
export interface ValueStats {
  /** Secrets whose value is hidden (`[secret]`, or ciphertext in an export). */
  hiddenSecrets: number;
  readonly secrets: SecretSeen[];
}

export function newValueStats(): ValueStats {
  return { hiddenSecrets: 0, secrets: [] };
}

/** An object for keys taken from a file: no prototype, so no key is special. */
export function dictionary<T = unknown>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** An own property of a parsed JSON object (never one inherited from Object.prototype). */
export function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

const join = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);

/**
 * Normalises one property value, at any depth.
 *
 * Secrets: a hidden secret (`"[secret]"`, or an export envelope holding `ciphertext`) becomes
 * `UNKNOWN`, because to the rules it is exactly that: a value that is present but cannot be
 * read here. The rules then report "cannot check yet" (advisory) instead of either passing a
 * resource they cannot see or failing one whose tags may be fine. An envelope holding
 * `plaintext` (`stack export --show-secrets`) is decoded: the plaintext is JSON text; its
 * strings are recorded so that no message prints them.
 *
 * Resource references become the referenced resource's id (what a bridged provider would
 * receive), or `UNKNOWN` while the id is not known.
 *
 * @param path where the value sits, for the record of secrets (`tags.owner`)
 */
export function normalizeValue(value: unknown, stats: ValueStats, path = ""): unknown {
  if (value === PREVIEW_SECRET) return hidden(stats, path);
  if (Array.isArray(value)) {
    return value.map((item, i) => normalizeValue(item, stats, `${path}[${i}]`));
  }
  if (!isRecord(value)) return value;
  const signature = own(value, SIG_KEY);
  if (signature === SIGNATURES.secret) return normalizeSecret(value, stats, path);
  if (signature === SIGNATURES.resourceReference) {
    const id = own(value, "id");
    return typeof id === "string" && id !== "" ? id : UNKNOWN;
  }
  if (typeof signature === "string") return value; // assets, archives, bytes: opaque to rules
  return normalizeProps(value, stats, path);
}

function hidden(stats: ValueStats, path: string): typeof UNKNOWN {
  stats.hiddenSecrets++;
  stats.secrets.push({ path, kind: "hidden", values: [] });
  return UNKNOWN;
}

function normalizeSecret(
  envelope: Record<string, unknown>,
  stats: ValueStats,
  path: string,
): unknown {
  const plaintext = own(envelope, "plaintext");
  if (typeof plaintext === "string") {
    let decoded: unknown;
    try {
      decoded = JSON.parse(plaintext) as unknown;
    } catch {
      // A plaintext that is not JSON is malformed state; treat it like a hidden secret.
      return hidden(stats, path);
    }
    for (const leaf of leavesOf(decoded, path)) {
      stats.secrets.push({ path: leaf.path, kind: "revealed", values: [leaf.value] });
    }
    return normalizeValue(decoded, stats, path);
  }
  return hidden(stats, path);
}

/** Every string (and number) in a value, at any depth, with its path: what a message might quote. */
function leavesOf(value: unknown, path: string): { path: string; value: string }[] {
  if (typeof value === "string") return value === "" ? [] : [{ path, value }];
  if (typeof value === "number") return [{ path, value: String(value) }];
  if (Array.isArray(value)) return value.flatMap((item, i) => leavesOf(item, `${path}[${i}]`));
  if (isRecord(value)) {
    return Object.entries(value).flatMap(([key, item]) => leavesOf(item, join(path, key)));
  }
  return [];
}

/** Normalises a property bag (inputs or outputs) and drops the bridge's bookkeeping keys. */
export function normalizeProps(
  props: unknown,
  stats: ValueStats,
  path = "",
): Record<string, unknown> {
  const result = dictionary();
  if (!isRecord(props)) return result;
  for (const [key, value] of Object.entries(props)) {
    if (BRIDGE_KEYS.has(key)) continue;
    result[key] = normalizeValue(value, stats, join(path, key));
  }
  return result;
}

/**
 * Deployed state: the outputs (what AWS reports, including `tagsAll`) over the inputs (what
 * the program declared). A null output does not hide a declared input: bridged providers
 * write `tags: null` in outputs when the tags live only in `tagsAll`.
 */
export function mergeState(
  inputs: Record<string, unknown>,
  outputs: Record<string, unknown>,
): Record<string, unknown> {
  const merged = dictionary();
  for (const [key, value] of Object.entries(inputs)) merged[key] = value;
  for (const [key, value] of Object.entries(outputs)) {
    if (value !== null && value !== undefined) merged[key] = value;
  }
  return merged;
}
