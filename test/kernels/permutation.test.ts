// The epoch's shuffling order (src/data/permutation.ts) against a Fisher–Yates shuffle written here
// from its documented definition: stream (seed + salt mod 2^53, epoch) of the counter-based generator
// (the plain-JS reference generator, not the kernel), two words per swap read as a 53-bit fraction
// u = ((w0 >>> 5)·2^26 + (w1 >>> 6)) / 2^53 (the res53 construction of MT19937), swap i ↔ ⌊u·(i + 1)⌋
// for i = rows − 1 … 1. Pinned orders prove every runtime and build draws the same; a chi-square over
// many epochs shows the orders are uniform.
import { beforeAll, describe, expect, it } from "vitest";
import { init } from "../../src/index.js";
import { permutation } from "../../src/data/permutation.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { refRandomUint32 } from "../support/reference-generator.js";
import { describeDifference } from "./support/bits.js";

beforeAll(() => init());

/** "SHUFLE": the documented salt added to the seed, so shuffling never shares a layer's stream. */
const SALT = 0x5348_5546_4c45n;

function refPermutation(rows: number, seed: number, epoch: number): Uint32Array {
  const order = Uint32Array.from({ length: rows }, (_, i) => i);
  if (rows < 2) return order;
  const salted = Number((BigInt(seed) + SALT) % 2n ** 53n);
  const words = refRandomUint32(2 * (rows - 1), salted, epoch, 0);
  for (let i = rows - 1, w = 0; i > 0; i--, w += 2) {
    const u = ((words[w] >>> 5) * 2 ** 26 + (words[w + 1] >>> 6)) / 2 ** 53;
    const j = Math.floor(u * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

const perm = (rows: number, seed: number, epoch: number) => permutation(rows, seed, epoch, defaultInstance());

describe("permutation", () => {
  it.each([
    [2, 0, 0],
    [3, 1, 5],
    [10, 0, 0],
    [33, 7, 2],
    [1000, 42, 3],
    [4097, 2 ** 32 + 9, 11],
    [16, 2 ** 53 - 1, 7], // seed + salt wraps modulo 2^53
    // many rows: the low 21 bits of the fraction decide some swaps (a 32-bit fraction would differ)
    [200_000, 5, 1],
  ])("rows %i, seed %i, epoch %i: the reference Fisher–Yates shuffle", (rows, seed, epoch) => {
    expect(describeDifference(perm(rows, seed, epoch), refPermutation(rows, seed, epoch))).toBe("identical");
  });

  it("pinned orders: the same in Node and Chromium, SIMD and scalar", () => {
    // computed once by refPermutation above
    expect(Array.from(perm(10, 0, 0))).toEqual([9, 6, 0, 1, 5, 4, 2, 3, 7, 8]);
    expect(Array.from(perm(10, 0, 1))).toEqual([3, 7, 0, 4, 2, 5, 8, 9, 6, 1]);
    expect(Array.from(perm(1000, 42, 3).subarray(0, 8))).toEqual([467, 318, 775, 536, 511, 117, 949, 191]);
    expect(Array.from(perm(16, 2 ** 53 - 1, 7))).toEqual([14, 3, 7, 9, 6, 0, 11, 8, 15, 2, 4, 12, 1, 13, 5, 10]);
  });

  it("is a permutation of 0 … rows − 1", () => {
    for (const rows of [2, 5, 64, 1001]) {
      const sorted = Array.from(perm(rows, 3, rows)).sort((a, b) => a - b);
      expect(sorted).toEqual(Array.from({ length: rows }, (_, i) => i));
    }
  });

  it("every epoch draws a different order, and another seed other orders", () => {
    const seen = new Set<string>();
    for (let epoch = 0; epoch < 200; epoch++) seen.add(perm(50, 0, epoch).join());
    for (let epoch = 0; epoch < 200; epoch++) seen.add(perm(50, 1, epoch).join());
    expect(seen.size).toBe(400);
  });

  it("rows 0 and 1: the identity, without drawing (nothing allocated)", () => {
    const heap = defaultInstance().heap;
    const allocations = heap.allocations;
    const used = heap.used;
    expect(Array.from(perm(0, 5, 0))).toEqual([]);
    expect(Array.from(perm(1, 5, 0))).toEqual([0]);
    expect(heap.allocations).toBe(allocations);
    expect(heap.used).toBe(used);
  });

  it("returns what it takes: the words' buffer is freed", () => {
    const heap = defaultInstance().heap;
    const allocations = heap.allocations;
    perm(500, 1, 1);
    expect(heap.allocations).toBe(allocations);
  });

  // Each of the n! orders of n rows must be equally likely. With E epochs the counts' chi-square
  // statistic has n! − 1 degrees of freedom; the thresholds are its 0.999 quantiles (df 5: 20.515,
  // df 23: 49.728), so a fair shuffle passes these fixed seeds with probability 0.999 (and, being
  // deterministic, always passes once it has). The classic mistakes fail by far: the naive swap
  // (j uniform in 0 … n − 1 at every i) expects statistics of ~667 (n = 3) and ~1219 (n = 4) here;
  // Sattolo's (j < i) reaches only the (n − 1)! cyclic orders.
  it.each([
    [3, 6000, 20.515],
    [4, 4800, 49.728],
  ])("rows %i over %i epochs: every order equally likely (chi-square < %f)", (rows, epochs, threshold) => {
    const counts = new Map<string, number>();
    for (let epoch = 0; epoch < epochs; epoch++) {
      const key = perm(rows, 12345, epoch).join();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let orders = 1;
    for (let k = 2; k <= rows; k++) orders *= k;
    expect(counts.size).toBe(orders);
    const expected = epochs / orders;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
    expect(chi2).toBeLessThan(threshold);
  });

  it("rows 2: each order in half of 4000 epochs (within 3.3 standard deviations, 0.999)", () => {
    let swapped = 0;
    for (let epoch = 0; epoch < 4000; epoch++) swapped += perm(2, 77, epoch)[0];
    // Binomial(4000, 1/2): sd √1000 ≈ 31.6
    expect(Math.abs(swapped - 2000)).toBeLessThan(3.3 * Math.sqrt(1000));
  });
});
