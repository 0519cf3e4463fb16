/** What the audit and the doctor say more than once, in one place. */

/** The Tagging API's blind spot, said wherever its inventory is shown. */
export const TAGGING_ONLY_NOTE =
  "Inventory from the Resource Groups Tagging API: it returns only resources that carry tags or once did, so an AI resource never tagged (made in the console, say) is not listed";

/** How to turn Resource Explorer on, in one line. */
export const RESOURCE_EXPLORER_HINT =
  "To list never-tagged resources too, turn on AWS Resource Explorer: console > Resource Explorer > Quick setup (an aggregator index and a default view that includes tags), or `aws resource-explorer-2 create-index --type AGGREGATOR` then `aws resource-explorer-2 create-view --view-name all --included-properties Name=tags` and `associate-default-view`";

/** The one wording of an API call the caller's credentials may not make. */
export function deniedReason(action: string): string {
  return `could not check: ${action} denied`;
}
