/**
 * KMS keys named by CreateLogGroup and AssociateKmsKey. Vigil has no KMS, so a key cannot be checked for existence
 * or state; it must at least be what the API asks for, a KMS key ARN (AWS answers InvalidParameterException for a
 * key it cannot use).
 */
import { invalidParameter } from "./errors.js";

const KMS_KEY_ARN = /^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

export function checkKmsKeyArn(kmsKeyId: string): void {
  if (!KMS_KEY_ARN.test(kmsKeyId)) throw invalidParameter(`Specified KMS key is not a valid key ARN: ${kmsKeyId}`);
}
