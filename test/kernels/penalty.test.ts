// l1Penalty, l2Penalty and penalty against the float64 reference and the NNFS worked numbers.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, init, l1Penalty, l2Penalty, penalty } from "../../src/index.js";
import { refL1, refL2, refPenalty } from "../reference.js";
import { EDGE_LENGTHS, MULTI_WINDOW, normalF32 } from "./support/data.js";

beforeAll(() => init());

// Tolerance. The kernel sums f32 terms (|x|, and x·x rounded to f32) in 16 f32 lanes, each lane taking
// at most 64 terms of a 1024-element block before the block is folded into an f64 total. All terms are
// ≥ 0, so recursive f32 summation of ≤ 64 terms is off by at most 63·2^-24 of the sum, plus 2^-24 for
// rounding each square: the whole result is within 64·2^-24 ≈ 3.8e-6 relative of the f64 reference,
// whatever n. (Dropping or doubling a single element of N(0,1) data at n = 4097 moves the sum by
// ~2e-4 relative, far outside this bound.) The f64 folds add ~n·2^-53, negligible here.
const SMALL_N_REL = 64 * 2 ** -24;
// At n = 1.6e7 the issue demands ≤ 1e-9 relative (block errors are independent and cancel).
const LARGE_N_REL = 1e-9;
const LARGE_N = 16_000_000;

function expectRelClose(actual: number, expected: number, rel: number): void {
  if (expected === 0) {
    expect(actual).toBe(0);
    return;
  }
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(rel);
}

describe("penalties vs the f64 reference", () => {
  for (const n of EDGE_LENGTHS) {
    it(`n = ${n}: Σ|x|, Σx² and λ1·Σ|x| + λ2·Σx², Float32Array and F32Buffer paths`, () => {
      const x = normalF32(n, 1000 + n);
      const buf = allocF32(n);
      buf.view().set(x);
      for (const data of [x, buf]) {
        expectRelClose(l1Penalty(data), refL1(x), SMALL_N_REL);
        expectRelClose(l2Penalty(data), refL2(x), SMALL_N_REL);
        expectRelClose(penalty(data, { l1: 0.3, l2: 0.7 }), refPenalty(x, 0.3, 0.7), SMALL_N_REL);
        expectRelClose(penalty(data, { l1: 0.3 }), refPenalty(x, 0.3, 0), SMALL_N_REL);
        expectRelClose(penalty(data, { l2: 0.7 }), refPenalty(x, 0, 0.7), SMALL_N_REL);
      }
      buf.free();
    });
  }

  it("n < 16 is summed term by term in f64: exact against the reference", () => {
    // Below one 16-element chunk every term goes straight into f64 (|x| exact, x·x rounded to f32).
    const x = normalF32(15, 7);
    let sq = 0;
    for (const v of x) sq += Math.fround(v * v);
    expect(l1Penalty(x)).toBe(refL1(x));
    expect(l2Penalty(x)).toBe(sq);
  });

  it("n = 1.6e7 N(0,1): relative error ≤ 1e-9 on both paths, and the paths agree exactly", () => {
    const x = normalF32(LARGE_N, 42);
    const abs = refL1(x),
      sq = refL2(x);
    const viaCopy = [l1Penalty(x), l2Penalty(x), penalty(x, { l1: 0.1, l2: 0.2 })];
    expectRelClose(viaCopy[0], abs, LARGE_N_REL);
    expectRelClose(viaCopy[1], sq, LARGE_N_REL);
    expectRelClose(viaCopy[2], refPenalty(x, 0.1, 0.2), LARGE_N_REL);
    const buf = allocF32(LARGE_N);
    buf.view().set(x);
    // windows are multiples of the 1024-element block, so the copy path must give the same bits
    expect([l1Penalty(buf), l2Penalty(buf), penalty(buf, { l1: 0.1, l2: 0.2 })]).toEqual(viaCopy);
    buf.free();
  });

  it("a multi-window Float32Array gives exactly the F32Buffer result", () => {
    const x = normalF32(MULTI_WINDOW, 3);
    const buf = allocF32(x.length);
    buf.view().set(x);
    expect(l1Penalty(x)).toBe(l1Penalty(buf));
    expect(l2Penalty(x)).toBe(l2Penalty(buf));
    expect(penalty(x, { l1: 0.5, l2: 0.25 })).toBe(penalty(buf, { l1: 0.5, l2: 0.25 }));
    expectRelClose(l1Penalty(x), refL1(x), SMALL_N_REL);
    buf.free();
  });

  it("λ = 0 removes a term: penalty with both λ zero is 0 even for infinite data", () => {
    const x = new Float32Array([Infinity, -Infinity, 1]);
    expect(penalty(x, { l1: 0, l2: 0 })).toBe(0);
    expect(penalty(x, {})).toBe(0);
  });
});

describe("the worked numbers of the reference notes", () => {
  it("weights [2,3,4,3,1,5], biases [1,3,2], all four λ 0.1, data loss 5 → total loss 15.2", () => {
    const weights = new Float32Array([2, 3, 4, 3, 1, 5]);
    const biases = new Float32Array([1, 3, 2]);
    const lambda = 0.1;
    // integer data: Σ|w| = 18, Σw² = 64, Σ|b| = 6, Σb² = 14, all exact
    expect([l1Penalty(weights), l2Penalty(weights), l1Penalty(biases), l2Penalty(biases)]).toEqual([18, 64, 6, 14]);
    const total = 5 + penalty(weights, { l1: lambda, l2: lambda }) + penalty(biases, { l1: lambda, l2: lambda });
    // numpy prints 15.200000000000001; f64 rounding of the λ products allows a few ulp either way
    expect(Math.abs(total - 15.2)).toBeLessThan(1e-12);
  });
});
