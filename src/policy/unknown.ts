/**
 * Values that are not known until the update. Two forms, kept apart on purpose:
 *
 * - `UNKNOWN` is Pulumi's own marker string, as it appears in `pulumi preview --json` and in
 *   @pulumi/policy's unknown values. Adapters write it into `ResourceInput.props` (raw inputs
 *   stay in the engine's wire form, so a remediation hands them back unchanged); the readers of
 *   raw inputs test for it with `isUnknown`.
 * - `AtPreview<T>` is what a rule gets once a value is read out of the raw inputs (a tag value,
 *   a model id). It is a tagged union, not a string, so the compiler refuses a rule that uses
 *   the value (compares it, prints it, looks it up) before saying what it does when the value
 *   is not known yet.
 */

/** Pulumi's marker for a value not known until the update (raw inputs only). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True for Pulumi's marker (a raw input value that is not known until the update). */
export function isUnknown(value: unknown): value is typeof UNKNOWN {
  return value === UNKNOWN;
}

/** A value read from a resource's inputs: known now, or only at the update. */
export type AtPreview<T> =
  { readonly kind: "known"; readonly value: T } | { readonly kind: "unknown" };

/** The value of anything not known until the update. */
export const NOT_KNOWN_YET: AtPreview<never> = Object.freeze({ kind: "unknown" });

export function known<T>(value: T): AtPreview<T> {
  return { kind: "known", value };
}
