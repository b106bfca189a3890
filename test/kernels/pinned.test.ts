// Pinned digests of the activation and value-loss kernels (sigmoid, tanh, softmax forward and
// backward; binary cross-entropy, mean squared and mean absolute error): the same bytes in Node and
// Chromium, on the SIMD and the scalar build (this file runs in all four projects). Before a digest
// is compared, the outputs are checked against the references (bit for bit against the documented
// f32 sequences of σ and tanh; within one f32 rounding of float64 for the rest), so a wrong kernel
// cannot hide behind a pin. A deliberate change of these kernels' arithmetic changes the digests:
// update them from the failure message after the reference checks pass.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, type Instance, init, instantiate } from "../../src/index.js";
import { sha256Hex } from "../golden/bytes.js";
import { firstBitDifference } from "./support/bits.js";
import { put } from "./support/builds.js";
import { uniformF32 as uniform } from "./support/data.js";
import {
  FLT_MIN,
  refSoftmaxBackward,
  refValueLoss,
  sigmoidBackwardF32,
  sigmoidF32,
  tanhBackwardF32,
  tanhF32,
  type ValueLossName,
} from "./support/activation-reference.js";
import { refSoftmaxCrossEntropy } from "./support/layer-reference.js";

const PINS: Record<string, string> = {
  sigmoid: "da3ab015895147a379912d21a99ef784e692d5ca3054fa164bfb4aa05d7511ef",
  tanh: "964331abbdfb23ec65a1f2159ea133370675400f91801ee07183e3895ed70ce9",
  softmax: "35ed7b973e66ac6874dc35ef7dae92dea0cc14578a0ed3e41fdbefd99cd7130b",
  binaryCrossEntropy: "c2fe9466b37dd8090d65cbb459a73e0f9d5cbfe2f6dfffb97fb68b36a24a841d",
  meanSquaredError: "b5095b06b7e67f26650e1b0130561d41ab70f91f8dfecb74d5c7247adff1b71f",
  meanAbsoluteError: "aa597f9411f1d908e643b91c8aeddc5ccefbb97f4aee156c40caef0add4dd190",
};

let builds: Instance[];
beforeAll(async () => {
  await init();
  builds = await Promise.all([instantiate({ simd: false }), instantiate()]);
});

/** 4097 elements: 512 SIMD steps of 8 and a scalar tail; finite values with the branch edges of σ and tanh. */
const N = 4097;
const X = uniform(N, 2024, -20, 20);
[0, -0, 0.625, -0.625, 87.3, -87.3, 88.1, -88.1, Infinity, -Infinity, 1e-30, 3.4e38].forEach((v, i) => {
  X[i * 331] = v;
});
const DY = uniform(N, 2025, -2, 2);

/** The bytes of every output, concatenated; their SHA-256. */
async function digest(parts: (Float32Array | Float64Array)[]): Promise<string> {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.byteLength;
  }
  return sha256Hex(bytes);
}

/** Runs `outputs` on both builds: identical bytes, then the pinned digest. */
async function expectPinned(name: string, outputs: (inst: Instance) => (Float32Array | Float64Array)[]) {
  const [scalar, simd] = await Promise.all(builds.map((inst) => digest(outputs(inst))));
  expect(simd, `${name}: SIMD and scalar builds differ`).toBe(scalar);
  expect(scalar, `${name}: digest`).toBe(PINS[name]);
}

describe("pinned digests (Node == Chromium, SIMD == scalar)", () => {
  it.each([
    ["sigmoid", "sigmoidForward", "sigmoidBackward", sigmoidF32, sigmoidBackwardF32],
    ["tanh", "tanhForward", "tanhBackward", tanhF32, tanhBackwardF32],
  ] as const)("%s forward and backward", async (name, forward, backward, f32Forward, f32Backward) => {
    await expectPinned(name, (inst) => {
      const y = allocF32(N, inst);
      inst.kernels[forward](y.ptr, put(inst, X).ptr, N);
      const dx = allocF32(N, inst);
      inst.kernels[backward](dx.ptr, put(inst, DY).ptr, y.ptr, N);
      const out = [y.view().slice(), dx.view().slice()];
      expect(firstBitDifference(out[0], Float32Array.from(X, f32Forward))).toBe(-1);
      expect(
        firstBitDifference(
          out[1],
          Float32Array.from(DY, (d, i) => f32Backward(d, out[0][i])),
        ),
      ).toBe(-1);
      return out;
    });
  });

  it("softmax forward and backward", async () => {
    const m = 97,
      n = 31;
    const z = uniform(m * n, 2026, -30, 30),
      dy = uniform(m * n, 2027, -2, 2);
    await expectPinned("softmax", (inst) => {
      const y = allocF32(m * n, inst);
      inst.kernels.softmaxForward(y.ptr, put(inst, z).ptr, m, n);
      const d = put(inst, dy);
      inst.kernels.softmaxBackward(d.ptr, d.ptr, y.ptr, m, n);
      const out = [y.view().slice(), d.view().slice()];
      const probs = refSoftmaxCrossEntropy(z, new Uint32Array(m), m, n, 1).probs;
      const dx = refSoftmaxBackward(dy, out[0], m, n);
      out[0].forEach((v, i) => expect(Math.abs(v - probs[i])).toBeLessThanOrEqual(2 ** -23 * probs[i] + FLT_MIN));
      out[1].forEach((v, i) => expect(Math.abs(v - dx[i])).toBeLessThanOrEqual(2 ** -24 * Math.abs(dx[i]) + FLT_MIN));
      return out;
    });
  });

  it.each<ValueLossName>(["binaryCrossEntropy", "meanSquaredError", "meanAbsoluteError"])(
    "%s: sums and gradient",
    async (name) => {
      const m = 61,
        n = 7;
      const bce = name === "binaryCrossEntropy";
      const p = uniform(m * n, 2028, bce ? 0 : -3, bce ? 1 : 3);
      const y = Float32Array.from(uniform(m * n, 2029, bce ? 0 : -3, bce ? 1 : 3), (v) => (bce ? Math.round(v) : v));
      const want = refValueLoss(name, p, y, m, n, 1 / m);
      await expectPinned(name, (inst) => {
        const dp = allocF32(m * n, inst);
        inst.clearAcc();
        inst.kernels[name](dp.ptr, inst.accPtr, put(inst, p).ptr, put(inst, y).ptr, m, n, 1 / m);
        const sums = Float64Array.from(inst.readAcc());
        expect(Math.abs(sums[0] - want.loss)).toBeLessThanOrEqual(1e-12 * want.loss);
        expect(sums[1]).toBe(want.hits);
        const out = dp.view().slice();
        out.forEach((v, i) => expect(Math.abs(v - want.dp[i])).toBeLessThanOrEqual(2 ** -24 * Math.abs(want.dp[i])));
        return [sums, out];
      });
    },
  );
});
