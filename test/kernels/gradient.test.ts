// addPenaltyGrad: grad += λ1·sign(x) + 2·λ2·x (f32), fused with the penalty it returns.
import { beforeAll, describe, expect, it } from "vitest";
import { addPenaltyGrad, allocF32, init, penalty } from "../../src/index.js";
import { refAddPenaltyGrad, refPenalty } from "../reference.js";
import { describeDifference } from "./support/bits.js";
import { EDGE_LENGTHS, MULTI_WINDOW, normalF32 } from "./support/data.js";

beforeAll(() => init());

// The reference reproduces the kernel's f32 operations in the same order with Math.fround, so the
// gradient must match bit for bit. The returned penalty is a sum: same tolerance as penalty.test.ts
// (≤ 64 f32 terms per lane, all ≥ 0 → 64·2^-24 relative), 1e-9 at n = 1.6e7 as the issue demands.
const SMALL_N_REL = 64 * 2 ** -24;
const LARGE_N_REL = 1e-9;

function expectRelClose(actual: number, expected: number, rel: number): void {
  if (expected === 0) {
    expect(actual).toBe(0);
    return;
  }
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(rel);
}

const LAMBDAS = [
  { l1: 0.01, l2: 0.02 },
  { l1: 0.3, l2: 0 },
  { l1: 0, l2: 5e-4 },
  { l1: 1 / 3, l2: 1 / 7 }, // λs that are not f32-representable: the kernel rounds them once
];

describe("addPenaltyGrad vs the reference", () => {
  for (const n of EDGE_LENGTHS) {
    it(`n = ${n}: exact gradient and penalty within tolerance, Float32Array and F32Buffer paths`, () => {
      const x = normalF32(n, 2000 + n);
      x.fill(0, 0, Math.min(n, 2)); // exercise sign at zero too
      if (n > 1) x[1] = -0;
      const grad0 = normalF32(n, 3000 + n);
      for (const lambdas of LAMBDAS) {
        for (const signAtZero of [1, 0, -1] as const) {
          const expected = refAddPenaltyGrad(grad0, x, lambdas.l1, lambdas.l2, signAtZero);
          const expectedPenalty = refPenalty(x, lambdas.l1, lambdas.l2);

          const grad = Float32Array.from(grad0);
          expectRelClose(addPenaltyGrad(grad, x, { ...lambdas, signAtZero }), expectedPenalty, SMALL_N_REL);
          expect(describeDifference(grad, expected)).toBe("identical");

          const gradBuf = allocF32(n),
            xBuf = allocF32(n);
          gradBuf.view().set(grad0);
          xBuf.view().set(x);
          expectRelClose(addPenaltyGrad(gradBuf, xBuf, { ...lambdas, signAtZero }), expectedPenalty, SMALL_N_REL);
          expect(describeDifference(gradBuf.view(), expected)).toBe("identical");
          gradBuf.free();
          xBuf.free();
        }
      }
    });
  }

  it("the fused penalty equals penalty() of the same tensor exactly (same lanes, same folds)", () => {
    const x = normalF32(MULTI_WINDOW, 11);
    for (const lambdas of LAMBDAS) {
      expect(addPenaltyGrad(new Float32Array(x.length), x, lambdas)).toBe(penalty(x, lambdas));
    }
  });

  it("the fused penalty ignores a term whose λ is 0, as penalty() does (no 0·∞ = NaN)", () => {
    // |x| = 1e20 is a finite f32 whose f32 square overflows to ∞; with λ2 = 0 the Σx² term must be
    // absent, so the result is λ1·Σ|x| = 1e20 (what penalty() returns), not 0·∞ = NaN.
    const x = new Float32Array([1e20, -1e20]);
    const expected = refPenalty(x, 1, 0);
    expect(penalty(x, { l1: 1 })).toBe(expected);
    expect(addPenaltyGrad(new Float32Array(2), x, { l1: 1 })).toBe(expected);
  });

  it("multi-window Float32Array path equals the F32Buffer path bit for bit", () => {
    const x = normalF32(MULTI_WINDOW, 12),
      grad0 = normalF32(MULTI_WINDOW, 13);
    const grad = Float32Array.from(grad0);
    const p = addPenaltyGrad(grad, x, { l1: 0.1, l2: 0.05 });
    const gradBuf = allocF32(x.length),
      xBuf = allocF32(x.length);
    gradBuf.view().set(grad0);
    xBuf.view().set(x);
    expect(addPenaltyGrad(gradBuf, xBuf, { l1: 0.1, l2: 0.05 })).toBe(p);
    expect(describeDifference(gradBuf.view(), grad)).toBe("identical");
    expect(describeDifference(grad, refAddPenaltyGrad(grad0, x, 0.1, 0.05))).toBe("identical");
    gradBuf.free();
    xBuf.free();
  });

  it("n = 1.6e7: exact gradient, penalty within 1e-9 relative", () => {
    const n = 16_000_000;
    const x = normalF32(n, 14);
    const grad = new Float32Array(n);
    const expected = refAddPenaltyGrad(grad, x, 5e-4, 5e-4);
    expectRelClose(addPenaltyGrad(grad, x, { l1: 5e-4, l2: 5e-4 }), refPenalty(x, 5e-4, 5e-4), LARGE_N_REL);
    expect(describeDifference(grad, expected)).toBe("identical");
  });

  it("both λ zero leaves grad bit for bit unchanged (−0 stays −0, ∞ data adds no NaN) and returns 0", () => {
    const grad = new Float32Array([-0, 1, 2]);
    const before = Float32Array.from(grad);
    expect(addPenaltyGrad(grad, new Float32Array([Infinity, 0, NaN]), { l1: 0, l2: 0 })).toBe(0);
    expect(describeDifference(grad, before)).toBe("identical");
  });
});

