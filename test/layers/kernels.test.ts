// The layer kernels (assembly/matmul.ts, activation.ts, softmax.ts) against float64 references, and
// the SIMD build against the scalar build bit for bit (both sum in the same fixed order).
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, allocU32, instantiate, type Instance } from "../../src/index.js";
import { firstBitDifference, maxScaledError, refMatmul, refTranspose, uniform } from "./support.js";

let simd: Instance, scalar: Instance;
beforeAll(async () => {
  simd = await instantiate({ simd: true });
  scalar = await instantiate({ simd: false });
});

const U = 2 ** -24;
/** [m, k, n]: SIMD edges (0, 1, 3, 4, 5, 15, 16, 17), the model's skinny shapes, and > 128 rows (the tile of matmulTN). */
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
];

type Run = (inst: Instance, data: Float32Array[]) => Float32Array;

/** Runs `run` on both builds, checks them bitwise equal, returns the SIMD result. */
function both(run: Run, data: Float32Array[]): Float32Array {
  const a = run(simd, data),
    b = run(scalar, data);
  expect(firstBitDifference(a, b)).toBe(-1);
  return a;
}

function put(inst: Instance, values: Float32Array) {
  const buf = allocF32(values.length, inst);
  buf.view().set(values);
  return buf;
}

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
  const bound = (k + 2) * U;

  for (const relu of [false, true]) {
    it(`matmulRows and matmulDots compute A·B + bias${relu ? " then ReLU" : ""}`, () => {
      const want = refMatmul(a, b, m, k, n, bias, relu);
      const scale = absScale(a, b, m, k, n, bias);
      const rows = both((inst) => {
        const out = allocF32(m * n, inst),
          ab = put(inst, a),
          bb = put(inst, b),
          cb = put(inst, bias);
        inst.kernels.matmulRows(out.ptr, ab.ptr, bb.ptr, cb.ptr, m, k, n, relu ? 1 : 0);
        return out.view().slice();
      }, []);
      const bt = Float32Array.from(refTranspose(b, k, n));
      const dots = both((inst) => {
        const out = allocF32(m * n, inst),
          ab = put(inst, a),
          bb = put(inst, bt),
          cb = put(inst, bias);
        inst.kernels.matmulDots(out.ptr, ab.ptr, bb.ptr, cb.ptr, m, k, n, relu ? 1 : 0);
        return out.view().slice();
      }, []);
      expect(maxScaledError(rows, want, scale)).toBeLessThanOrEqual(bound);
      expect(maxScaledError(dots, want, scale)).toBeLessThanOrEqual(bound);
      if (relu) for (const v of [...rows, ...dots]) expect(v).toBeGreaterThanOrEqual(0);
    });
  }

  it("matmulRows and matmulDots without bias (biasPtr 0)", () => {
    const want = refMatmul(a, b, m, k, n);
    const scale = absScale(a, b, m, k, n);
    const bt = Float32Array.from(refTranspose(b, k, n));
    const rows = both((inst) => {
      const out = allocF32(m * n, inst);
      inst.kernels.matmulRows(out.ptr, put(inst, a).ptr, put(inst, b).ptr, 0, m, k, n, 0);
      return out.view().slice();
    }, []);
    const dots = both((inst) => {
      const out = allocF32(m * n, inst);
      inst.kernels.matmulDots(out.ptr, put(inst, a).ptr, put(inst, bt).ptr, 0, m, k, n, 0);
      return out.view().slice();
    }, []);
    expect(maxScaledError(rows, want, scale)).toBeLessThanOrEqual(bound);
    expect(maxScaledError(dots, want, scale)).toBeLessThanOrEqual(bound);
  });

  it.each([false, true])(
    "matmulTN computes Aᵀ·B' and Σ rows of B' (B' = B masked by Y > 0: %s); colSums agrees bitwise",
    (masked) => {
      const bm = uniform(m * n, 5 + m + n, -2, 2);
      const y = uniform(m * n, 6 + m + n, -1, 1);
      const bEff = masked ? bm.map((v, i) => (y[i] > 0 ? v : 0)) : bm;
      const want = refMatmul(refTranspose(a, m, k), bEff, k, m, n).map((v) => v + 0.5);
      const scale = refMatmul(refTranspose(a.map(Math.abs), m, k), bEff.map(Math.abs), k, m, n);
      const ones = new Float32Array(m).fill(1);
      const run = (inst: Instance) => {
        const out = allocF32(k * n, inst),
          sums = allocF32(n, inst),
          b = put(inst, bm);
        out.view().fill(0.5); // accumulated into
        sums.view().fill(-0.25);
        inst.kernels.matmulTN(out.ptr, sums.ptr, put(inst, a).ptr, b.ptr, masked ? put(inst, y).ptr : 0, m, k, n);
        // B is left as B' (masked in place)
        expect(firstBitDifference(b.view().slice(), bEff)).toBe(-1);
        return [out.view().slice(), sums.view().slice()];
      };
      const [got, sums] = run(simd);
      const [gotScalar, sumsScalar] = run(scalar);
      expect(firstBitDifference(got, gotScalar)).toBe(-1);
      expect(firstBitDifference(sums, sumsScalar)).toBe(-1);
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
      const colSums = both((inst) => {
        const out = allocF32(n, inst);
        out.view().fill(-0.25);
        inst.kernels.colSums(out.ptr, put(inst, bEff).ptr, m, n);
        return out.view().slice();
      }, []);
      expect(firstBitDifference(colSums, sums)).toBe(-1);
      // without sums (sumPtr 0) the product is the same
      const alone = both((inst) => {
        const out = allocF32(k * n, inst);
        out.view().fill(0.5);
        inst.kernels.matmulTN(out.ptr, 0, put(inst, a).ptr, put(inst, bEff).ptr, 0, m, k, n);
        return out.view().slice();
      }, []);
      expect(firstBitDifference(alone, got)).toBe(-1);
      // fed in two row chunks, the accumulation gives the same bits as one call
      const split = Math.floor(m / 3);
      const chunked = both((inst) => {
        const out = allocF32(k * n, inst),
          sums2 = allocF32(n, inst);
        out.view().fill(0.5);
        sums2.view().fill(-0.25);
        const ab = put(inst, a),
          bb = put(inst, bm),
          yb = masked ? put(inst, y) : null;
        for (const [r0, rows] of [
          [0, split],
          [split, m - split],
        ]) {
          inst.kernels.matmulTN(
            out.ptr,
            sums2.ptr,
            ab.ptr + r0 * k * 4,
            bb.ptr + r0 * n * 4,
            yb ? yb.ptr + r0 * n * 4 : 0,
            rows,
            k,
            n,
          );
        }
        expect(firstBitDifference(sums2.view().slice(), sums)).toBe(-1);
        return out.view().slice();
      }, []);
      expect(firstBitDifference(chunked, got)).toBe(-1);
    },
  );

  it("transpose", () => {
    const got = both((inst) => {
      const out = allocF32(m * k, inst);
      inst.kernels.transpose(out.ptr, put(inst, a).ptr, m, k);
      return out.view().slice();
    }, []);
    expect(Array.from(got)).toEqual(Array.from(refTranspose(a, m, k)));
  });
});

