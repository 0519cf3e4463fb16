/**
 * Amazon Resource Names, read into their parts. The resource part has no one grammar: it is
 * `type/id`, `type:id`, or nested (`index/<id>/data-source/<id>`), so the parser keeps the whole
 * of it and names the first segment the type; `arn-types.ts` says which shapes it knows.
 */

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  /** Empty for global resources (IAM). */
  readonly region: string;
  readonly account: string;
  /** Everything after the account: `endpoint/triage`, `index/abc/data-source/def`. */
  readonly resource: string;
  /** The resource part split on `/` (and on the first `:` when it has no `/`). */
  readonly segments: readonly string[];
}

const ARN = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(.+)$/;

/**
 * The parts of an ARN, or undefined when the text is not one.
 *
 * @example parseArn("arn:aws:sagemaker:us-east-1:111122223333:endpoint/triage")?.segments // ["endpoint", "triage"]
 */
export function parseArn(arn: string): ParsedArn | undefined {
  const match = ARN.exec(arn);
  if (match === null) return undefined;
  const [, partition, service, region, account, resource] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const segments = resource.includes("/")
    ? resource.split("/")
    : resource.includes(":")
      ? [resource.slice(0, resource.indexOf(":")), resource.slice(resource.indexOf(":") + 1)]
      : [resource];
  return { partition, service, region, account, resource, segments };
}

/** The resource's own id: the last segment (`triage` for `endpoint/triage`). */
export function resourceIdOf(arn: ParsedArn): string {
  return arn.segments[arn.segments.length - 1] ?? arn.resource;
}
