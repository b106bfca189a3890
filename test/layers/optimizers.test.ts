// Optimizer steps against hand-computed values, and against the kernels' f32 arithmetic reproduced
// exactly with Math.fround (refAdamUpdate, refSgdUpdate) over the optimizers' lr decay and step count.
import { beforeAll, describe, expect, it } from "vitest";
import { Adam, allocF32, init, SGD, type Param } from "../../src/index.js";
import { adamArgs, firstBitDifference, refAdamUpdate, refSgdUpdate, uniform } from "./support.js";

beforeAll(() => init());

function param(w: ArrayLike<number>): Param {
  const value = allocF32(w.length),
    grad = allocF32(w.length);
  value.view().set(w);
  return { name: "weights", value, grad, l1: 0, l2: 0 };
}

describe("hand-computed steps (one weight, constant gradient)", () => {
  it("SGD with momentum 0.9 and decay 0.1: w 1 → 0.5 → −0.40454… → −1.63530…", () => {
    // lr_t = 1/(1 + 0.1t); u ← 0.9u − lr_t·g; w ← w + u with g = 0.5:
    // t=0: u = −0.5, w = 0.5; t=1: lr = 1/1.1, u = −0.45 − 0.4545… = −0.9045…, w = −0.4045…;
    // t=2: lr = 1/1.2, u = −0.81409… − 0.41666… = −1.23075…, w = −1.63530…
    const p = param([1]);
    p.grad.view()[0] = 0.5;
    const sgd = new SGD({ learningRate: 1, decay: 0.1, momentum: 0.9 });
    const want = [0.5, -0.40454545454545454, -1.6353030303030303];
    const lrs = [1, 1 / 1.1, 1 / 1.2];
    for (let t = 0; t < 3; t++) {
      expect(sgd.currentLearningRate).toBeCloseTo(lrs[t], 15);
      expect(sgd.step([p])).toBeCloseTo(lrs[t], 15);
      // f32 arithmetic: a few ulps (~1e-7) of the values involved
      expect(p.value.view()[0]).toBeCloseTo(want[t], 6);
    }
    expect(sgd.iterations).toBe(3);
  });

  it("SGD without momentum: w ← w − lr·g; weight decay multiplies w by 1 − lr·weightDecay first", () => {
    const p = param([2]);
    p.grad.view()[0] = -1;
    new SGD({ learningRate: 0.5, weightDecay: 0.1 }).step([p]);
    expect(p.value.view()[0]).toBeCloseTo(2 * (1 - 0.05) + 0.5, 6); // 2.4
  });

  it("Adam with decay 0.5 and weight decay 0.01 (AdamW): w 1 → 0.89900… → 0.83173… → 0.78131…", () => {
    // With a constant gradient, m̂ = g and v̂ = g² at every step, so each step is
    // w ← w·(1 − lr_t·0.01) − lr_t·g/(|g| + 1e-7), lr_t = 0.1/(1 + 0.5t), g = 0.2:
    // t=0: 0.999 − 0.1·0.9999995 = 0.89900005; t=1: 0.8984007… − 0.0666666… = 0.8317340…; t=2: 0.7813182…
    const p = param([1]);
    p.grad.view()[0] = 0.2;
    const adam = new Adam({ learningRate: 0.1, decay: 0.5, weightDecay: 0.01 });
    const want = [0.8990000499999748, 0.8317340832999586, 0.7813182412582961];
    for (let t = 0; t < 3; t++) {
      adam.step([p]);
      // f32 arithmetic (β, lr, c1, c2 and the state rounded to f32): a few ulps of ~1
      expect(p.value.view()[0]).toBeCloseTo(want[t], 6);
    }
  });

  it("Adam defaults are the course's: lr 0.001, ε 1e-7, β 0.9 / 0.999", () => {
    const adam = new Adam();
    expect([adam.learningRate, adam.epsilon, adam.beta1, adam.beta2, adam.decay, adam.weightDecay]).toEqual([
      0.001, 1e-7, 0.9, 0.999, 0, 0,
    ]);
    const p = param([0]);
    p.grad.view()[0] = -3;
    adam.step([p]);
    // first step: m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε) ≈ −0.001
    expect(p.value.view()[0]).toBeCloseTo(0.001, 8);
  });
});

describe("subnormal results are flushed to zero (they would slow every later multiply)", () => {
  // 2^-125 − (2^-125 − 2^-149) = 2^-149, the smallest subnormal: stored as +0
  it.each([
    ["SGD", () => new SGD({ learningRate: 1 })],
    ["SGD with momentum", () => new SGD({ learningRate: 1, momentum: 0.5 })],
  ] as const)("%s", (_, make) => {
    const p = param([2 ** -125, 2 ** -125, 2 ** -125, 2 ** -125, 2 ** -125]); // SIMD lanes and the tail
    p.grad.view().fill(2 ** -125 - 2 ** -149);
    make().step([p]);
    expect(Array.from(p.value.view())).toEqual([0, 0, 0, 0, 0]);
    expect(Object.is(p.value.view()[0], 0)).toBe(true);
  });
});

describe("bit-exact f32 emulation over SIMD lanes and tails (n = 37)", () => {
  const n = 37;

  it("SGD with momentum and weight decay", () => {
    const w0 = uniform(n, 1, -1, 1);
    const p = param(w0);
    const sgd = new SGD({ learningRate: 0.3, decay: 0.01, momentum: 0.8, weightDecay: 0.02 });
    const w = Float32Array.from(w0),
      u = new Float32Array(n);
    for (let t = 0; t < 4; t++) {
      const g = uniform(n, 10 + t, -2, 2);
      p.grad.view().set(g);
      const lr = 0.3 / (1 + 0.01 * t);
      sgd.step([p]);
      refSgdUpdate(w, g, u, { lr, momentum: 0.8, keep: 1 - lr * 0.02 });
      expect(firstBitDifference(p.value.view().slice(), w)).toBe(-1);
    }
  });

  it("Adam", () => {
    const w0 = uniform(n, 2, -1, 1);
    const p = param(w0);
    const adam = new Adam({ learningRate: 0.05, decay: 5e-5, weightDecay: 0.001 });
    const w = Float32Array.from(w0),
      m = new Float32Array(n),
      v = new Float32Array(n);
    for (let t = 0; t < 4; t++) {
      const g = uniform(n, 20 + t, -2, 2);
      p.grad.view().set(g);
      const lr = 0.05 / (1 + 5e-5 * t);
      adam.step([p]);
      refAdamUpdate(w, g, m, v, adamArgs(lr, t, { weightDecay: 0.001 }));
      expect(firstBitDifference(p.value.view().slice(), w)).toBe(-1);
    }
  });
});
