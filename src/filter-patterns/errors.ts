/** The InvalidParameterException answers CloudWatch Logs gives for a filter pattern it cannot parse. */
import { awsError, type AwsError } from "../errors/index.js";

/** AWS's generic answer (FilterLogEvents; PutMetricFilter and TestMetricFilter say "Invalid metric filter pattern"). */
export const GENERIC_MESSAGE = "Invalid filter pattern";

export const invalidPattern = (message: string = GENERIC_MESSAGE): AwsError =>
  awsError("InvalidParameterException", message);

/**
 * A character AWS does not accept where it stands. AWS quotes the offending "term": for an unquoted word the bad
 * character (`?Status:` -> `':'`), for a JSON selector the selector up to it (`$."sc-status"` -> `'$."'`), for a
 * number-only operand the whole operand (`>= "123"` -> `'"123"'`).
 */
export const invalidCharacter = (term: string): AwsError =>
  awsError("InvalidParameterException", `Invalid character(s) in term '${term}'`);

/** Hard limits on untrusted patterns (AWS's model caps a pattern at 1024 characters, which bounds all the others). */
export const LIMITS = {
  patternLength: 1024,
  /** AWS: "a limit of 2 regex for each filter pattern". */
  regexes: 2,
  /** AWS: "up to one wildcard selector in a property selector". */
  wildcardsPerSelector: 1,
  /** AWS: "up to three wildcard selectors in a filter pattern with compound expressions". */
  wildcardSelectors: 3,
  /** Ours: parenthesis nesting in JSON patterns (bounds parser recursion). */
  nesting: 64,
  /** Ours: conditions in a JSON pattern, terms in a term pattern, fields in a space-delimited pattern. */
  items: 256,
  /** Ours: path steps in one JSON selector. */
  selectorSteps: 64,
} as const;
