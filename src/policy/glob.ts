/** Globs as the registry writes them: `*` matches any run of characters, nothing else is special. */

const cache = new Map<string, RegExp>();

function compile(pattern: string, flags: string): RegExp {
  const key = `${flags}/${pattern}`;
  let regex = cache.get(key);
  if (regex === undefined) {
    const body = pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    regex = new RegExp(`^${body}$`, flags);
    cache.set(key, regex);
  }
  return regex;
}

/** Case-sensitive: URNs, model ids and instance types are compared exactly. */
export function globMatch(pattern: string, value: string): boolean {
  return compile(pattern, "").test(value);
}

/** Case-insensitive, as IAM compares action names (`bedrock:invokemodel` = `bedrock:InvokeModel`). */
export function globMatchIgnoreCase(pattern: string, value: string): boolean {
  return compile(pattern, "i").test(value);
}
