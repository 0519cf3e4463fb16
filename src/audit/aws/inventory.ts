/**
 * The account's AI resources, listed. Resource Explorer first: its aggregator index covers every
 * region with an index, never-tagged resources included, in one paginated `Search`. Where it is
 * not set up (no aggregator index, no default view) or not allowed, the Tagging API's
 * `GetResources`, region by region, which only knows resources that carry or once carried tags:
 * the inventory says so and how to turn Resource Explorer on.
 */
import { ListIndexesCommand, SearchCommand } from "@aws-sdk/client-resource-explorer-2";
import type { Resource } from "@aws-sdk/client-resource-explorer-2";
import { GetResourcesCommand } from "@aws-sdk/client-resource-groups-tagging-api";
import type { ResourceTagMapping } from "@aws-sdk/client-resource-groups-tagging-api";
import { AUDIT_ACTIONS } from "../actions";
import { AUDITED_SERVICES } from "../arn-types";
import { parseArn } from "../arn";
import type { AuditInput, DiscoveredResource, NotChecked } from "../inventory";
import { regionsOf } from "../regions";
import type { RegionChoice } from "../regions";
import { deniedReason, RESOURCE_EXPLORER_HINT, TAGGING_ONLY_NOTE } from "../wording";
import type { Caller } from "./calls";
import { errorCodeOf, isAccessDenied, isRegionNotEnabled } from "./calls";
import type { AuditClients } from "./clients";

/** Resource Explorer's largest page. */
const SEARCH_PAGE = 1000;
/** The Tagging API's largest page, and the most ARNs one lookup takes. */
const TAGGING_PAGE = 100;

export const ACTIONS = AUDIT_ACTIONS;

/** Resource Explorer's query: any audited service, in the chosen regions. */
export function searchQuery(regions: RegionChoice): string {
  const services = AUDITED_SERVICES.map((s) => `service:${s}`);
  const where = regions.kind === "all" ? [] : regions.regions.map((r) => `region:${r}`);
  return [...services, ...where].join(" ");
}

type Listed = Omit<AuditInput, "managed">;

export async function listInventory(
  clients: AuditClients,
  caller: Caller,
  regions: RegionChoice,
): Promise<Listed> {
  const explorer = await resourceExplorerInventory(clients, caller, regions);
  if (explorer.kind === "listed") return explorer.listed;
  const tagged = await taggingInventory(clients, caller, regions);
  return {
    ...tagged,
    notes: [explorer.why, TAGGING_ONLY_NOTE, RESOURCE_EXPLORER_HINT, ...(tagged.notes ?? [])],
  };
}

type ExplorerResult =
  | { readonly kind: "listed"; readonly listed: Listed }
  | { readonly kind: "unavailable"; readonly why: string };

