// Quick statistical checks of the raw random stream (the long batteries are in scripts/rng-battery.sh
// and docs/RNG.md). Each check turns a statistic into a two-sided p-value and requires p > ALPHA:
// a sound generator fails a given check with probability 1e-6 per choice of seeds, while a weak
// generator fails with p far below that (the last block shows each check rejecting one).
import { beforeAll, describe, expect, test } from "vitest";
import { init, randomUint32 } from "../../src/index.js";
import { lowbias32 } from "../support/reference-generator.js";
import { erfc } from "./support/erfc.js";

const ALPHA = 1e-6;
const N = 1 << 20; // words per single-stream check
const BLOCKS = 1024; // streams (or seeds) per cross-stream check…
const K = 1024; // …and words of each: the short-streams-under-one-seed pattern dropout uses
const SEED = 20240607;

/** Words offset … offset + n − 1 of stream (seed, stream). */
type Generator = (seed: number, stream: number, offset: number, n: number) => Uint32Array;

// ---- p-values (independent float64 implementations; sanity-checked against closed forms below) ----

function lnGamma(x: number): number {
  const c = [
    76.18009172947146, -86.50532032941678, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2,
    -0.5395239384953e-5,
  ];
  let y = x,
    s = 1.000000000190015;
  for (const ci of c) s += ci / ++y;
  const tmp = x + 5.5;
  return Math.log((2.5066282746310007 * s) / x) - tmp + (x + 0.5) * Math.log(tmp);
}

/** Regularized incomplete gamma [P(a, x), Q(a, x)], each accurate in its own small tail. */
function gammaPQ(a: number, x: number): [number, number] {
  if (x <= 0) return [0, 1];
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    // series for P
    let term = 1 / a,
      sum = term;
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) sum += term *= x / (a + n);
    const p = sum * front;
    return [p, 1 - p];
  }
  let b = x + 1 - a,
    c = 1e300,
    d = 1 / b,
    h = d; // continued fraction for Q (modified Lentz)
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < 1e-300 ? 1e-300 : d;
    d = 1 / d;
    c = b + an / c;
    c = Math.abs(c) < 1e-300 ? 1e-300 : c;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const q = front * h;
  return [1 - q, q];
}

const twoSided = (lower: number, upper: number) => Math.min(1, 2 * Math.min(lower, upper));
/** Both tails count: a generator too even to be random (a Weyl sequence) fails like a biased one. */
const chiSquareP = (x: number, df: number) => twoSided(...gammaPQ(df / 2, x / 2));
const normalP = (z: number) => erfc(Math.abs(z) / Math.SQRT2);
/** Poisson(λ) two-sided: P(X ≤ k) = Q(k + 1, λ), P(X ≥ k) = P(k, λ). */
const poissonP = (k: number, lambda: number) =>
  twoSided(gammaPQ(k + 1, lambda)[1], k === 0 ? 1 : gammaPQ(k, lambda)[0]);

function chiSquare(counts: ArrayLike<number>, expected: ArrayLike<number>): number {
  let x = 0;
  for (let i = 0; i < counts.length; i++) x += (counts[i] - expected[i]) ** 2 / expected[i];
  return x;
}

// ---- checks on one stream ----

/** Each of the 32 bit positions is 1 half the time: Σ z² over positions ~ χ²(32). */
function bitFrequencyP(w: Uint32Array): number {
  const ones = new Float64Array(32);
  for (const x of w) for (let b = 0; b < 32; b++) ones[b] += (x >>> b) & 1;
  let x2 = 0;
  for (const c of ones) x2 += (2 * c - w.length) ** 2 / w.length;
  return chiSquareP(x2, 32);
}

/** Each byte lane takes its 256 values equally often: four χ²(255) → χ²(1020). */
function byteFrequencyP(w: Uint32Array): number {
  const counts = new Float64Array(1024);
  for (const x of w) for (let lane = 0; lane < 4; lane++) counts[lane * 256 + ((x >>> (8 * lane)) & 255)]++;
  return chiSquareP(chiSquare(counts, new Float64Array(1024).fill(w.length / 256)), 1020);
}

/** Lag-1 serial correlation of u = w/2^32: Σ(uᵢ−½)(uᵢ₊₁−½) has mean 0 and variance (n−1)/144. */
function serialCorrelationP(w: Uint32Array): number {
  let s = 0;
  for (let i = 0; i + 1 < w.length; i++) s += (w[i] / 2 ** 32 - 0.5) * (w[i + 1] / 2 ** 32 - 0.5);
  return normalP(s / Math.sqrt((w.length - 1) / 144));
}

