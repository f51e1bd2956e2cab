/** PolicyError: a policy document that IAM's policy grammar rejects. Services map it to their own error. */

export class PolicyError extends Error {
  /**
   * Why the document was rejected, as a sentence a user can act on ("Statement 2: Effect must be \"Allow\" or
   * \"Deny\", got \"allow\""). Services put it into their own message (SNS: "Invalid parameter: Policy Error: ...",
   * S3: MalformedPolicy).
   */
  readonly reason: string;
  constructor(reason: string) {
    super(`Invalid policy: ${reason}`);
    this.name = "PolicyError";
    this.reason = reason;
  }
}

export const isPolicyError = (e: unknown): e is PolicyError => e instanceof PolicyError;

/** Policy text quoted in a reason, cut to a readable length. */
export function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 61)}...` : s;
}
