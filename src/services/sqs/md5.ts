/**
 * The MD5 digests SQS answers with, computed as AWS computes them (SQS Developer Guide, "Calculating the MD5 message
 * digest for message attributes"): attributes sorted by name; each encoded as its name, its data type (each as a
 * 4-byte big-endian length then UTF-8 bytes), one transport byte (1 for String and Number, 2 for Binary; 3 and 4 for
 * the reserved list values), then its value (length then bytes); MD5 over the concatenation. Message system attributes
 * (AWSTraceHeader) use the same encoding.
 */
import { createHash } from "node:crypto";

export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
  StringListValues?: string[];
  BinaryListValues?: Uint8Array[];
}

export const md5Hex = (data: string | Uint8Array): string => createHash("md5").update(data).digest("hex");

function lengthPrefixed(bytes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(4 + bytes.length);
  out.writeUInt32BE(bytes.length, 0);
  out.set(bytes, 4);
  return out;
}

const utf8 = (s: string) => Buffer.from(s, "utf8");

/** The digest of a set of message (or message system) attributes; undefined when there are none. */
export function md5OfAttributes(attributes: Record<string, AttributeValue> | undefined): string | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const a = attributes[name]!;
    parts.push(lengthPrefixed(utf8(name)), lengthPrefixed(utf8(a.DataType)));
    if (a.StringValue !== undefined) {
      parts.push(Buffer.of(1), lengthPrefixed(utf8(a.StringValue)));
    } else if (a.BinaryValue !== undefined) {
      parts.push(Buffer.of(2), lengthPrefixed(a.BinaryValue));
    } else if (a.StringListValues !== undefined) {
      parts.push(Buffer.of(3));
      for (const v of a.StringListValues) parts.push(lengthPrefixed(utf8(v)));
    } else if (a.BinaryListValues !== undefined) {
      parts.push(Buffer.of(4));
      for (const v of a.BinaryListValues) parts.push(lengthPrefixed(v));
    }
  }
  return md5Hex(Buffer.concat(parts));
}
