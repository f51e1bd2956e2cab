/**
 * The parsed form of an event pattern: a list of sub-rules (one per combination of `$or` branches), each a list of
 * fields sorted by path, each field a list of alternative matchers. A sub-rule matches when every field does; a
 * pattern matches when any sub-rule does.
 */
import type { IpRange } from "./cidr.js";
import type { IgnoreCase } from "./ignore-case.js";
import type { Wildcard } from "./wildcard.js";

export type Matcher =
  /** A string value, exactly (also `{"exactly": "..."}`). */
  | { readonly kind: "exact"; readonly value: string }
  /** A number literal: any equal number (as doubles). */
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "literal"; readonly value: boolean | null }
  /** `cidr`, or a plain string in the pattern that is an IP address. */
  | { readonly kind: "ip"; readonly range: IpRange }
  | { readonly kind: "prefix" | "suffix"; readonly value: string }
  | { readonly kind: "equals-ignore-case" | "prefix-ignore-case" | "suffix-ignore-case"; readonly value: IgnoreCase }
  | { readonly kind: "wildcard"; readonly value: Wildcard }
  /** `=` is a closed range of one number; open-ended ranges use infinite bounds. */
  | {
      readonly kind: "numeric";
      readonly lo: number;
      readonly loOpen: boolean;
      readonly hi: number;
      readonly hiOpen: boolean;
    }
  | { readonly kind: "exists" }
  /** `{"exists": false}`: no value at the path (array-consistently, see match.ts). */
  | { readonly kind: "absent" }
  | { readonly kind: "anything-but"; readonly values: readonly string[] }
  | { readonly kind: "anything-but-number"; readonly values: readonly number[] }
  | { readonly kind: "anything-but-ignore-case"; readonly values: readonly IgnoreCase[] }
  | { readonly kind: "anything-but-prefix" | "anything-but-suffix"; readonly values: readonly string[] }
  | { readonly kind: "anything-but-wildcard"; readonly values: readonly Wildcard[] };

export interface Field {
  /** Dot-joined path, e.g. "detail.state". */
  readonly path: string;
  readonly matchers: readonly Matcher[];
}

export interface SubRule {
  readonly fields: readonly Field[];
}

export interface ParsedPattern {
  readonly source: string;
  readonly subRules: readonly SubRule[];
}
