// assembly/softmax.ts (softmaxCrossEntropy) against a float64 reference, and the two builds against
// each other bit for bit.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, allocU32, type Instance } from "../../src/index.js";
import { describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds, put } from "./support/builds.js";
import { uniformF32 as uniform } from "./support/data.js";
import { refSoftmaxCrossEntropy } from "./support/layer-reference.js";

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
