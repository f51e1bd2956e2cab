/**
 * Classifies IP addresses for the outbound HTTP guard (SSRF): which ones a delivery may connect to. Ranges from the
 * IANA special-purpose registries (RFC 6890 and successors); addresses that embed an IPv4 address (IPv4-mapped,
 * IPv4-compatible, NAT64, 6to4) are judged by the address they embed, since that is where the packets go.
 */
import { isIP } from "node:net";

/**
 * public: anything not below. metadata: cloud instance metadata and credential endpoints, refused unless named;
 * unspecified: 0.0.0.0 and :: reach the local host on Linux; reserved: multicast, documentation, benchmarking, future use.
 */
export type AddressClass = "public" | "loopback" | "private" | "linkLocal" | "metadata" | "unspecified" | "reserved";

type Range = [cls: AddressClass, bytes: number[], prefix: number];

const v4 = (cls: AddressClass, cidr: string): Range => {
  const [a, p] = cidr.split("/");
  return [cls, a!.split(".").map(Number), Number(p)];
};
const v6 = (cls: AddressClass, cidr: string): Range => {
  const [a, p] = cidr.split("/");
  return [cls, [...parseIPv6(a!)!], Number(p)];
};

// Most specific first: the first range that contains an address decides.
const V4: Range[] = [
  v4("metadata", "169.254.169.254/32"), // AWS, GCP, Azure, OpenStack instance metadata
  v4("metadata", "169.254.170.2/32"), // ECS task credentials
  v4("metadata", "100.100.100.200/32"), // Alibaba Cloud metadata
  v4("unspecified", "0.0.0.0/8"),
  v4("private", "10.0.0.0/8"),
  v4("private", "100.64.0.0/10"), // shared address space (carrier-grade NAT)
  v4("loopback", "127.0.0.0/8"),
  v4("linkLocal", "169.254.0.0/16"),
  v4("private", "172.16.0.0/12"),
  v4("reserved", "192.0.0.0/24"),
  v4("reserved", "192.0.2.0/24"),
  v4("private", "192.168.0.0/16"),
  v4("reserved", "198.18.0.0/15"),
  v4("reserved", "198.51.100.0/24"),
  v4("reserved", "203.0.113.0/24"),
  v4("reserved", "224.0.0.0/4"),
  v4("reserved", "240.0.0.0/4"),
];

const V6: Range[] = [
  v6("metadata", "fd00:ec2::254/128"), // AWS instance metadata over IPv6
  v6("unspecified", "::/128"),
  v6("loopback", "::1/128"),
  v6("reserved", "100::/64"), // discard-only
  v6("reserved", "2001:db8::/32"), // documentation
  v6("private", "fc00::/7"), // unique local
  v6("linkLocal", "fe80::/10"),
  v6("reserved", "fec0::/10"), // deprecated site-local
  v6("reserved", "ff00::/8"), // multicast
];

/** The IPv4 address an IPv6 address hands its packets to, if it embeds one. */
function embeddedV4(b: Uint8Array): number[] | undefined {
  const zero = (from: number, to: number) => b.subarray(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated; not :: and ::1, which are classified above)
  if (zero(0, 10) && ((b[10] === 0xff && b[11] === 0xff) || (b[10] === 0 && b[11] === 0 && !zero(12, 15))))
    return [...b.subarray(12, 16)];
  // 64:ff9b::/96 (NAT64) and 64:ff9b:1::/48 (local-use NAT64)
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) return [...b.subarray(12, 16)];
  // 2002::/16 (6to4): the IPv4 address is bits 16-47
  if (b[0] === 0x20 && b[1] === 0x02) return [...b.subarray(2, 6)];
  return undefined;
}

function inRange(bytes: ArrayLike<number>, range: Range): boolean {
  const [, base, prefix] = range;
  for (let bit = 0; bit < prefix; bit += 8) {
    const mask = prefix - bit >= 8 ? 0xff : (0xff << (8 - (prefix - bit))) & 0xff;
    if ((bytes[bit / 8]! & mask) !== (base[bit / 8]! & mask)) return false;
  }
  return true;
}

const classOf = (bytes: ArrayLike<number>, ranges: Range[]): AddressClass =>
  ranges.find((r) => inRange(bytes, r))?.[0] ?? "public";

/** The class of an IP address literal (IPv6 may carry a zone, fe80::1%eth0); throws TypeError for a non-address. */
export function classifyAddress(address: string): AddressClass {
  const ip = address.replace(/%.*$/, "");
  const family = isIP(ip);
  if (family === 4) return classOf(ip.split(".").map(Number), V4);
  if (family !== 6) throw new TypeError(`not an IP address: ${address}`);
  const bytes = parseIPv6(ip)!;
  const inner = embeddedV4(bytes);
  if (inner) return classOf(inner, V4);
  return classOf(bytes, V6);
}

/** 16 bytes of an IPv6 literal (with :: and a trailing dotted IPv4), or undefined when it is not one. */
export function parseIPv6(s: string): Uint8Array | undefined {
  if (isIP(s) !== 6) return undefined;
  let text = s;
  const tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[2]!.split(".").map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    text = dotted[1]!.endsWith("::") ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const words = (part: string) => (part === "" ? [] : part.split(":").map((w) => parseInt(w, 16)));
  const gap = text.indexOf("::");
  let all: number[];
  if (gap >= 0) {
    const left = words(text.slice(0, gap));
    const right = [...words(text.slice(gap + 2)), ...tail];
    all = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else all = [...words(text), ...tail];
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}