describe("ReLU kernels", () => {
  it.each([0, 1, 5, 15, 16, 17, 1023])("forward x < 0 ? 0 : x and backward dy·[y > 0] at n=%i (exact)", (n) => {
    const x = uniform(n, n + 3, -1, 1);
    if (n > 3) {
      x[0] = 0;
      x[1] = -0;
      x[2] = NaN;
      x[3] = -Infinity;
    }
    const dy = uniform(n, n + 4, -1, 1);
    const fwd = both((inst) => {
      const out = allocF32(n, inst);
      inst.kernels.reluForward(out.ptr, put(inst, x).ptr, n);
      return out.view().slice();
    }, []);
    // NaN propagates and −0 stays −0 (f32x4.pmax); toEqual tells +0 from −0
    expect(Array.from(fwd)).toEqual(Array.from(x, (v) => (v < 0 ? 0 : v)));
    const bwd = both((inst) => {
      const d = put(inst, dy);
      inst.kernels.reluBackward(d.ptr, d.ptr, put(inst, fwd).ptr, n); // in place, as the layer does
      return d.view().slice();
    }, []);
    expect(Array.from(bwd)).toEqual(Array.from(dy, (v, i) => (x[i] > 0 ? v : 0)));
    expect(Object.is(fwd[1], -0) || n <= 3).toBe(true);
  });
});

