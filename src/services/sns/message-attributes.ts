/**
 * Publish's MessageAttributes: names, data types (String, String.Array, Number, Binary, with custom suffixes) and
 * values, checked with the messages SNS was recorded answering (ParameterValueInvalid), and their size toward the
 * 256 KB limit. https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
 */
import type { SnsMessageAttribute } from "../internal.js";
import { parameterValueInvalid } from "./errors.js";

/** A decoded attribute: BinaryValue arrives as bytes from the codec, or base64 from internal callers. */
export interface InputAttribute {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Uint8Array | string;
}

const NAME_CHAR = /^[A-Za-z0-9_.-]$/;

function checkName(name: string): void {
  if (Buffer.byteLength(name) >= 256)
    throw parameterValueInvalid("Length of message attribute name must be less than 256 bytes.");
  for (const ch of name) {
    if (!NAME_CHAR.test(ch)) {
      const hex = ch.codePointAt(0)!.toString(16).toUpperCase();
      throw parameterValueInvalid(
        `Invalid non-alphanumeric character '#x${hex}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
      );
    }
  }
  if (name.startsWith("."))
    throw parameterValueInvalid("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith("."))
    throw parameterValueInvalid("Invalid message attribute name ending with character '.' was found.");
  if (name.includes("..")) throw parameterValueInvalid("Message attribute name can not have successive '.' character.");
}

/** Checks and normalizes the attributes (binary values to base64); returns them and their size in bytes. */
export function checkMessageAttributes(input: Record<string, InputAttribute> | undefined): {
  attributes: Record<string, SnsMessageAttribute> | undefined;
  size: number;
} {
  if (!input || Object.keys(input).length === 0) return { attributes: undefined, size: 0 };
  const out: Record<string, SnsMessageAttribute> = {};
  let size = 0;
  for (const [name, a] of Object.entries(input)) {
    checkName(name);
    const type = a.DataType ?? "";
    const base = type.split(".")[0];
    if (base !== "String" && base !== "Number" && base !== "Binary")
      throw parameterValueInvalid(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    const field = base === "Binary" ? "Binary" : "String";
    const binary =
      a.BinaryValue === undefined
        ? undefined
        : typeof a.BinaryValue === "string"
          ? Buffer.from(a.BinaryValue, "base64")
          : Buffer.from(a.BinaryValue);
    if (field === "String") {
      if (a.StringValue === undefined && binary !== undefined)
        throw parameterValueInvalid(`The message attribute '${name}' with type '${base}' must use field 'String'.`);
      if (!a.StringValue)
        throw parameterValueInvalid(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${base}'.`,
        );
      if (base === "Number" && !isNumber(a.StringValue))
        throw parameterValueInvalid(
          `An invalid or out-of-range value '${a.StringValue}' was supplied for message attribute '${name}' of type 'Number'.`,
        );
      if (type === "String.Array" && !isArrayText(a.StringValue))
        throw parameterValueInvalid(
          `The message attribute '${name}' with type 'String.Array' must contain a JSON array of strings, numbers, true, false or null.`,
        );
      out[name] = { DataType: type, StringValue: a.StringValue };
      size += Buffer.byteLength(a.StringValue);
    } else {
      if (binary === undefined && a.StringValue !== undefined)
        throw parameterValueInvalid(`The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
      if (!binary || binary.length === 0)
        throw parameterValueInvalid(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type 'Binary'.`,
        );
      out[name] = { DataType: type, BinaryValue: binary.toString("base64") };
      size += binary.length;
    }
    size += Buffer.byteLength(name) + Buffer.byteLength(type);
  }
  return { attributes: out, size };
}

/** SNS Number: up to 38 digits of precision between -10^128 and 10^126 (SQS's rule, which SNS shares). */
function isNumber(s: string): boolean {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim())) return false;
  const n = Number(s);
  return Number.isFinite(n) && Math.abs(n) <= 1e126;
}

function isArrayText(s: string): boolean {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) && v.every((e) => e === null || ["string", "number", "boolean"].includes(typeof e));
  } catch {
    return false;
  }
}
