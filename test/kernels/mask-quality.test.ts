// Quick statistical checks of dropout's masks (the long batteries on its uniforms are in
// scripts/rng-battery.sh with KIND=uniforms, results in docs/RNG.md). The keep rule reads bit l of
// the words of a 32-element group for lane l, so a flaw of the hash at one bit position would show
// as a lane that keeps more or less often, and a dependence between neighbouring bits as correlated
// neighbours. Each check turns a statistic into a p-value and requires p > ALPHA on fixed seeds; the
// last block shows each check rejecting a weak source run through the same keep rule.
import { beforeAll, describe, expect, test } from "vitest";
import { dropout, init, randomUint32 } from "../../src/index.js";
import { refKeepThreshold } from "../reference.js";
import { refKeepUniform } from "../support/reference-generator.js";
import { erfc } from "./support/erfc.js";

const ALPHA = 1e-6;
const N = 1 << 20; // elements per check
const SEED = 424242;
const RATES = [0.1, 1 / 3, 0.5, 0.9];

/** Upper tail of χ²(df) for df even (exact: a Poisson sum), enough for the 32 and 3 used here… */
function chiSquareUpper(x: number, df: number): number {
  // …with df odd handled by the Wilson–Hilferty normal approximation (df = 3: error < 1e-3 relative
  // at the tails that matter here, p around 1e-6 to 1e-2)
  if (df % 2 === 0) {
    let term = Math.exp(-x / 2),
      sum = term;
    for (let k = 1; k < df / 2; k++) sum += term *= x / 2 / k;
    return Math.min(1, sum);
  }
  const z = ((x / df) ** (1 / 3) - (1 - 2 / (9 * df))) / Math.sqrt(2 / (9 * df));
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Both tails: a mask too even to be random fails like a biased one. */
const twoSided = (x: number, df: number) => {
  const upper = chiSquareUpper(x, df);
  return Math.min(1, 2 * Math.min(upper, 1 - upper));
};

/** Each of the 32 lanes keeps with probability p: Σ over lanes of z² ~ χ²(32). */
function laneBalanceP(keep: Uint8Array, p: number): number {
  const kept = new Float64Array(32);
  for (let i = 0; i < keep.length; i++) kept[i & 31] += keep[i];
  const perLane = keep.length / 32;
  let x2 = 0;
  for (const k of kept) x2 += (k - perLane * p) ** 2 / (perLane * p * (1 - p));
  return twoSided(x2, 32);
}

/** Disjoint pairs (i, i + lag), i in blocks of 2·lag: the four keep combinations at p², p(1 − p), …: χ²(3). */
function pairsP(keep: Uint8Array, p: number, lag: number): number {
  const counts = [0, 0, 0, 0];
  for (let block = 0; block + 2 * lag <= keep.length; block += 2 * lag)
    for (let j = 0; j < lag; j++) counts[keep[block + j] * 2 + keep[block + j + lag]]++;
  const pairs = counts.reduce((a, b) => a + b);
  const q = 1 - p;
  const expected = [q * q, q * p, p * q, p * p].map((e) => e * pairs);
  return twoSided(
    counts.reduce((x2, c, k) => x2 + (c - expected[k]) ** 2 / expected[k], 0),
    3,
  );
}

/** Element neighbours, the same lane of adjacent groups, and the same lane one SIMD round (128) apart. */
const checks = {
  laneBalanceP,
  neighbourPairsP: (keep: Uint8Array, p: number) => pairsP(keep, p, 1),
  nextGroupPairsP: (keep: Uint8Array, p: number) => pairsP(keep, p, 32),
  nextRoundPairsP: (keep: Uint8Array, p: number) => pairsP(keep, p, 128),
};

/** The exact keep probability T/2^32. */
const keepProbability = (rate: number) => refKeepThreshold(rate) / 2 ** 32;

/** The keep rule on groups of 32 words from any source (words[32g + k] is level k of group g). */
function keepFromWords(words: Uint32Array, rate: number): Uint8Array {
  const threshold = refKeepThreshold(rate);
  const keep = new Uint8Array(words.length);
  for (let g = 0; g < words.length / 32; g++) {
    const group = words.subarray(32 * g, 32 * g + 32);
    for (let l = 0; l < 32; l++) keep[32 * g + l] = refKeepUniform(32 * g + l, 0, 0, group) < threshold ? 1 : 0;
  }
  return keep;
}

/** Keep flags from a packed mask. */
function flags(mask: Uint32Array, n: number, into = new Uint8Array(n), at = 0): Uint8Array {
  for (let i = 0; i < n; i++) into[at + i] = (mask[i >> 5] >>> (i & 31)) & 1;
  return into;
}

/** The masks of one rate, made once: one stream of N elements, and dropout's pattern of one short stream per layer and step. */
const masksOf = new Map<number, { one: Uint8Array; many: Uint8Array }>();
function masks(rate: number) {
  let m = masksOf.get(rate);
  if (!m) {
    const ones = new Float32Array(N).fill(1);
    const one = flags(dropout(ones, { rate, seed: SEED, stream: 0 }).mask!, N);
    const many = new Uint8Array(N);
    for (let s = 0; s < N / 1024; s++)
      flags(dropout(ones.subarray(0, 1024), { rate, seed: SEED, stream: s }).mask!, 1024, many, 1024 * s);
    m = { one, many };
    masksOf.set(rate, m);
  }
  return m;
}

describe("dropout masks: quick statistical checks (p > 1e-6)", () => {
  beforeAll(() => init());

  for (const [name, check] of Object.entries(checks)) {
    test.each(RATES)(`${name}, rate %s: one stream, and 1024 streams of 1024 elements`, (rate) => {
      const p = keepProbability(rate);
      const { one, many } = masks(rate);
      expect(check(one, p)).toBeGreaterThan(ALPHA);
      expect(check(many, p)).toBeGreaterThan(ALPHA);
    });
  }
});

describe("the mask checks can fail", () => {
  beforeAll(() => init());
  const sound = () => randomUint32(new Uint32Array(N), { seed: SEED, stream: 1 });
  // Weyl words: bit 0 of word 32g is the key's bit 0 in every group, so lane 0's top bit never changes
  const weyl = () => Uint32Array.from({ length: N }, (_, i) => (Math.imul(i, 0x9e3779b9) + 0x1234567) >>> 0);
  // sound words whose odd bits copy the even ones: lanes 2j and 2j + 1 always agree
  const pairedBits = () => sound().map((w) => ((w & 0x55555555) * 3) >>> 0);
  // sound words, each group's 32 words repeated by the next group
  const repeatedGroups = () => sound().map((_, i, w) => w[i - (((i >> 5) & 1) << 5)]);
  // sound words, each 128-element round repeated by the next
  const repeatedRounds = () => sound().map((_, i, w) => w[i - (((i >> 7) & 1) << 7)]);
  const weakFor: Record<keyof typeof checks, [string, () => Uint32Array]> = {
    laneBalanceP: ["Weyl words", weyl],
    neighbourPairsP: ["paired bits", pairedBits],
    nextGroupPairsP: ["repeated groups", repeatedGroups],
    nextRoundPairsP: ["repeated rounds", repeatedRounds],
  };

  test("the checks pass sound words through the same reference rule", () => {
    const keep = keepFromWords(sound(), 0.3);
    for (const check of Object.values(checks)) expect(check(keep, keepProbability(0.3))).toBeGreaterThan(ALPHA);
  });

  for (const [name, check] of Object.entries(checks)) {
    const [what, source] = weakFor[name as keyof typeof checks];
    test(`${name} rejects ${what}`, () => {
      expect(check(keepFromWords(source(), 0.3), keepProbability(0.3))).toBeLessThan(ALPHA);
    });
  }
});