describe("softmaxCrossEntropy kernel", () => {
  it("flushes probabilities and gradients below 2^-126 to zero", () => {
    // logits (0, −100): p1 = e^-100/(1 + e^-100) ≈ 3.7e-44, subnormal in f32
    for (const inst of [simd, scalar]) {
      const z = put(inst, new Float32Array([0, -100])),
        y = allocU32(1, inst),
        probs = allocF32(2, inst),
        dz = allocF32(2, inst);
      inst.clearAcc();
      inst.kernels.softmaxCrossEntropy(dz.ptr, probs.ptr, inst.accPtr, z.ptr, y.ptr, 1, 2, 1);
      expect(Array.from(probs.view())).toEqual([1, 0]);
      expect(Array.from(dz.view())).toEqual([0, 0]);
    }
  });

  it.each([
    [1, 2],
    [4, 3],
    [17, 10],
    [3, 1],
  ])("m=%i rows, n=%i classes: loss, accuracy, probabilities and gradient vs float64", (m, n) => {
    const z = uniform(m * n, m * 31 + n, -30, 30); // wide logits: the max-subtraction matters
    const labels = Uint32Array.from({ length: m }, (_, i) => (i * 7) % n);
    let wantLoss = 0,
      wantCorrect = 0;
    const wantP = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      const row = Array.from(z.subarray(i * n, (i + 1) * n));
      const max = Math.max(...row);
      const e = row.map((v) => Math.exp(v - max));
      const s = e.reduce((a, b) => a + b, 0);
      e.forEach((v, j) => (wantP[i * n + j] = v / s));
      wantLoss += -Math.log(Math.min(Math.max(wantP[i * n + labels[i]], 1e-7), 1 - 1e-7));
      if (row.indexOf(max) === labels[i]) wantCorrect++;
    }
    const run = (inst: Instance) => {
      const zb = put(inst, z),
        yb = allocU32(m, inst),
        probs = allocF32(m * n, inst),
        dz = allocF32(m * n, inst);
      yb.view().set(labels);
      inst.clearAcc();
      inst.kernels.softmaxCrossEntropy(dz.ptr, probs.ptr, inst.accPtr, zb.ptr, yb.ptr, m, n, 1 / m);
      return { acc: inst.readAcc(), probs: probs.view().slice(), dz: dz.view().slice() };
    };
    const a = run(simd),
      b = run(scalar);
    expect(firstBitDifference(a.probs, b.probs)).toBe(-1);
    expect(a.acc).toEqual(b.acc);
    // loss and probabilities come from f64 exponentials of f32 logits: relative 1e-6 covers the
    // f32 rounding of the parked exponentials and of the stored probabilities
    expect(a.acc[0]).toBeCloseTo(wantLoss, 5);
    expect(a.acc[1]).toBe(wantCorrect);
    for (let i = 0; i < m * n; i++) {
      expect(Math.abs(a.probs[i] - wantP[i])).toBeLessThanOrEqual(1e-6 * wantP[i] + 1e-30);
      const onehot = i % n === labels[Math.floor(i / n)] ? 1 : 0;
      expect(Math.abs(a.dz[i] - (wantP[i] - onehot) / m)).toBeLessThanOrEqual(1e-6 / m);
    }
  });
});
