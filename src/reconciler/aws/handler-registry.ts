/**
 * The registry the Lambda handler runs with. Unbundled (tests, a local run) it is located and
 * loaded like the CLI's. The stack's bundler replaces this whole module with the registry it
 * validated at deploy time, as JSON (`stacks/components/handler-bundle.ts`): the deployed
 * function then neither reads nor parses YAML, and carries neither the YAML parser nor the
 * schema library.
 */
import { loadRegistry } from "../../registry";
import type { Registry } from "../../registry";

export function handlerRegistry(): Registry {
  return loadRegistry();
}