/** Low 4 bits of disjoint consecutive pairs fall in the 16×16 cells equally: χ²(255). */
function lowBitPairsP(w: Uint32Array): number {
  const counts = new Float64Array(256);
  for (let i = 0; i + 1 < w.length; i += 2) counts[((w[i] & 15) << 4) | (w[i + 1] & 15)]++;
  return chiSquareP(chiSquare(counts, new Float64Array(256).fill(Math.floor(w.length / 2) / 256)), 255);
}

/** Gaps between words whose low byte is 0 are geometric(1/256); 32 bins of 32 plus a tail: χ²(32). */
function lowByteGapP(w: Uint32Array): number {
  const counts = new Float64Array(33);
  let gaps = 0,
    last = -1;
  for (let i = 0; i < w.length; i++) {
    if ((w[i] & 255) !== 0) continue;
    if (last >= 0) {
      counts[Math.min(32, (i - last - 1) >> 5)]++;
      gaps++;
    }
    last = i;
  }
  const q = 255 / 256,
    expected = new Float64Array(33);
  for (let b = 0; b < 33; b++) expected[b] = gaps * (q ** (32 * b) - (b < 32 ? q ** (32 * (b + 1)) : 0));
  return chiSquareP(chiSquare(counts, expected), 32);
}

// ---- checks across streams or seeds: word i of block s against word i of block s + 1 ----

/** Bits of a ^ b are fair: catches linear relations between neighbours. χ²(32) over all pairs. */
function xorBitsP(blocks: Uint32Array[]): number {
  const ones = new Float64Array(32);
  let n = 0;
  for (let s = 0; s + 1 < blocks.length; s++) {
    const a = blocks[s],
      b = blocks[s + 1];
    for (let i = 0; i < a.length; i++, n++)
      for (let bit = 0, x = a[i] ^ b[i]; bit < 32; bit++) ones[bit] += (x >>> bit) & 1;
  }
  let x2 = 0;
  for (const c of ones) x2 += (2 * c - n) ** 2 / n;
  return chiSquareP(x2, 32);
}

/** Top byte of b − a (mod 2^32) is uniform: catches additive offsets between neighbours. χ²(255). */
function differenceTopByteP(blocks: Uint32Array[]): number {
  const counts = new Float64Array(256);
  let n = 0;
  for (let s = 0; s + 1 < blocks.length; s++) {
    const a = blocks[s],
      b = blocks[s + 1];
    for (let i = 0; i < a.length; i++, n++) counts[((b[i] - a[i]) >>> 24) & 255]++;
  }
  return chiSquareP(chiSquare(counts, new Float64Array(256).fill(n / 256)), 255);
}

/** Correlation of u = w/2^32 between neighbours (products are uncorrelated under independence). */
function neighbourCorrelationP(blocks: Uint32Array[]): number {
  let s = 0,
    n = 0;
  for (let j = 0; j + 1 < blocks.length; j++) {
    const a = blocks[j],
      b = blocks[j + 1];
    for (let i = 0; i < a.length; i++, n++) s += (a[i] / 2 ** 32 - 0.5) * (b[i] / 2 ** 32 - 0.5);
  }
  return normalP(s / Math.sqrt(n / 144));
}

/**
 * Equal words in different blocks are a birthday count: Poisson with λ = (cross-block pairs)/2^32
 * (≈ 128 here). Overlapping streams (a stream that is another one shifted) give far more.
 */
function crossBlockRepeatsP(blocks: Uint32Array[]): number {
  const tagged = new Float64Array(blocks.length * K);
  blocks.forEach((b, s) =>
    b.forEach((x, i) => {
      tagged[s * K + i] = x * 2048 + s;
    }),
  ); // exact: < 2^43
  tagged.sort();
  // Sorted, a run of one word is ordered by block: all pairs of the run minus same-block pairs.
  let repeats = 0,
    run = 1,
    sameBlockRun = 1,
    sameBlockPairs = 0;
  for (let i = 1; i <= tagged.length; i++) {
    if (i < tagged.length && Math.floor(tagged[i] / 2048) === Math.floor(tagged[i - 1] / 2048)) {
      if (tagged[i] === tagged[i - 1]) sameBlockRun++;
      else {
        sameBlockPairs += (sameBlockRun * (sameBlockRun - 1)) / 2;
        sameBlockRun = 1;
      }
      run++;
      continue;
    }
    sameBlockPairs += (sameBlockRun * (sameBlockRun - 1)) / 2;
    repeats += (run * (run - 1)) / 2 - sameBlockPairs;
    run = 1;
    sameBlockRun = 1;
    sameBlockPairs = 0;
  }
  const n = tagged.length,
    crossPairs = (n * (n - 1)) / 2 - (blocks.length * K * (K - 1)) / 2;
  return poissonP(repeats, crossPairs / 2 ** 32);
}

// ---- the suites ----

