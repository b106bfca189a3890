// Which product form a dense layer's forward and input gradient use at the edge of the narrow rule
// (an output narrower than 16 columns over an inner dimension of at least 16 is built from dots):
// the two forms sum in different orders, so the choice shows in the bits, on both builds.
import { beforeAll, describe, expect, it } from "vitest";
import { affineForward, inputGrad } from "../../src/kernels/matmul.js";
import { allocMatrix } from "../../src/wasm/matrix.js";
import { firstBitDifference } from "./support/bits.js";
import { type Builds, loadBuilds, put } from "./support/builds.js";
import { uniformF32 } from "./support/data.js";
import { refTranspose } from "./support/layer-reference.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

const f = Math.fround;

/**
 * The row form's order (assembly/matmul.ts, matmulRows): out[i, j] = bias[j] (or 0), then + a[i, t]·b[t, j]
 * for t ascending, every product and sum rounded to f32.
 */
function rowsOrder(a: Float32Array, b: Float32Array, m: number, k: number, n: number, bias?: Float32Array) {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j] : 0;
      for (let t = 0; t < k; t++) s = f(s + f(a[i * k + t] * b[t * n + j]));
      out[i * n + j] = s;
    }
  return out;
}

/**
 * The dot form's order (matmulDots): 4 lanes, lane l summing the products of t ≡ l (mod 4) over the
 * multiple-of-4 prefix, folded (l0 + l1) + (l2 + l3), then the tail t ascending, then the bias.
 */
function dotsOrder(a: Float32Array, b: Float32Array, m: number, k: number, n: number, bias?: Float32Array) {
  const out = new Float32Array(m * n);
  const k4 = k - (k % 4);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      const p = (t: number) => f(a[i * k + t] * b[t * n + j]);
      const lanes = [0, 0, 0, 0];
      for (let t = 0; t < k4; t++) lanes[t % 4] = f(lanes[t % 4] + p(t));
      let s = f(f(lanes[0] + lanes[1]) + f(lanes[2] + lanes[3]));
      for (let t = k4; t < k; t++) s = f(s + p(t));
      out[i * n + j] = bias ? f(s + bias[j]) : s;
    }
  return out;
}

const M = 5; // a row pair, another, and a single row

// [k, n, the forward's form (inner k, n columns), the input gradient's form (inner n, k columns)]
const EDGES: [number, number, "rows" | "dots", "rows" | "dots"][] = [
  [16, 16, "rows", "rows"], // 16 columns are not narrow
  [16, 15, "dots", "rows"], // narrow over an inner dimension of exactly 16
  [15, 16, "rows", "dots"],
  [15, 15, "rows", "rows"], // narrow, but the inner dimension is too short for dots
  [17, 15, "dots", "rows"],
];

describe.each(EDGES)("a dense layer with k=%i inputs and n=%i outputs", (k, n, forward, backward) => {
  const x = uniformF32(M * k, 31 + k, -2, 2);
  const w = uniformF32(k * n, 32 + n, -2, 2);
  const wt = refTranspose(w, k, n);
  const bias = uniformF32(n, 33, -1, 1);
  const dz = uniformF32(M * n, 34 + k, -2, 2);

  it(`the forward x·W + b sums in the ${forward} form's order`, () => {
    const want = { rows: rowsOrder(x, w, M, k, n, bias), dots: dotsOrder(x, w, M, k, n, bias) };
    // the data tells the two orders apart
    expect(firstBitDifference(want.rows, want.dots)).not.toBe(-1);
    for (const inst of [builds.tested, builds.other]) {
      const out = allocMatrix(M, n, inst);
      const xm = allocMatrix(M, k, inst);
      xm.data.view().set(x);
      affineForward(out, xm, put(inst, w), put(inst, bias), () => put(inst, wt), false);
      expect(firstBitDifference(out.toArray(), want[forward]), inst.build).toBe(-1);
    }
  });

  it(`the input gradient dz·Wᵀ sums in the ${backward} form's order`, () => {
    const want = {
      rows: rowsOrder(dz, Float32Array.from(wt), M, n, k),
      dots: dotsOrder(dz, Float32Array.from(wt), M, n, k),
    };
    expect(firstBitDifference(want.rows, want.dots)).not.toBe(-1);
    for (const inst of [builds.tested, builds.other]) {
      const dx = allocMatrix(M, k, inst);
      const dzm = allocMatrix(M, n, inst);
      dzm.data.view().set(dz);
      inputGrad(dx, dzm, put(inst, w), () => put(inst, wt));
      expect(firstBitDifference(dx.toArray(), want[backward]), inst.build).toBe(-1);
    }
  });
});
