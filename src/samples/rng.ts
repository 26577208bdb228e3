/**
 * The one source of randomness of the sample generator: a seeded mulberry32 stream. Every choice the
 * generator makes goes through an Rng so the same options give byte-identical output; `fork` derives an
 * independent stream from a label, so adding a draw in one book does not shift every book after it.
 */

/** xs[i] for an index the caller guarantees; throws rather than returning undefined. */
export function at<T>(xs: ArrayLike<T>, i: number): T {
  const v = xs[i];
  if (v === undefined) throw new Error(`index ${i} out of range (${xs.length})`);
  return v;
}

/** A frequency table: value and relative weight (weights need not sum to 1). */
export type Weighted<T> = readonly (readonly [T, number])[];

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Real in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Approximately normal(0, 1) (Irwin–Hall of four uniforms: bounded, no long tails to surprise a layout). */
  gauss(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * 1.732;
  }

  pick<T>(xs: readonly T[]): T {
    return at(xs, Math.floor(this.next() * xs.length));
  }

  weighted<T>(table: Weighted<T>): T {
    const total = table.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of table) {
      r -= w;
      if (r < 0) return value;
    }
    return at(table, table.length - 1)[0];
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }

  shuffle<T>(xs: readonly T[]): T[] {
    const out = xs.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [at(out, j), at(out, i)];
    }
    return out;
  }

  /** `k` distinct items of `xs` (all of them when k ≥ length), in random order. */
  sample<T>(xs: readonly T[], k: number): T[] {
    return this.shuffle(xs).slice(0, Math.max(0, k));
  }

  /** An independent stream named by `label`: draws made from it never shift this stream. */
  fork(label: string): Rng {
    let h = (this.state ^ 0x9e3779b9) >>> 0;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
    return new Rng(Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0);
  }
}
