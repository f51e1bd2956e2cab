/**
 * The trail resource: its stored configuration, name and ARN rules, lookup by name or ARN, and the Trail structure
 * DescribeTrails/GetTrail return (spec cloudtrail.md §9).
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html
 */
import { awsError } from "../../errors/index.js";
import type { StoredTrail } from "../../storage/trails-store.js";
import type { RequestContext } from "../types.js";

export interface Tag {
  Key: string;
  Value?: string;
}

/** What ct_trails.config holds. */
export interface TrailConfig {
  S3BucketName: string;
  S3KeyPrefix?: string;
  SnsTopicARN?: string;
  IncludeGlobalServiceEvents: boolean;
  IsMultiRegionTrail: boolean;
  LogFileValidationEnabled: boolean;
  CloudWatchLogsLogGroupArn?: string;
  CloudWatchLogsRoleArn?: string;
  KmsKeyId?: string;
  IsOrganizationTrail: boolean;
  EventSelectors?: unknown[];
  AdvancedEventSelectors?: unknown[];
  InsightSelectors?: { InsightType: string; EventCategories?: string[] }[];
  Tags: Tag[];
}

export interface Trail extends StoredTrail {
  cfg: TrailConfig;
}

export const trailArn = (region: string, account: string, name: string) =>
  `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;

export const parseConfig = (t: StoredTrail): Trail => ({ ...t, cfg: JSON.parse(t.config) as TrailConfig });

/**
 * AWS's trail name rules and their InvalidTrailNameException messages: 3-128 of [A-Za-z0-9._-], starting and ending
 * with a letter or digit, no two special characters in a row, not an IP address.
 */
export function checkTrailName(name: string): void {
  const bad = (m: string) => awsError("InvalidTrailNameException", m);
  if (name.length < 3)
    throw bad(
      `Trail name too short. Minimum allowed length: 3 characters. Specified name length: ${name.length} characters.`,
    );
  if (name.length > 128)
    throw bad(
      `Trail name too long. Maximum allowed length: 128 characters. Specified name length: ${name.length} characters.`,
    );
  if (!/^[A-Za-z0-9]/.test(name)) throw bad("Trail name must starts with a letter or number.");
  if (!/[A-Za-z0-9]$/.test(name)) throw bad("Trail name must ends with a letter or number.");
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw bad(
      "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).",
    );
  if (/[._-]{2}/.test(name)) throw bad("Trail name cannot contain consecutive special characters.");
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) throw bad("Trail name cannot be formatted as an IP address.");
}

const ARN_RE = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

/** Name or ARN -> the ARN it names in the caller's account and region (names are of the caller's region). */
export function resolveArn(nameOrArn: string, ctx: RequestContext): string {
  if (nameOrArn.startsWith("arn:")) {
    const m = ARN_RE.exec(nameOrArn);
    if (!m) throw awsError("CloudTrailARNInvalidException", `Invalid ARN: ${nameOrArn}`);
    return nameOrArn;
  }
  checkTrailName(nameOrArn);
  return trailArn(ctx.region, ctx.account, nameOrArn);
}

const notFound = (nameOrArn: string, ctx: RequestContext) =>
  awsError("TrailNotFoundException", `Unknown trail: ${nameOrArn} for the user: ${ctx.account}`);

/**
 * The trail a name or ARN designates for the caller: its own region's trail, or (by ARN, or by name through a shadow)
 * a multi-region trail of another home region. `mutate` requires the home region (InvalidHomeRegionException).
 */
export async function findTrail(nameOrArn: string, ctx: RequestContext, mutate = false): Promise<Trail> {
  const arn = resolveArn(nameOrArn, ctx);
  let stored = await ctx.stores.trails.get(arn);
  if (!stored && !nameOrArn.startsWith("arn:")) {
    // A name may designate the shadow of a multi-region trail whose home is elsewhere.
    stored = (await ctx.stores.trails.listAccount(ctx.account)).find((t) => t.name === nameOrArn && t.multiRegion);
  }
  if (!stored || stored.account !== ctx.account) throw notFound(nameOrArn, ctx);
  if (stored.region !== ctx.region && !stored.multiRegion) throw notFound(nameOrArn, ctx);
  if (mutate && stored.region !== ctx.region) {
    throw awsError(
      "InvalidHomeRegionException",
      `This operation must be called from the trail's home region, ${stored.region}.`,
    );
  }
  return parseConfig(stored);
}

/** The Trail structure of DescribeTrails/GetTrail; optional members are omitted when unset. */
export function describe(t: Trail) {
  const c = t.cfg;
  return {
    Name: t.name,
    S3BucketName: c.S3BucketName,
    S3KeyPrefix: c.S3KeyPrefix,
    SnsTopicName: c.SnsTopicARN?.split(":").pop(),
    SnsTopicARN: c.SnsTopicARN,
    IncludeGlobalServiceEvents: c.IncludeGlobalServiceEvents,
    IsMultiRegionTrail: c.IsMultiRegionTrail,
    HomeRegion: t.region,
    TrailARN: t.arn,
    LogFileValidationEnabled: c.LogFileValidationEnabled,
    CloudWatchLogsLogGroupArn: c.CloudWatchLogsLogGroupArn,
    CloudWatchLogsRoleArn: c.CloudWatchLogsRoleArn,
    KmsKeyId: c.KmsKeyId,
    HasCustomEventSelectors: !!(c.EventSelectors || c.AdvancedEventSelectors),
    HasInsightSelectors: !!c.InsightSelectors?.length,
    IsOrganizationTrail: c.IsOrganizationTrail,
  };
}

/** The flat output of CreateTrail/UpdateTrail (no HomeRegion, no derived flags). */
export function createOutput(t: Trail) {
  const { HomeRegion: _h, HasCustomEventSelectors: _c, HasInsightSelectors: _i, ...rest } = describe(t);
  return rest;
}
