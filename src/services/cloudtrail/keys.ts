/**
 * Per-region digest signing keys. Each region has RSA 2048-bit keys (e = 65537, as AWS's) valid for 30 days with
 * overlapping windows (a new key is made once the current one has less than a day left). The private part never
 * leaves the server: it lives in `<dataDir>/cloudtrail-keys/` in files of mode 0600 (in memory only when ephemeral).
 * ListPublicKeys returns the public parts whose validity window overlaps the requested range (spec §4.5).
 */
import { generateKeyPair, createPrivateKey, type KeyObject } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, renameSync, chmodSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { fingerprint, publicKeyDer } from "./signing.js";

const generate = promisify(generateKeyPair);

/** AWS's sample keys are valid for 2 592 000 s (30 days). */
export const KEY_VALIDITY_MS = 30 * 24 * 3600 * 1000;
const ROTATE_BEFORE_END_MS = 24 * 3600 * 1000;

export interface SigningKey {
  region: string;
  /** Epoch ms. */
  validityStart: number;
  validityEnd: number;
  privateKey: KeyObject;
  /** PKCS#1 RSAPublicKey DER. */
  der: Buffer;
  fingerprint: string;
}

interface KeyFile {
  region: string;
  validityStart: number;
  validityEnd: number;
  privateKeyPem: string;
}

export class KeyRing {
  private readonly keys = new Map<string, SigningKey[]>();
  private readonly making = new Map<string, Promise<SigningKey>>();
  private readonly dir?: string;

  /** `dataDir` undefined keeps keys in memory only (ephemeral servers). */
  constructor(dataDir?: string) {
    if (dataDir === undefined) return;
    this.dir = path.join(dataDir, "cloudtrail-keys");
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith(".json")) continue;
      try {
        const f = JSON.parse(readFileSync(path.join(this.dir, name), "utf8")) as KeyFile;
        this.add(f.region, f.validityStart, f.validityEnd, createPrivateKey(f.privateKeyPem));
      } catch {
        // A damaged key file is skipped: its digests no longer verify, which validate-logs reports.
      }
    }
  }

  /** The key that signs in `region` at `now`, made (and persisted) when there is none valid long enough. */
  async current(region: string, now: number): Promise<SigningKey> {
    const list = this.keys.get(region) ?? [];
    const usable = list.filter((k) => k.validityStart <= now && now < k.validityEnd - ROTATE_BEFORE_END_MS);
    if (usable.length) return usable[usable.length - 1];
    let pending = this.making.get(region);
    if (!pending) {
      pending = this.make(region, now).finally(() => this.making.delete(region));
      this.making.set(region, pending);
    }
    return pending;
  }

  /** Keys of `region` whose validity window overlaps [start, end] (epoch ms), oldest first. */
  list(region: string, start: number, end: number): SigningKey[] {
    return (this.keys.get(region) ?? []).filter((k) => k.validityStart <= end && k.validityEnd >= start);
  }

  /** Every key of every region (verify-trail against a live server's directory). */
  all(): SigningKey[] {
    return [...this.keys.values()].flat();
  }

  private async make(region: string, now: number): Promise<SigningKey> {
    const { privateKey } = await generate("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
    const key = this.add(region, now, now + KEY_VALIDITY_MS, privateKey);
    if (this.dir) {
      const file: KeyFile = {
        region,
        validityStart: key.validityStart,
        validityEnd: key.validityEnd,
        privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
      };
      const target = path.join(this.dir, `${region}-${key.validityStart}-${key.fingerprint}.json`);
      const tmp = `${target}.tmp`;
      writeFileSync(tmp, JSON.stringify(file), { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, target);
    }
    return key;
  }

  private add(region: string, validityStart: number, validityEnd: number, privateKey: KeyObject): SigningKey {
    const der = publicKeyDer(privateKey);
    const key: SigningKey = { region, validityStart, validityEnd, privateKey, der, fingerprint: fingerprint(der) };
    const list = this.keys.get(region) ?? [];
    list.push(key);
    list.sort((a, b) => a.validityStart - b.validityStart);
    this.keys.set(region, list);
    return key;
  }
}