describe("sign conventions", () => {
  it("the NNFS sign matrix: l1 = 1 on a zero grad gives [[1,1,-1,1],[1,-1,1,-1],[-1,-1,1,1]]", () => {
    const weights = [
      [0.2, 0.8, -0.5, 1],
      [0.5, -0.91, 0.26, -0.5],
      [-0.26, -0.27, 0.17, 0.87],
    ];
    const grad = new Float32Array(12);
    addPenaltyGrad(grad, new Float32Array(weights.flat()), { l1: 1 });
    const rows = [0, 1, 2].map((r) => Array.from(grad.subarray(r * 4, r * 4 + 4)));
    expect(rows).toEqual([
      [1, 1, -1, 1],
      [1, -1, 1, -1],
      [-1, -1, 1, 1],
    ]);
  });

  it("signAtZero: default +1 (NNFS `weight >= 0`), or 0, or −1, at both +0 and −0", () => {
    const x = new Float32Array([0, -0]);
    const run = (signAtZero?: 1 | 0 | -1) => {
      const grad = new Float32Array(2);
      addPenaltyGrad(grad, x, signAtZero === undefined ? { l1: 1 } : { l1: 1, signAtZero });
      return Array.from(grad);
    };
    expect(run()).toEqual([1, 1]);
    expect(run(1)).toEqual([1, 1]);
    expect(run(0)).toEqual([0, 0]);
    expect(run(-1)).toEqual([-1, -1]);
  });

  it("L2 alone: grad = 2·λ2·x (Keras convention), λ1·sign alone: grad = λ1·sign(x)", () => {
    const x = new Float32Array([1.5, -2, 0.25]);
    const g2 = new Float32Array(3);
    addPenaltyGrad(g2, x, { l2: 0.5 }); // 2·0.5 = 1, exact
    expect(Array.from(g2)).toEqual([1.5, -2, 0.25]);
    const g1 = new Float32Array(3);
    addPenaltyGrad(g1, x, { l1: 0.5 });
    expect(Array.from(g1)).toEqual([0.5, -0.5, 0.5]);
  });
});
