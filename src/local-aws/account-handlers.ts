/** Every local handler of the audit's and the doctor's APIs, over one account, faults shared. */
import type { AccountFaults, AccountInventory } from "./account";
import { billingTagsHandler } from "./billing-tags";
import type { BillingTagsHandler } from "./billing-tags";
import { dataExportsHandler } from "./data-exports";
import { iamHandler } from "./iam";
import { resourceExplorerHandler } from "./resource-explorer";
import { taggingHandler } from "./tagging";
import type { ServiceHandler } from "./types";

export interface AccountHandlers {
  readonly handlers: readonly ServiceHandler[];
  readonly billingTags: BillingTagsHandler;
}

export function accountHandlers(
  account: AccountInventory,
  options: { readonly faults?: AccountFaults; readonly pageSize?: number } = {},
): AccountHandlers {
  const common = {
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  };
  const billingTags = billingTagsHandler(account, common);
  return {
    billingTags,
    handlers: [
      resourceExplorerHandler(account, common),
      taggingHandler(account, common),
      billingTags,
      dataExportsHandler(account, common),
      iamHandler(account, common),
    ],
  };
}
