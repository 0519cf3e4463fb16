/** The audit on AWS: list the inventory, then judge it (the core's `auditInventory`). */
import type { AuditOptions, AuditReport } from "../inventory";
import { auditInventory } from "../inventory";
import type { ManagedIndex } from "../managed";
import type { RegionChoice } from "../regions";
import type { Caller } from "./calls";
import type { AuditClients } from "./clients";
import { listInventory } from "./inventory";

export async function runAudit(
  clients: AuditClients,
  caller: Caller,
  options: AuditOptions & { readonly regions: RegionChoice; readonly managed?: ManagedIndex },
): Promise<AuditReport> {
  const listed = await listInventory(clients, caller, options.regions);
  return auditInventory(
    { ...listed, ...(options.managed === undefined ? {} : { managed: options.managed }) },
    options,
  );
}
