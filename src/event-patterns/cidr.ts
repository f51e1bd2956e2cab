/**
 * IP addresses and CIDR blocks as EventBridge reads them (event-ruler's CIDR class on Java's InetAddress): IPv4 in
 * dotted decimal, IPv6 in hex groups (no embedded IPv4 part), an IPv4-mapped IPv6 address is the IPv4 address.
 * Addresses compare as fixed-length upper-case hex strings (8 digits for IPv4, 32 for IPv6).
 * AWS page: "IP address matching" in "Content filtering in Amazon EventBridge event patterns".
 */
import { IllegalArgument } from "./errors.js";

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

export interface IpRange {
  /** Inclusive bounds, hex strings of equal length. */
  readonly lo: string;
  readonly hi: string;
}

/** The address bytes, or "nonstandard" (not shaped like an address) or "invalid" (shaped like one, but wrong). */
function ipBytes(text: string): number[] | "nonstandard" | "invalid" {
  if (IPV4_SHAPE.test(text)) return ipv4Bytes(text) ?? "invalid";
  if (IPV6_SHAPE.test(text)) return ipv6Bytes(text) ?? "invalid";
  return "nonstandard";
}

/** Java's IPAddressUtil.textToNumericFormatV4 for the four-part form the shape check lets through. */
function ipv4Bytes(text: string): number[] | undefined {
  const out: number[] = [];
  let v = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      out.push(v);
      v = 0;
    } else {
      v = v * 10 + (c - 0x30);
      if (v > 255) return undefined;
    }
  }
  out.push(v);
  return out;
}

/** Java's IPAddressUtil.textToNumericFormatV6 (without the IPv4 suffix form, which the shape check excludes). */
function ipv6Bytes(text: string): number[] | undefined {
  if (text.length < 2) return undefined;
  const dst = new Array<number>(16).fill(0);
  let i = 0;
  let j = 0;
  let colonp = -1;
  if (text.charCodeAt(0) === 0x3a) {
    i = 1;
    if (text.charCodeAt(1) !== 0x3a) return undefined;
  }
  let sawDigit = false;
  let val = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i++);
    const d = hexDigit(ch);
    if (d >= 0) {
      val = (val << 4) | d;
      if (val > 0xffff) return undefined;
      sawDigit = true;
      continue;
    }
    // only ':' remains possible after the shape check
    if (!sawDigit) {
      if (colonp !== -1) return undefined;
      colonp = j;
      continue;
    } else if (i === text.length) {
      return undefined;
    }
    if (j + 2 > 16) return undefined;
    dst[j++] = (val >> 8) & 0xff;
    dst[j++] = val & 0xff;
    sawDigit = false;
    val = 0;
  }
  if (sawDigit) {
    if (j + 2 > 16) return undefined;
    dst[j++] = (val >> 8) & 0xff;
    dst[j++] = val & 0xff;
  }
  if (colonp !== -1) {
    const n = j - colonp;
    if (j === 16) return undefined;
    for (let k = 1; k <= n; k++) {
      dst[16 - k] = dst[colonp + n - k]!;
      dst[colonp + n - k] = 0;
    }
    j = 16;
  }
  if (j !== 16) return undefined;
  // Java's InetAddress turns an IPv4-mapped IPv6 address (::ffff:a.b.c.d) into the IPv4 address.
  let mapped = dst[10] === 0xff && dst[11] === 0xff;
  for (let k = 0; k < 10 && mapped; k++) if (dst[k] !== 0) mapped = false;
  return mapped ? dst.slice(12) : dst;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

const HEX = "0123456789ABCDEF";

function toHex(bytes: readonly number[]): string {
  let s = "";
  for (const b of bytes) s += HEX[b >> 4]! + HEX[b & 15]!;
  return s;
}

/** The hex form of an event value that is an IP address, else undefined. */
export function ipToHex(text: string): string | undefined {
  if (text.length < 2 || text.length > 256) return undefined;
  const c = text.charCodeAt(0);
  if (hexDigit(c) < 0 && c !== 0x3a) return undefined;
  const b = ipBytes(text);
  return typeof b === "string" ? undefined : toHex(b);
}

/** A plain string in a pattern that is an IP address matches that address in any spelling (event-ruler). */
export function ipExactRange(text: string): IpRange | undefined {
  const hex = ipToHex(text);
  return hex === undefined ? undefined : { lo: hex, hi: hex };
}

/** Java's Integer.parseInt, which accepts a sign. */
function javaParseInt(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const v = Number(s);
  return v >= -2147483648 && v <= 2147483647 ? v : undefined;
}

/** Java's String.split("/"): trailing empty strings are dropped. */
function javaSplitSlash(s: string): string[] {
  if (!s.includes("/")) return [s];
  const parts = s.split("/");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** `{"cidr": "10.0.0.0/24"}`: the block, floored to the mask as event-ruler does since 1.2.1; throws AWS's errors. */
export function cidrRange(text: string): IpRange {
  const slashed = javaSplitSlash(text);
  if (slashed.length !== 2) throw new IllegalArgument("Malformed CIDR, one '/' required");
  const maskBits = javaParseInt(slashed[1]!);
  if (maskBits === undefined) throw new IllegalArgument("Malformed CIDR, mask bits must be an integer");
  if (maskBits < 0) throw new IllegalArgument("Malformed CIDR, mask bits must not be negative");
  const ip = slashed[0]!;
  const bytes = ipBytes(ip);
  if (bytes === "invalid") throw new IllegalArgument(`Invalid IP address: ${ip}`);
  if (bytes === "nonstandard") throw new IllegalArgument(`Nonstandard IP address: ${ip}`);
  if (bytes.length === 4) {
    if (maskBits > 31) throw new IllegalArgument("IPv4 mask bits must be < 32");
  } else if (maskBits > 127) {
    throw new IllegalArgument("IPv6 mask bits must be < 128");
  }
  const lo: number[] = [];
  const hi: number[] = [];
  let bits = maskBits;
  for (const b of bytes) {
    const keep = bits >= 8 ? 0xff : bits <= 0 ? 0 : (0xff << (8 - bits)) & 0xff;
    lo.push(b & keep);
    hi.push((b & keep) | (~keep & 0xff));
    bits -= 8;
  }
  return { lo: toHex(lo), hi: toHex(hi) };
}
