/**
 * Deterministic random numbers for the simulator. Every stream is keyed by (seed, purpose, index) so
 * that, e.g., the white noise of row y is the same whichever strip (or halo) asks for it: output depends
 * on the seed only, never on strip size or evaluation order.
 */

/** 32-bit avalanche hash (the murmur3 finaliser). */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Seed words for a stream: hash of the user seed, a purpose tag and an index (e.g. a row number). */
export function streamSeed(seed: number, purpose: number, index: number): [number, number, number, number] {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  let h = mix32(lo ^ 0x9e3779b9);
  h = mix32(h ^ hi ^ Math.imul(purpose + 1, 0x27d4eb2f));
  h = mix32(h ^ Math.imul(index + 1, 0x165667b1));
  const a = mix32(h + 0x6a09e667);
  const b = mix32(h + 0xbb67ae85);
  const c = mix32(h + 0x3c6ef372);
  const d = mix32(h + 0xa54ff53a);
  // xoshiro must not start from the all-zero state.
  return [a, b, c, d === 0 && a === 0 && b === 0 && c === 0 ? 1 : d];
}

/** xoshiro128** generator: fast, 2^128−1 period, good statistical quality for simulation. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;

  constructor(seedWords: [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = seedWords;
  }

  static forStream(seed: number, purpose: number, index = 0): Rng {
    return new Rng(streamSeed(seed, purpose, index));
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Exponential with rate `lambda` (mean 1/lambda). */
  exponential(lambda: number): number {
    return -Math.log(1 - this.uniform()) / lambda;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log never sees 0
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const phi = 2 * Math.PI * u2;
    this.spare = r * Math.sin(phi);
    return r * Math.cos(phi);
  }

  /** Fill `out` with standard normal deviates (pairs at a time: the hot loop of the noise generator). */
  fillNormal(out: Float32Array | Float64Array): void {
    const n = out.length;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const u1 = 1 - this.uniform();
      const u2 = this.uniform();
      const r = Math.sqrt(-2 * Math.log(u1));
      const phi = 2 * Math.PI * u2;
      out[i] = r * Math.cos(phi);
      out[i + 1] = r * Math.sin(phi);
    }
    if (i < n) out[i] = this.normal();
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Purpose tags for independent streams. */
export const STREAM = { noise: 1, sources: 2, positions: 3 } as const;
