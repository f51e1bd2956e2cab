/** InvalidEventPatternException, with the message EventBridge sends (Jackson's location suffix included). */
import { AwsError } from "../errors/index.js";

const PREFIX = "Event pattern is not valid. Reason: ";

export class InvalidEventPattern extends AwsError {
  readonly code = "InvalidEventPatternException";
  /** The reason without Jackson's `\n at [Source: ...]` location suffixes. */
  readonly reason: string;

  constructor(javaMessage: string) {
    super(PREFIX + javaMessage);
    this.name = "InvalidEventPattern";
    this.reason = stripLocation(javaMessage);
  }
}

/** Removes Jackson location suffixes (`\n at [Source: ...; line: 1, column: 7]`), however many there are. */
export function stripLocation(message: string): string {
  const i = message.indexOf("\n at [Source: ");
  return i < 0 ? message : message.slice(0, i);
}

/**
 * Vigil's limits for untrusted patterns (AWS publishes none beyond the 4096-character EventPattern; these bound
 * compile and match time and memory for the larger documents SNS filter policies allow). The reasons are Vigil's own.
 */
export const LIMITS = {
  /** Characters of pattern JSON. */
  patternLength: 256 * 1024,
  /** Nesting of objects and arrays. */
  depth: 256,
  /** Values (array elements and operator arguments) in one pattern. */
  values: 10_000,
  /** Sub-rules one pattern expands to (the product of `$or` branch counts). */
  subRules: 1_000,
  /** Sub-rules times their fields, summed over a pattern. */
  fieldConditions: 50_000,
} as const;

/** A Java IllegalArgumentException: its message reaches the client without a Jackson location suffix. */
export class IllegalArgument extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IllegalArgument";
  }
}

export function tooLarge(what: string): InvalidEventPattern {
  return new InvalidEventPattern(`Rule is too complex - ${what}`);
}
