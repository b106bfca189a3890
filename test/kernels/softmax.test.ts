// assembly/softmax.ts (softmaxCrossEntropy, softmaxForward, softmaxBackward) against float64
// references, and the two builds against each other bit for bit.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, allocU32, type Instance } from "../../src/index.js";
import { describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds, put } from "./support/builds.js";
import { uniformF32 as uniform } from "./support/data.js";
import { refSoftmaxCrossEntropy } from "./support/layer-reference.js";
import { FLT_MIN, refSoftmaxBackward } from "./support/activation-reference.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

describe("softmaxCrossEntropy kernel", () => {
  it("flushes probabilities and gradients below 2^-126 to zero", () => {
    // logits (0, −100): p1 = e^-100/(1 + e^-100) ≈ 3.7e-44, subnormal in f32
    for (const inst of [builds.tested, builds.other]) {
      const z = put(inst, [0, -100]),
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
    const want = refSoftmaxCrossEntropy(z, labels, m, n, 1 / m);
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
    const a = run(builds.tested),
      b = run(builds.other);
    expect(describeDifference(a.probs, b.probs)).toBe("identical");
    expect(describeDifference(a.dz, b.dz)).toBe("identical");
    expect(a.acc).toEqual(b.acc);
    // loss and probabilities come from f64 exponentials of f32 logits: relative 1e-6 covers the
    // f32 rounding of the parked exponentials and of the stored probabilities
    expect(a.acc[0]).toBeCloseTo(want.loss, 5);
    expect(a.acc[1]).toBe(want.correct);
    for (let i = 0; i < m * n; i++) {
      expect(Math.abs(a.probs[i] - want.probs[i])).toBeLessThanOrEqual(1e-6 * want.probs[i] + 1e-30);
      expect(Math.abs(a.dz[i] - want.dz[i])).toBeLessThanOrEqual(1e-6 / m);
    }
  });
});

describe("softmaxForward and softmaxBackward kernels", () => {
  it.each([
    [1, 1],
    [1, 2],
    [4, 3],
    [17, 10],
    [5, 33],
  ])(
    "m=%i rows, n=%i: forward is softmaxCrossEntropy's probabilities bit for bit, within 2 f32 roundings of float64",
    (m, n) => {
      const z = uniform(m * n, m * 17 + n, -30, 30);
      for (const inst of [builds.tested, builds.other]) {
        const zb = put(inst, z),
          viaLoss = allocF32(m * n, inst),
          out = allocF32(m * n, inst);
        inst.clearAcc();
        inst.kernels.softmaxCrossEntropy(0, viaLoss.ptr, inst.accPtr, zb.ptr, 0, m, n, 0); // no labels: sums untouched
        expect(inst.readAcc()).toEqual([0, 0]);
        inst.kernels.softmaxForward(out.ptr, zb.ptr, m, n);
        expect(describeDifference(out.view(), viaLoss.view())).toBe("identical");
        const want = refSoftmaxCrossEntropy(z, new Uint32Array(m), m, n, 1).probs;
        // f64 exponentials of f32 inputs, the probability parked once in f32 and stored in f32: 2 roundings
        out
          .view()
          .forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(2 * 2 ** -24 * want[i] + FLT_MIN));
      }
    },
  );

  it.each([
    [1, 1],
    [1, 2],
    [4, 3],
    [17, 10],
    [5, 33],
  ])("m=%i rows, n=%i: backward is y ⊙ (dy − Σ dy ⊙ y) per row, one f32 rounding of float64", (m, n) => {
    const z = uniform(m * n, m * 5 + n, -8, 8);
    const dy = uniform(m * n, m * 7 + n, -3, 3);
    const run = (inst: Instance) => {
      const y = allocF32(m * n, inst);
      inst.kernels.softmaxForward(y.ptr, put(inst, z).ptr, m, n);
      const d = put(inst, dy);
      inst.kernels.softmaxBackward(d.ptr, d.ptr, y.ptr, m, n); // in place, as the layer does
      return { y: y.view().slice(), dx: d.view().slice() };
    };
    const a = run(builds.tested),
      b = run(builds.other);
    expect(describeDifference(a.dx, b.dx)).toBe("identical");
    const want = refSoftmaxBackward(dy, a.y, m, n);
    for (let i = 0; i < m * n; i++) {
      const expected = Math.abs(want[i]) < FLT_MIN ? 0 : want[i];
      expect(Math.abs(a.dx[i] - expected), `dx[${i}]`).toBeLessThanOrEqual(2 ** -24 * Math.abs(expected));
    }
    // each row's gradient sums to dot·(1 − Σy): 0 but for the f32 rounding of the probabilities
    for (let i = 0; i < m; i++) {
      let sum = 0,
        scale = 0,
        dot = 0,
        ySum = 0;
      for (let j = 0; j < n; j++) {
        sum += a.dx[i * n + j];
        scale += Math.abs(a.dx[i * n + j]);
        dot += dy[i * n + j] * a.y[i * n + j];
        ySum += a.y[i * n + j];
      }
      expect(Math.abs(sum)).toBeLessThanOrEqual(Math.abs(dot * (1 - ySum)) + 2 ** -24 * scale + 1e-30);
    }
  });

  it("flushes gradients below 2^-126 to zero", () => {
    for (const inst of [builds.tested, builds.other]) {
      const y = put(inst, [1, 1e-38]), // a probability that underflowed to a subnormal-sized value
        d = put(inst, [0, 1]);
      inst.kernels.softmaxBackward(d.ptr, d.ptr, y.ptr, 1, 2);
      // dot = 1e-38; dx = [1·(0 − 1e-38), 1e-38·(1 − 1e-38)]: both below 2^-126
      expect(Array.from(d.view())).toEqual([0, 0]);
    }
  });
});
