// assembly/matmul.ts (matmulRows, matmulDots, matmulTN, colSums, transpose) against float64
// references, and the two builds against each other bit for bit.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, type Instance } from "../../src/index.js";
import { describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds, onBoth, put } from "./support/builds.js";
import { uniformF32 as uniform } from "./support/data.js";
import { maxScaledError, refMatmul, refTranspose } from "./support/layer-reference.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});
const both = (run: (inst: Instance) => Float32Array) => onBoth(builds, run);

const U = 2 ** -24;
/**
 * [m, k, n]: SIMD edges (0, 1, 3, 4, 5, 15, 16, 17), the model's skinny shapes, a few hundred rows, and
 * inner dimensions beyond one block of 256 (matmulRows' k, matmulTN's m): running sums pass through out;
 * inner dimensions either side of 64 (the two loop orders of the row kernels).
 */
const SHAPES: [number, number, number][] = [
  [0, 3, 4],
  [1, 1, 1],
  [3, 2, 512],
  [5, 512, 3],
  [4, 3, 5],
  [2, 16, 16],
  [3, 15, 17],
  [7, 17, 33],
  [130, 4, 4],
  [257, 5, 19],
  [6, 33, 1],
  [6, 33, 2],
  [9, 64, 7],
  [3, 4, 16],
  [129, 3, 12],
  [5, 600, 40],
  [300, 20, 40],
  // either side of 64, the inner length up to which the row kernels sweep row pairs across all panels
  [7, 64, 37],
  [65, 65, 37],
  [64, 3, 37],
  // a first block of 256 in panel order (from the bias row), then a short last block swept
  [5, 300, 37],
];

/** |a|·|b| + |bias|: the magnitude scale of each product's terms. */
function absScale(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  bias?: Float32Array,
): Float64Array {
  return refMatmul(a.map(Math.abs), b.map(Math.abs), m, k, n, bias?.map(Math.abs));
}

