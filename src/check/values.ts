/**
 * Property values as Pulumi writes them into `pulumi preview --json` and `pulumi stack export`,
 * normalised to what the policy rules understand. Sentinels and envelopes are described in
 * pkg/resource/stack/deployment.go and sdk/go/common/resource/sig/sig.go.
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

/** Counts of what normalisation could not show the rules, so the reader can say so. */
export interface ValueStats {
  /** Secrets whose value is hidden (`[secret]`, or ciphertext in an export). */
  hiddenSecrets: number;
}

export function newValueStats(): ValueStats {
  return { hiddenSecrets: 0 };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Normalises one property value, at any depth.
 *
 * Secrets: a hidden secret (`"[secret]"`, or an export envelope holding `ciphertext`) becomes
 * `UNKNOWN`, because to the rules it is exactly that: a value that is present but cannot be
 * read here. The rules then report "cannot check yet" (advisory) instead of either passing a
 * resource they cannot see or failing one whose tags may be fine. An envelope holding
 * `plaintext` (`stack export --show-secrets`) is decoded: the plaintext is JSON text.
 *
 * Resource references become the referenced resource's id (what a bridged provider would
 * receive), or `UNKNOWN` while the id is not known.
 */
export function normalizeValue(value: unknown, stats: ValueStats): unknown {
  if (value === PREVIEW_SECRET) {
    stats.hiddenSecrets++;
    return UNKNOWN;
  }
  if (Array.isArray(value)) return value.map((item) => normalizeValue(item, stats));
  if (!isRecord(value)) return value;
  const signature = value[SIG_KEY];
  if (signature === SIGNATURES.secret) return normalizeSecret(value, stats);
  if (signature === SIGNATURES.resourceReference) {
    const id = value.id;
    return typeof id === "string" && id !== "" ? id : UNKNOWN;
  }
  if (typeof signature === "string") return value; // assets, archives, bytes: opaque to rules
  return normalizeProps(value, stats);
}

function normalizeSecret(envelope: Record<string, unknown>, stats: ValueStats): unknown {
  const plaintext = envelope.plaintext;
  if (typeof plaintext === "string") {
    try {
      return normalizeValue(JSON.parse(plaintext), stats);
    } catch {
      // A plaintext that is not JSON is malformed state; treat it like a hidden secret.
    }
  }
  stats.hiddenSecrets++;
  return UNKNOWN;
}

/** Normalises a property bag (inputs or outputs) and drops the bridge's bookkeeping keys. */
export function normalizeProps(props: unknown, stats: ValueStats): Record<string, unknown> {
  if (!isRecord(props)) return {};
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (BRIDGE_KEYS.has(key)) continue;
    result[key] = normalizeValue(value, stats);
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
  const merged: Record<string, unknown> = { ...inputs };
  for (const [key, value] of Object.entries(outputs)) {
    if (value !== null && value !== undefined) merged[key] = value;
  }
  return merged;
}