async function resourceExplorerInventory(
  clients: AuditClients,
  caller: Caller,
  regions: RegionChoice,
): Promise<ExplorerResult> {
  let aggregator: string | undefined;
  try {
    const indexes = await caller.call(ACTIONS.listIndexes, () =>
      clients
        .resourceExplorer(clients.region)
        .send(new ListIndexesCommand({ Type: "AGGREGATOR", MaxResults: 10 })),
    );
    aggregator = indexes.Indexes?.[0]?.Region;
  } catch (error) {
    if (isAccessDenied(error)) {
      return {
        kind: "unavailable",
        why: `Resource Explorer: ${deniedReason(ACTIONS.listIndexes)}`,
      };
    }
    throw error;
  }
  if (aggregator === undefined) {
    return {
      kind: "unavailable",
      why: "Resource Explorer has no aggregator index in this account",
    };
  }
  const client = clients.resourceExplorer(aggregator);
  const found: Resource[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await caller.call(ACTIONS.search, () =>
        client.send(
          new SearchCommand({
            QueryString: searchQuery(regions),
            MaxResults: SEARCH_PAGE,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
        ),
      );
      found.push(...(page.Resources ?? []));
      token = page.NextToken || undefined;
    } while (token !== undefined);
  } catch (error) {
    if (isAccessDenied(error)) {
      return { kind: "unavailable", why: `Resource Explorer: ${deniedReason(ACTIONS.search)}` };
    }
    // No default view in the aggregator's region: Search needs one (or a ViewArn).
    if (errorCodeOf(error) === "UnauthorizedException") {
      return {
        kind: "unavailable",
        why: `Resource Explorer has an aggregator index in ${aggregator} but no default view there`,
      };
    }
    throw error;
  }

  const notChecked: NotChecked[] = [];
  const discovered: DiscoveredResource[] = [];
  const untold: { arn: string; region: string }[] = [];
  for (const resource of found) {
    const arn = resource.Arn;
    if (arn === undefined) continue;
    const region = resource.Region ?? parseArn(arn)?.region ?? "global";
    const tags = resource.Properties?.find((p) => p.Name === "tags");
    if (tags === undefined) {
      untold.push({ arn, region });
      continue;
    }
    discovered.push({ arn, region, tags: tagsOf(tags.Data) });
  }
  const notes = [
    `Inventory from Resource Explorer's aggregator index in ${aggregator} (every region with an index, never-tagged resources included)`,
  ];
  if (untold.length > 0) {
    // The view does not include the tags property: ask the Tagging API for these ARNs.
    notes.push(
      `The default view does not include tags: the tags of ${untold.length} resource(s) were read with the Tagging API (add the tags property to the view to save these calls)`,
    );
    const tagged = await tagsByArn(clients, caller, untold, notChecked);
    for (const { arn, region } of untold) {
      discovered.push({ arn, region, tags: tagged.get(arn) ?? {} });
    }
  }
  return {
    kind: "listed",
    listed: { source: "resource-explorer", regions, discovered, notes, notChecked },
  };
}

function tagsOf(data: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  if (!Array.isArray(data)) return tags;
  for (const entry of data as { Key?: unknown; Value?: unknown }[]) {
    if (typeof entry?.Key === "string") {
      tags[entry.Key] = typeof entry.Value === "string" ? entry.Value : "";
    }
  }
  return tags;
}

function mappingTags(mapping: ResourceTagMapping): Record<string, string> {
  return tagsOf(mapping.Tags);
}

/** Tags of given ARNs, region by region, 100 ARNs a call. A never-tagged resource has none. */
async function tagsByArn(
  clients: AuditClients,
  caller: Caller,
  resources: readonly { arn: string; region: string }[],
  notChecked: NotChecked[],
): Promise<Map<string, Record<string, string>>> {
  const tags = new Map<string, Record<string, string>>();
  const byRegion = new Map<string, string[]>();
  for (const { arn, region } of resources) {
    byRegion.set(region, [...(byRegion.get(region) ?? []), arn]);
  }
  for (const [region, arns] of byRegion) {
    for (let i = 0; i < arns.length; i += TAGGING_PAGE) {
      const batch = arns.slice(i, i + TAGGING_PAGE);
      try {
        const page = await caller.call(ACTIONS.getResources, () =>
          clients.tagging(region).send(new GetResourcesCommand({ ResourceARNList: batch })),
        );
        for (const mapping of page.ResourceTagMappingList ?? []) {
          if (mapping.ResourceARN !== undefined)
            tags.set(mapping.ResourceARN, mappingTags(mapping));
        }
      } catch (error) {
        if (!isAccessDenied(error)) throw error;
        notChecked.push({
          what: `tags of ${batch.length} resource(s) in ${region}`,
          reason: deniedReason(ACTIONS.getResources),
        });
        // Their tags are unknown, not absent: judged as listed, and the audit is incomplete.
      }
    }
  }
  return tags;
}

async function taggingInventory(
  clients: AuditClients,
  caller: Caller,
  regions: RegionChoice,
): Promise<Listed> {
  const discovered: DiscoveredResource[] = [];
  const notChecked: NotChecked[] = [];
  const notes: string[] = [];
  const skipped: string[] = [];
  for (const region of regionsOf(regions)) {
    let token: string | undefined;
    try {
      do {
        const page = await caller.call(ACTIONS.getResources, () =>
          clients.tagging(region).send(
            new GetResourcesCommand({
              ResourceTypeFilters: [...AUDITED_SERVICES],
              ResourcesPerPage: TAGGING_PAGE,
              ...(token === undefined ? {} : { PaginationToken: token }),
            }),
          ),
        );
        for (const mapping of page.ResourceTagMappingList ?? []) {
          if (mapping.ResourceARN === undefined) continue;
          discovered.push({ arn: mapping.ResourceARN, region, tags: mappingTags(mapping) });
        }
        token = page.PaginationToken || undefined;
      } while (token !== undefined);
    } catch (error) {
      if (isRegionNotEnabled(error)) {
        if (regions.kind === "all") skipped.push(region);
        else
          notChecked.push({
            what: region,
            reason: `region ${region} is not enabled in this account`,
          });
        continue;
      }
      if (isAccessDenied(error)) {
        notChecked.push({ what: region, reason: deniedReason(ACTIONS.getResources) });
        continue;
      }
      throw error;
    }
  }
  if (skipped.length > 0) {
    notes.push(`Regions not enabled in this account, skipped: ${skipped.join(", ")}`);
  }
  return { source: "tagging-api", regions, discovered, notes, notChecked };
}