describe.each(SHAPES)("matmul forms at m=%i k=%i n=%i", (m, k, n) => {
  const a = uniform(m * k, m * 1000 + k, -2, 2);
  const b = uniform(k * n, n * 1000 + k + 1, -2, 2);
  const bias = uniform(n, 77 + n, -1, 1);
  // f32 sums of k products plus the bias: at most (k + 2)·2^-24 of Σ|terms| (see maxScaledError)
  const bound = (k + 2) * U;

  /** [matmulRows on B, matmulDots on Bᵀ], each the same bits on both builds; bias null: biasPtr 0. */
  function forms(bias: Float32Array | null, relu: boolean): Float32Array[] {
    const bt = refTranspose(b, k, n);
    return (["matmulRows", "matmulDots"] as const).map((form) =>
      both((inst) => {
        const out = allocF32(m * n, inst);
        const right = put(inst, form === "matmulRows" ? b : bt);
        const biasPtr = bias ? put(inst, bias).ptr : 0;
        inst.kernels[form](out.ptr, put(inst, a).ptr, right.ptr, biasPtr, m, k, n, relu ? 1 : 0);
        return out.view().slice();
      }),
    );
  }

  for (const relu of [false, true]) {
    it(`matmulRows and matmulDots compute A·B + bias${relu ? " then ReLU" : ""}`, () => {
      const want = refMatmul(a, b, m, k, n, bias, relu);
      const scale = absScale(a, b, m, k, n, bias);
      const [rows, dots] = forms(bias, relu);
      expect(maxScaledError(rows, want, scale)).toBeLessThanOrEqual(bound);
      expect(maxScaledError(dots, want, scale)).toBeLessThanOrEqual(bound);
      if (relu) for (const v of [...rows, ...dots]) expect(v).toBeGreaterThanOrEqual(0);
    });
  }

  it("matmulRows and matmulDots without bias (biasPtr 0)", () => {
    const want = refMatmul(a, b, m, k, n);
    const scale = absScale(a, b, m, k, n);
    const [rows, dots] = forms(null, false);
    expect(maxScaledError(rows, want, scale)).toBeLessThanOrEqual(bound);
    expect(maxScaledError(dots, want, scale)).toBeLessThanOrEqual(bound);
  });

  it.each([false, true])(
    "colSums masks B by Y > 0 (%s) in place and sums its rows; matmulTN computes Aᵀ·B' from Aᵀ",
    (masked) => {
      const bm = uniform(m * n, 5 + m + n, -2, 2);
      const y = uniform(m * n, 6 + m + n, -1, 1);
      const bEff = masked ? bm.map((v, i) => (y[i] > 0 ? v : 0)) : bm;
      const at = refTranspose(a, m, k);
      const want = refMatmul(at, bEff, k, m, n).map((v) => v + 0.5);
      const scale = refMatmul(refTranspose(a.map(Math.abs), m, k), bEff.map(Math.abs), k, m, n);
      const ones = new Float32Array(m).fill(1);
      const run = (inst: Instance) => {
        const out = allocF32(k * n, inst),
          sums = allocF32(n, inst),
          b = put(inst, bm);
        out.view().fill(0.5); // accumulated into
        sums.view().fill(-0.25);
        inst.kernels.colSums(sums.ptr, b.ptr, masked ? put(inst, y).ptr : 0, m, n, 0, n);
        // B is left as B' (masked in place)
        expect(describeDifference(b.view().slice(), bEff)).toBe("identical");
        inst.kernels.matmulTN(out.ptr, put(inst, at).ptr, b.ptr, m, k, n, 1);
        return [out.view().slice(), sums.view().slice()];
      };
      const [got, sums] = run(builds.tested);
      const [gotOther, sumsOther] = run(builds.other);
      expect(describeDifference(got, gotOther)).toBe("identical");
      expect(describeDifference(sums, sumsOther)).toBe("identical");
      // m products (or terms) per element plus the accumulated start value
      expect(
        maxScaledError(
          got,
          want,
          scale.map((v) => v + 0.5),
        ),
      ).toBeLessThanOrEqual((m + 2) * U);
      expect(
        maxScaledError(
          sums,
          refMatmul(ones, bEff, 1, m, n).map((v) => v - 0.25),
          refMatmul(ones, bEff.map(Math.abs), 1, m, n).map((v) => v + 0.25),
        ),
      ).toBeLessThanOrEqual((m + 2) * U);
      // fed in two row chunks (At's columns, B's rows), the accumulation gives the same bits as one call
      const split = Math.floor(m / 3);
      const chunked = both((inst) => {
        const out = allocF32(k * n, inst),
          sums2 = allocF32(n, inst);
        out.view().fill(0.5);
        sums2.view().fill(-0.25);
        const bb = put(inst, bm),
          yb = masked ? put(inst, y) : null;
        for (const [r0, rows] of [
          [0, split],
          [split, m - split],
        ]) {
          const at2 = put(inst, refTranspose(a.subarray(r0 * k, (r0 + rows) * k), rows, k));
          const bp = bb.ptr + r0 * n * 4;
          inst.kernels.colSums(sums2.ptr, bp, yb ? yb.ptr + r0 * n * 4 : 0, rows, n, 0, n);
          inst.kernels.matmulTN(out.ptr, at2.ptr, bp, rows, k, n, 1);
        }
        expect(describeDifference(sums2.view().slice(), sums)).toBe("identical");
        return out.view().slice();
      });
      expect(describeDifference(chunked, got)).toBe("identical");
    },
  );

  it("matmulTN with accumulate = 0 ignores what out held: the bits of adding into zeros, whole or in chunks", () => {
    const bm = uniform(m * n, 7 + m + n, -2, 2);
    const at = refTranspose(a, m, k);
    const split = Math.floor(m / 3);
    // [into zeros, accumulating | over NaN, overwriting | over garbage: the first chunk overwrites, the second adds]
    const [zeros, overNaN, chunked] = [0, 1, 2].map((mode) =>
      both((inst) => {
        const out = allocF32(k * n, inst);
        out
          .view()
          .set(
            mode === 0
              ? new Float32Array(k * n)
              : mode === 1
                ? new Float32Array(k * n).fill(NaN)
                : uniform(k * n, 8 + m, -3, 3),
          );
        if (mode < 2) {
          inst.kernels.matmulTN(out.ptr, put(inst, at).ptr, put(inst, bm).ptr, m, k, n, mode === 0 ? 1 : 0);
          return out.view().slice();
        }
        const b = put(inst, bm);
        for (const [r0, rows] of [
          [0, split],
          [split, m - split],
        ]) {
          const atChunk = put(inst, refTranspose(a.subarray(r0 * k, (r0 + rows) * k), rows, k));
          inst.kernels.matmulTN(out.ptr, atChunk.ptr, b.ptr + r0 * n * 4, rows, k, n, r0 === 0 ? 0 : 1);
        }
        return out.view().slice();
      }),
    );
    const want = refMatmul(at, bm, k, m, n);
    const scale = refMatmul(refTranspose(a.map(Math.abs), m, k), bm.map(Math.abs), k, m, n);
    expect(maxScaledError(zeros, want, scale)).toBeLessThanOrEqual((m + 1) * U);
    expect(describeDifference(overNaN, zeros)).toBe("identical");
    expect(describeDifference(chunked, zeros)).toBe("identical");
  });

  it("transpose", () => {
    const got = both((inst) => {
      const out = allocF32(m * k, inst);
      inst.kernels.transpose(out.ptr, put(inst, a).ptr, m, k, 0, k);
      return out.view().slice();
    });
    expect(Array.from(got)).toEqual(Array.from(refTranspose(a, m, k)));
  });
});
