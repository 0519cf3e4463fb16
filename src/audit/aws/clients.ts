/**
 * The SDK clients the audit and the doctor use, one per region where the API is regional, all
 * without SDK retries (`Caller` retries, and counts every request).
 */
import { BCMDataExportsClient } from "@aws-sdk/client-bcm-data-exports";
import { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { IAMClient } from "@aws-sdk/client-iam";
import { ResourceExplorer2Client } from "@aws-sdk/client-resource-explorer-2";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";

export interface AuditClientConfig {
  /** The caller's region: where Resource Explorer is asked for its aggregator index. */
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
}

export interface AuditClients {
  readonly region: string;
  resourceExplorer(region: string): ResourceExplorer2Client;
  tagging(region: string): ResourceGroupsTaggingAPIClient;
  readonly costExplorer: CostExplorerClient;
  readonly dataExports: BCMDataExportsClient;
  readonly iam: IAMClient;
}

/** Cost Explorer and Data Exports have one endpoint each, in us-east-1; IAM is global. */
const BILLING_REGION = "us-east-1";

export function createAuditClients(config: AuditClientConfig): AuditClients {
  const common = {
    maxAttempts: 1,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...(config.credentials === undefined ? {} : { credentials: config.credentials }),
  };
  const explorers = new Map<string, ResourceExplorer2Client>();
  const taggers = new Map<string, ResourceGroupsTaggingAPIClient>();
  const cached = <T>(cache: Map<string, T>, region: string, make: () => T): T => {
    let client = cache.get(region);
    if (client === undefined) {
      client = make();
      cache.set(region, client);
    }
    return client;
  };
  return {
    region: config.region,
    resourceExplorer: (region) =>
      cached(explorers, region, () => new ResourceExplorer2Client({ ...common, region })),
    tagging: (region) =>
      cached(taggers, region, () => new ResourceGroupsTaggingAPIClient({ ...common, region })),
    costExplorer: new CostExplorerClient({ ...common, region: BILLING_REGION }),
    dataExports: new BCMDataExportsClient({ ...common, region: BILLING_REGION }),
    iam: new IAMClient({ ...common, region: BILLING_REGION }),
  };
}
