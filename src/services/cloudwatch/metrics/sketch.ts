/**
 * A mergeable relative-error quantile sketch for CloudWatch percentiles (the DDSketch construction: logarithmic
 * buckets of ratio gamma = (1 + a) / (1 - a)). Every quantile it answers is within a relative error of ALPHA (1%) of
 * a value at that rank; sketches of any two periods merge exactly (bucket counts add), so roll-ups keep the bound.
 * Buckets are kept sparse in a Map and serialized as (int32 index, float64 count) pairs.
 */

/** Relative accuracy of every percentile Vigil answers (docs/cloudwatch.md). */
export const ALPHA = 0.01;
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const LN_GAMMA = Math.log(GAMMA);
/** Values closer to zero than this are counted as zero. */
const MIN_INDEXABLE = 1e-9;

export class Sketch {
  /** Bucket index -> count, for positive values and (mirrored) negative values. */
  readonly pos = new Map<number, number>();
  readonly neg = new Map<number, number>();
  zero = 0;
  count = 0;

  add(value: number, weight = 1): void {
    if (!(weight > 0)) return;
    this.count += weight;
    if (Math.abs(value) < MIN_INDEXABLE) {
      this.zero += weight;
      return;
    }
    const store = value > 0 ? this.pos : this.neg;
    const k = Math.ceil(Math.log(Math.abs(value)) / LN_GAMMA);
    store.set(k, (store.get(k) ?? 0) + weight);
  }

  merge(other: Sketch): void {
    this.count += other.count;
    this.zero += other.zero;
    for (const [k, c] of other.pos) this.pos.set(k, (this.pos.get(k) ?? 0) + c);
    for (const [k, c] of other.neg) this.neg.set(k, (this.neg.get(k) ?? 0) + c);
  }

  /** The value at quantile q (0..1), or undefined when empty. */
  quantile(q: number): number | undefined {
    if (this.count <= 0) return undefined;
    const rank = q * (this.count - 1);
    let seen = 0;
    const negKeys = [...this.neg.keys()].sort((a, b) => b - a);
    for (const k of negKeys) {
      seen += this.neg.get(k)!;
      if (seen > rank) return -bucketValue(k);
    }
    seen += this.zero;
    if (seen > rank) return 0;
    const posKeys = [...this.pos.keys()].sort((a, b) => a - b);
    for (const k of posKeys) {
      seen += this.pos.get(k)!;
      if (seen > rank) return bucketValue(k);
    }
    return posKeys.length ? bucketValue(posKeys[posKeys.length - 1]) : 0;
  }

  /** Layout: float64 zero, uint32 #pos, uint32 #neg, then (int32 index, float64 count) per bucket. */
  encode(): Buffer {
    const buf = Buffer.allocUnsafe(16 + 12 * (this.pos.size + this.neg.size));
    buf.writeDoubleLE(this.zero, 0);
    buf.writeUInt32LE(this.pos.size, 8);
    buf.writeUInt32LE(this.neg.size, 12);
    let o = 16;
    for (const store of [this.pos, this.neg])
      for (const [k, c] of store) {
        buf.writeInt32LE(k, o);
        buf.writeDoubleLE(c, o + 4);
        o += 12;
      }
    return buf;
  }

  static decode(buf: Uint8Array): Sketch {
    const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const s = new Sketch();
    s.zero = b.readDoubleLE(0);
    s.count = s.zero;
    const np = b.readUInt32LE(8);
    const nn = b.readUInt32LE(12);
    let o = 16;
    for (let i = 0; i < np + nn; i++) {
      const k = b.readInt32LE(o);
      const c = b.readDoubleLE(o + 4);
      (i < np ? s.pos : s.neg).set(k, c);
      s.count += c;
      o += 12;
    }
    return s;
  }
}

/** The representative of bucket k: within ALPHA of every value in (gamma^(k-1), gamma^k]. */
export const bucketValue = (k: number): number => (2 * Math.pow(GAMMA, k)) / (GAMMA + 1);