const singleStreamChecks = { bitFrequencyP, byteFrequencyP, serialCorrelationP, lowBitPairsP, lowByteGapP };
const crossChecks = { xorBitsP, differenceTopByteP, neighbourCorrelationP, crossBlockRepeatsP };

const streamBlocks = (gen: Generator) => Array.from({ length: BLOCKS }, (_, s) => gen(SEED, s, 0, K));
const seedBlocks = (gen: Generator) => Array.from({ length: BLOCKS }, (_, s) => gen(SEED + s, 0, 0, K));

const regwasm: Generator = (seed, stream, offset, n) => randomUint32(new Uint32Array(n), { seed, stream, offset });

describe("raw random stream: quick statistical checks (p > 1e-6)", () => {
  beforeAll(() => init());

  for (const [name, check] of Object.entries(singleStreamChecks)) {
    test(`one stream: ${name}`, () => {
      // Two starting counters: the start of a stream and the far end of its 2^32 counters.
      expect(check(regwasm(SEED, 0, 0, N))).toBeGreaterThan(ALPHA);
      expect(check(regwasm(SEED, 7, 2 ** 32 - N, N))).toBeGreaterThan(ALPHA);
    });
  }
  for (const [name, check] of Object.entries(crossChecks)) {
    test(`adjacent streams under one seed: ${name}`, () => expect(check(streamBlocks(regwasm))).toBeGreaterThan(ALPHA));
    test(`adjacent seeds: ${name}`, () => expect(check(seedBlocks(regwasm))).toBeGreaterThan(ALPHA));
  }

  test("one stream is a permutation of the 2^32 words: no repeats (an ideal source shows ≈128 in 2^20)", () => {
    // Documented property, not a quality check: counter → word is a bijection for a fixed key.
    const sorted = regwasm(SEED, 0, 0, N).sort();
    let repeats = 0;
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) repeats++;
    expect(repeats).toBe(0);
  });
});

describe("the checks can fail", () => {
  test("p-value helpers match closed forms", () => {
    // χ²(2) upper tail is exp(−x/2); P(|Z| > 5) = 5.733031e-7; Poisson(1): P(X ≥ 8) = 1.0249e-5.
    expect(gammaPQ(1, 15)[1]).toBeCloseTo(Math.exp(-15) / 1, 12);
    expect(normalP(5) / 5.733031e-7).toBeCloseTo(1, 5);
    const poissonTail =
      1 -
      Array.from({ length: 8 }, (_, k) => Math.exp(-1) / [1, 1, 2, 6, 24, 120, 720, 5040][k]).reduce((a, b) => a + b);
    expect(gammaPQ(8, 1)[0] / poissonTail).toBeCloseTo(1, 6);
    expect(chiSquareP(1020, 1020)).toBeGreaterThan(0.9); // the median of χ²(df) is ≈ df
  });

  // A Weyl sequence (counter · golden ratio + key, no mixing): too even, and neighbours differ by constants.
  const weyl: Generator = (seed, stream, offset, n) => {
    const key = lowbias32(lowbias32(seed) ^ stream);
    return Uint32Array.from({ length: n }, (_, i) => (Math.imul(offset + i, 0x9e3779b9) + key) >>> 0);
  };
  // Sound words, but stream s (or seed s) is stream 0 shifted by s counters: overlapping streams.
  const shifted: Generator = (seed, stream, offset, n) => regwasm(SEED, 0, offset + stream + (seed - SEED), n);
  // Sound words, but stream s (or seed s) is stream 0 with s xored in: neighbours nearly equal.
  const xored: Generator = (seed, stream, offset, n) =>
    regwasm(SEED, 0, offset, n).map((x) => (x ^ (stream + seed - SEED)) >>> 0);
  const weakFor = {
    xorBitsP: weyl,
    differenceTopByteP: weyl,
    neighbourCorrelationP: xored,
    crossBlockRepeatsP: shifted,
  };
  const weakName = new Map<Generator, string>([
    [weyl, "Weyl streams"],
    [shifted, "overlapping streams"],
    [xored, "stream xored into the output"],
  ]);

  beforeAll(() => init());
  for (const [name, check] of Object.entries(singleStreamChecks)) {
    test(`${name} rejects a Weyl sequence`, () => expect(check(weyl(SEED, 0, 0, N))).toBeLessThan(ALPHA));
  }
  for (const [name, check] of Object.entries(crossChecks)) {
    const weak = weakFor[name as keyof typeof weakFor];
    test(`${name} rejects ${weakName.get(weak)}`, () => {
      expect(check(streamBlocks(weak))).toBeLessThan(ALPHA);
      expect(check(seedBlocks(weak))).toBeLessThan(ALPHA);
    });
  }
});
