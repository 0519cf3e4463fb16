/**
 * The AWS settings every command that calls AWS takes from the environment: region, endpoint
 * (`AWS_ENDPOINT_URL`, the local AWS in tests) and static credentials, and the check that some
 * credentials exist before the first request.
 */
import type { Io } from "./io";

export function clientConfig(io: Io) {
  const endpoint = io.env.AWS_ENDPOINT_URL;
  const key = io.env.AWS_ACCESS_KEY_ID;
  const secret = io.env.AWS_SECRET_ACCESS_KEY;
  return {
    region: io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? "us-east-1",
    ...(endpoint ? { endpoint } : {}),
    ...(key && secret
      ? {
          credentials: {
            accessKeyId: key,
            secretAccessKey: secret,
            sessionToken: io.env.AWS_SESSION_TOKEN,
          },
        }
      : {}),
  };
}

/**
 * Why no AWS credentials are available, or undefined when the SDK finds some. Asked before
 * any request: without it the first request fails with the SDK's CredentialsProviderError,
 * which reads as if the service had refused the request.
 */
export async function missingCredentials(
  client: { config: { credentials: () => Promise<unknown> } },
  what: string,
): Promise<string | undefined> {
  try {
    await client.config.credentials();
    return undefined;
  } catch (error) {
    if ((error as Error).name !== "CredentialsProviderError") return undefined;
    return (
      `no AWS credentials found (${(error as Error).message}): ${what} with your ` +
      "credentials; set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws sso login`"
    );
  }
}
