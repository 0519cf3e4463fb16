/**
 * The doctor on AWS: each check's API call, one after the other, each on its own. A check whose
 * call is denied says "could not check: <action> denied" and the others still run; any other
 * failure (after retries) is an AWS error. `--fix` requests the tag backfill, nothing else.
 */
import {
  ListCostAllocationTagsCommand,
  StartCostAllocationTagBackfillCommand,
} from "@aws-sdk/client-cost-explorer";
import type { CostAllocationTag } from "@aws-sdk/client-cost-explorer";
import { GetExportCommand } from "@aws-sdk/client-bcm-data-exports";
import type { Registry } from "../../registry";
import { DOCTOR_ACTIONS } from "../actions";
import type { Report } from "../../reconciler";
import {
  attributionTagKeys,
  backfillRequest,
  curExportItems,
  doctorReport,
  firstSpendDay,
  invokerItems,
  skipped,
  spendRouteItems,
  tagActivationItems,
  unchecked,
} from "../doctor";
import type { CostAllocationTagInfo, DoctorItem, DoctorReport } from "../doctor";
import { deniedReason } from "../wording";
import type { Caller } from "./calls";
import { errorCodeOf, isAccessDenied } from "./calls";
import type { AuditClients } from "./clients";
import { readIam } from "./iam";

export interface DoctorOptions {
  readonly registry: Registry;
  readonly today: string;
  /**
   * The period's reconciliation report: the spend routes and the first day of spend; a CUR
   * report also ranks the unowned spend by caller and resource.
   */
  readonly report?: Report;
  /** The CUR 2.0 export the reconciler reads, when its cost source is CUR. */
  readonly curExportArn?: string;
  /** Request the tag backfill the tag check asks for. */
  readonly fix?: boolean;
}

/** Runs `check` and turns a denied call into the check's unchecked item. */
async function guarded(
  action: string,
  check: DoctorItem["check"],
  subject: string,
  run: () => Promise<DoctorItem[]>,
): Promise<DoctorItem[]> {
  try {
    return await run();
  } catch (error) {
    if (isAccessDenied(error)) return [unchecked(check, subject, deniedReason(action))];
    throw error;
  }
}

export async function runDoctor(
  clients: AuditClients,
  caller: Caller,
  options: DoctorOptions,
): Promise<DoctorReport> {
  const { registry, today, report } = options;
  const items: DoctorItem[] = [];
  const firstSpend = report === undefined ? `${today.slice(0, 7)}-01` : firstSpendDay(report);

  items.push(
    ...(await guarded(DOCTOR_ACTIONS.listTags, "tag-activation", "cost allocation tags", async () =>
      tagActivationItems(registry, await listTags(clients, caller, registry), firstSpend, today),
    )),
  );

  const exportArn = options.curExportArn;
  if (exportArn === undefined) {
    items.push(
      skipped(
        "cur-export",
        "CUR export",
        "skipped: the cost source is Cost Explorer (no CUR export given)",
      ),
    );
  } else {
    items.push(
      ...(await guarded(DOCTOR_ACTIONS.getExport, "cur-export", exportArn, () =>
        exportItems(clients, caller, exportArn),
      )),
    );
  }

  items.push(
    ...(report === undefined
      ? [
          skipped(
            "spend-routes",
            "AI spend",
            "skipped: no reconciliation report given (`reconcile --out DIR` writes one; pass --report DIR/report.json)",
          ),
        ]
      : spendRouteItems(report, registry)),
  );

  items.push(
    ...(await guarded(
      DOCTOR_ACTIONS.authorizationDetails,
      "invokers",
      "IAM roles and users",
      async () => invokerItems(await readIam(clients, caller), registry, today),
    )),
  );

  const from = backfillRequest(items);
  const backfill =
    options.fix === true && from !== undefined
      ? await requestBackfill(clients, caller, from)
      : undefined;
  return doctorReport(items, registry.source, today, backfill);
}

async function listTags(
  clients: AuditClients,
  caller: Caller,
  registry: Registry,
): Promise<CostAllocationTagInfo[]> {
  const found: CostAllocationTag[] = [];
  let token: string | undefined;
  do {
    const page = await caller.call(DOCTOR_ACTIONS.listTags, () =>
      clients.costExplorer.send(
        new ListCostAllocationTagsCommand({
          TagKeys: attributionTagKeys(registry).map((k) => k.key),
          MaxResults: 100,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      ),
    );
    found.push(...(page.CostAllocationTags ?? []));
    token = page.NextToken || undefined;
  } while (token !== undefined);
  return found.flatMap((tag) =>
    tag.TagKey === undefined
      ? []
      : [
          {
            key: tag.TagKey,
            status: tag.Status === "Active" ? ("Active" as const) : ("Inactive" as const),
            ...(tag.LastUpdatedDate === undefined ? {} : { lastUpdated: tag.LastUpdatedDate }),
            ...(tag.LastUsedDate === undefined ? {} : { lastUsed: tag.LastUsedDate }),
          },
        ],
  );
}

async function exportItems(
  clients: AuditClients,
  caller: Caller,
  arn: string,
): Promise<DoctorItem[]> {
  let answer;
  try {
    answer = await caller.call(DOCTOR_ACTIONS.getExport, () =>
      clients.dataExports.send(new GetExportCommand({ ExportArn: arn })),
    );
  } catch (error) {
    if (errorCodeOf(error) !== "ResourceNotFoundException") throw error;
    return [
      {
        check: "cur-export",
        status: "error",
        subject: arn,
        message: "no such export: the reconciler's CUR cost source reads nothing",
        fix: "point the reconciler at the export the stack created (its ARN), or create it",
      },
    ];
  }
  const exp = answer.Export;
  const s3 = exp?.DestinationConfigurations?.S3Destination;
  return curExportItems({
    arn,
    name: exp?.Name ?? arn,
    queryStatement: exp?.DataQuery?.QueryStatement ?? "",
    tableConfigurations: exp?.DataQuery?.TableConfigurations ?? {},
    format: s3?.S3OutputConfigurations?.Format,
    statusCode: answer.ExportStatus?.StatusCode,
    statusReason: answer.ExportStatus?.StatusReason,
  });
}

async function requestBackfill(
  clients: AuditClients,
  caller: Caller,
  from: string,
): Promise<NonNullable<DoctorReport["backfill"]>> {
  try {
    const answer = await caller.call(DOCTOR_ACTIONS.backfill, () =>
      clients.costExplorer.send(new StartCostAllocationTagBackfillCommand({ BackfillFrom: from })),
    );
    return { from, status: answer.BackfillRequest?.BackfillStatus ?? "requested" };
  } catch (error) {
    if (isAccessDenied(error)) return { from, status: deniedReason(DOCTOR_ACTIONS.backfill) };
    if (errorCodeOf(error) === "BackfillLimitExceededException") {
      return {
        from,
        status: "refused: a backfill was requested in the last 24 hours; try again later",
      };
    }
    throw error;
  }
}
