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

const iamCache = new Map<string, RegExp>();

/**
 * An IAM action pattern against an action name, as IAM matches them: `*` matches any run of
 * characters, `?` exactly one, and letter case does not matter (`bedrock:invokemodel` =
 * `bedrock:InvokeModel`).
 */
export function iamActionMatch(pattern: string, action: string): boolean {
  let regex = iamCache.get(pattern);
  if (regex === undefined) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    regex = new RegExp(`^${body}$`, "is");
    iamCache.set(pattern, regex);
  }
  return regex.test(action);
}
