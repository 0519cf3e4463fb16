/** A `ReportStore` in memory, with S3's conditional-write semantics (ETags, If-Match). */
import type { ReportStore } from "../../src/reconciler";

export interface MemoryStore extends ReportStore {
  readonly objects: Map<string, { body: string; etag: string }>;
  /** Keys whose reads, or writes, throw (an S3 fault such as a 403). */
  readonly failing: { read: Set<string>; write: Set<string> };
}

export function memoryStore(): MemoryStore {
  const objects = new Map<string, { body: string; etag: string }>();
  const failing = { read: new Set<string>(), write: new Set<string>() };
  let version = 0;
  const refuse = (set: Set<string>, key: string) => {
    for (const pattern of set) {
      if (key.includes(pattern)) throw new Error(`AccessDenied: Access Denied (${key})`);
    }
  };
  const write = (key: string, body: string) => {
    version += 1;
    objects.set(key, { body, etag: `"v${version}"` });
  };
  return {
    objects,
    failing,
    get: async (key) => {
      refuse(failing.read, key);
      return objects.get(key)?.body;
    },
    getVersioned: async (key) => {
      refuse(failing.read, key);
      return objects.get(key);
    },
    putIfAbsent: async (key, body) => {
      refuse(failing.write, key);
      if (objects.has(key)) return "exists";
      write(key, body);
      return "written";
    },
    replaceIfMatch: async (key, body, _type, etag) => {
      refuse(failing.write, key);
      if (objects.get(key)?.etag !== etag) return "changed";
      write(key, body);
      return "written";
    },
  };
}
