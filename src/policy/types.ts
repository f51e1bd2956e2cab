/**
 * The types of parsed resource policies. A Policy is the validated, compiled form of a JSON policy document: every
 * pattern is compiled once at parse time so evaluation does no parsing.
 */

export type Principal =
  { type: "Service"; service: string } | { type: "AWS"; account: string; arn: string } | { type: "Anonymous" };

export interface PolicyRequest {
  principal: Principal;
  /** e.g. "sns:Publish", "s3:PutObject", "events:PutEvents", "sqs:SendMessage". */
  action: string;
  /** The resource ARN (S3 objects: arn:aws:s3:::bucket/key). */
  resource: string;
  /** Condition keys: aws:SourceArn, aws:SourceAccount, aws:PrincipalAccount, aws:PrincipalOrgID, s3:x-amz-acl, ... */
  context?: Record<string, string | string[] | undefined>;
}

/** Allow: an Allow statement matched and no Deny; Deny: a Deny statement matched; Implicit: nothing matched. */
export type Decision = "Allow" | "Deny" | "Implicit";

/** The two policy language versions IAM accepts. */
export type PolicyVersion = "2008-10-17" | "2012-10-17";

export interface ParseOptions {
  /** A statement must name a Principal or NotPrincipal (resource policies). Default true. */
  requirePrincipal?: boolean;
  /** A statement must name a Resource or NotResource (S3 bucket policies). Default false: absent = any resource. */
  requireResource?: boolean;
  /** Largest document accepted, in UTF-8 bytes, checked before parsing. Default 20480 (S3 and SQS: 20 KB). */
  maxBytes?: number;
  /** Largest number of statements accepted. Default 500. */
  maxStatements?: number;
}

/** A compiled test of a string: a glob (`*`, `?`) or an exact value. */
export interface StringMatcher {
  readonly source: string;
  /** `ctx`: the request's condition keys (lower-case names), for policy variables. */
  test(value: string, ctx?: ReadonlyMap<string, readonly string[] | undefined>): boolean;
}

/** A Principal or NotPrincipal element. */
export interface PrincipalSet {
  /** "*" or {"AWS": "*"}: everyone, anonymous callers included. */
  readonly any: boolean;
  /** 12-digit accounts named by id or by their root ARN: every principal of the account. */
  readonly accounts: ReadonlySet<string>;
  /** User, role and session ARNs named exactly. */
  readonly arns: ReadonlySet<string>;
  /** Roles named by ARN, as "<account>/<role name>": also match that role's assumed-role sessions. */
  readonly roles: ReadonlySet<string>;
  /** Service principals, lower case ("sns.amazonaws.com"). */
  readonly services: ReadonlySet<string>;
}

/** The base operators of the condition language (without set qualifier and IfExists). */
export type ConditionOperatorName =
  | "StringEquals"
  | "StringNotEquals"
  | "StringEqualsIgnoreCase"
  | "StringNotEqualsIgnoreCase"
  | "StringLike"
  | "StringNotLike"
  | "ArnEquals"
  | "ArnLike"
  | "ArnNotEquals"
  | "ArnNotLike"
  | "NumericEquals"
  | "NumericNotEquals"
  | "NumericLessThan"
  | "NumericLessThanEquals"
  | "NumericGreaterThan"
  | "NumericGreaterThanEquals"
  | "DateEquals"
  | "DateNotEquals"
  | "DateLessThan"
  | "DateLessThanEquals"
  | "DateGreaterThan"
  | "DateGreaterThanEquals"
  | "Bool"
  | "BinaryEquals"
  | "IpAddress"
  | "NotIpAddress"
  | "Null";

/** One key of one operator block: `"StringEquals": {"aws:SourceAccount": ["1", "2"]}` gives one clause. */
export interface ConditionClause {
  /** The operator as written, e.g. "ForAnyValue:StringLikeIfExists". */
  readonly operator: string;
  readonly base: ConditionOperatorName;
  readonly qualifier?: "ForAnyValue" | "ForAllValues";
  readonly ifExists: boolean;
  /** The key as written ("AWS:SourceOwner"); looked up case-insensitively. */
  readonly key: string;
  /** The policy values as strings (numbers and booleans in the JSON are turned into their text). */
  readonly values: readonly string[];
  /** True when the request value `v` passes the positive form of the operator against any policy value. */
  readonly positive: (v: string, ctx: ReadonlyMap<string, readonly string[] | undefined>) => boolean;
  /** The Not forms (StringNotEquals, ArnNotLike, NotIpAddress, ...). */
  readonly negated: boolean;
}

export interface Statement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly principal?: PrincipalSet;
  readonly notPrincipal?: PrincipalSet;
  readonly action?: readonly StringMatcher[];
  readonly notAction?: readonly StringMatcher[];
  readonly resource?: readonly StringMatcher[];
  readonly notResource?: readonly StringMatcher[];
  readonly conditions: readonly ConditionClause[];
  /** The statement object as written, for services that edit policies (AddPermission, RemovePermission). */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface Policy {
  readonly version: PolicyVersion;
  readonly id?: string;
  readonly statements: readonly Statement[];
  /** The document as parsed. */
  readonly raw: Readonly<Record<string, unknown>>;
}
