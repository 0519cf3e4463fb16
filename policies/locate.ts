/**
 * Where the pack finds `workflows.yaml`. The engine starts the pack in the pack's own folder
 * (PulumiPolicy.yaml), not in the Pulumi project, so "the current directory" of the CLI means
 * nothing here. In order:
 *
 * 1. `AI_SPEND_GUARD_REGISTRY`: a path; a relative one is taken from the project (below);
 * 2. `workflows.yaml` in the pack folder: a published pack (`pulumi policy publish` packs the
 *    folder with the registry placed in it) or a pack folder copied into a project;
 * 3. `workflows.yaml` in the project the pack serves: the folder holding the `node_modules` the
 *    pack is installed in (`--policy-pack node_modules/ai-spend-guard/policies`), else the pack
 *    folder's parent (a clone of the repository, where the pack is `policies/`).
 *
 * Never the example registry shipped inside the package: a pack that finds none stops, with one
 * line saying where it looked.
 */
import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import { REGISTRY_ENV, REGISTRY_FILE } from "../src/registry";

export type PackRegistry =
  | { readonly kind: "found"; readonly path: string; readonly from: string }
  | { readonly kind: "missing"; readonly message: string };

/** The project a pack folder serves: above its outermost `node_modules`, else its parent. */
export function projectOfPack(packDir: string): string {
  const parts = resolve(packDir).split(sep);
  const modules = parts.indexOf("node_modules");
  return modules > 0 ? parts.slice(0, modules).join(sep) || sep : dirname(resolve(packDir));
}

export function locatePackRegistry(
  env: Readonly<Record<string, string | undefined>>,
  packDir: string,
): PackRegistry {
  const project = projectOfPack(packDir);
  const fromEnv = env[REGISTRY_ENV];
  if (fromEnv !== undefined && fromEnv !== "") {
    const path = isAbsolute(fromEnv) ? fromEnv : resolve(project, fromEnv);
    return { kind: "found", path, from: REGISTRY_ENV };
  }
  const places = [resolve(packDir), project];
  for (const place of places) {
    const path = join(place, REGISTRY_FILE);
    if (existsSync(path)) {
      return { kind: "found", path, from: place === project ? "the project" : "the pack folder" };
    }
  }
  return {
    kind: "missing",
    message: `no registry found: looked for ${REGISTRY_ENV} (not set), ${join(places[0]!, REGISTRY_FILE)} (the pack folder) and ${join(project, REGISTRY_FILE)} (the project): place workflows.yaml in the project, or point at yours with ${REGISTRY_ENV}=path/to/workflows.yaml (the example registry shipped in the package is never used)`,
  };
}
