/**
 * `mkdir -p` that cannot spin. Node's `mkdirSync(dir, { recursive: true })` loops forever at
 * full CPU on a path the kernel will not create and reports as missing (`/proc/x` on Linux);
 * here each missing folder, from the nearest existing one down, is created once, so the
 * kernel's refusal comes back as an error.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";

export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  let current = resolve(dir);
  while (!existsSync(current)) {
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing.reverse()) mkdirSync(folder);
}
