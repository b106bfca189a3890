// The optimizers' contracts beyond their arithmetic (optimizers.test.ts): named argument errors,
// SGD's defaults and its state only with momentum, the JSON form, restore()'s checks, and free().
import { beforeAll, describe, expect, it } from "vitest";
import {
  Adam,
  allocF32,
  init,
  LearningRateSchedule,
  MaxNorm,
  type OptimizerJSON,
  type Param,
  type ScheduleJSON,
  SGD,
} from "../../src/index.js";
import { F32_MAX } from "../../src/validate.js";
import { defaultInstance } from "../../src/wasm/instance.js";

beforeAll(() => init());

const live = () => defaultInstance().heap.allocations;

function param(w: ArrayLike<number>, g: ArrayLike<number>): Param {
  const value = allocF32(w.length),
    grad = allocF32(w.length);
  value.view().set(w);
  grad.view().set(g);
  return { name: "weights", value, grad, l1: 0, l2: 0 };
}

describe("arguments", () => {
  it.each<[string, () => unknown, RegExp]>([
    ["SGD options", () => new SGD(null as never), /^options must be an object, got null$/],
    ["SGD learningRate", () => new SGD({ learningRate: 0 }), /^options\.learningRate must be a finite number > 0/],
    ["SGD decay", () => new SGD({ decay: -1 }), /^options\.decay must be a finite number >= 0/],
    ["SGD weightDecay", () => new SGD({ weightDecay: -1 }), /^options\.weightDecay must be a finite number >= 0/],
    ["SGD momentum", () => new SGD({ momentum: 1 }), /^options\.momentum must be in \[0, 1\), got number 1$/],
    ["Adam options", () => new Adam(7 as never), /^options must be an object, got number 7$/],
    ["Adam epsilon", () => new Adam({ epsilon: 0 }), /^options\.epsilon must be a finite number > 0/],
    ["Adam beta1", () => new Adam({ beta1: 1 }), /^options\.beta1 must be in \[0, 1\)/],
    ["Adam beta2", () => new Adam({ beta2: -0.1 }), /^options\.beta2 must be in \[0, 1\)/],
  ])("%s", (_, build, message) => {
    expect(build).toThrow(message);
  });
});

describe("SGD", () => {
  it("defaults: lr 1, no decay, no momentum, no weight decay; w ← w − g", () => {
    const sgd = new SGD();
    expect([sgd.learningRate, sgd.decay, sgd.momentum, sgd.weightDecay]).toEqual([1, 0, 0, 0]);
    const p = param([1, 2], [0.25, -0.5]);
    expect(sgd.step([p])).toBe(1);
    expect(Array.from(p.value.view())).toEqual([0.75, 2.5]);
  });

  it("keeps a velocity per parameter only with momentum, and saves it", () => {
    const p = param([1, 2], [0.5, 1]);
    const plain = new SGD({ learningRate: 0.5 });
    plain.step([p]);
    expect(plain.toJSON([p])).toEqual({
      type: "sgd",
      config: { learningRate: 0.5, decay: 0, momentum: 0, weightDecay: 0 },
      iterations: 1,
      state: [[]],
    });
    const before = live();
    const heavy = new SGD({ learningRate: 0.5, momentum: 0.5, decay: 0.25, weightDecay: 0.125 });
    heavy.step([p]);
    expect(live()).toBe(before + 1);
    // u = 0.5·0 − 0.5·g
    expect(heavy.toJSON([p])).toEqual({
      type: "sgd",
      config: { learningRate: 0.5, decay: 0.25, momentum: 0.5, weightDecay: 0.125 },
      iterations: 1,
      state: [[[-0.25, -0.5]]],
    });
    heavy.free();
    expect(live()).toBe(before);
  });

  it("fromJSON rebuilds the configuration", () => {
    const sgd = SGD.fromJSON({
      type: "sgd",
      config: { learningRate: 0.5, decay: 0.25, momentum: 0.5, weightDecay: 0.125 },
      iterations: 0,
      state: [],
    });
    expect([sgd.learningRate, sgd.decay, sgd.momentum, sgd.weightDecay]).toEqual([0.5, 0.25, 0.5, 0.125]);
  });

  it("fromJSON requires the configuration (a missing one is not read as the defaults)", () => {
    for (const fromJSON of [SGD.fromJSON, Adam.fromJSON]) {
      expect(() => fromJSON({ type: "sgd", iterations: 0, state: [] } as never)).toThrow(
        /^json\.config must be an object, got undefined$/,
      );
    }
  });
});

describe("Adam", () => {
  it("saves its configuration and its two moments per parameter", () => {
    const p = param([1], [0.5]);
    const adam = new Adam({ learningRate: 0.1, decay: 0.5, epsilon: 1e-3, beta1: 0.5, beta2: 0.75, weightDecay: 0.25 });
    adam.step([p]);
    const json = adam.toJSON([p]);
    expect(json.type).toBe("adam");
    expect(json.config).toEqual({
      learningRate: 0.1,
      decay: 0.5,
      epsilon: 1e-3,
      beta1: 0.5,
      beta2: 0.75,
      weightDecay: 0.25,
    });
    // m = (1 − β1)·g = 0.25, v = (1 − β2)·g² = 0.0625 (exact in f32)
    expect(json.state).toEqual([[[0.25], [0.0625]]]);
    const copy = Adam.fromJSON(json);
    expect([copy.learningRate, copy.decay, copy.epsilon, copy.beta1, copy.beta2, copy.weightDecay]).toEqual([
      0.1, 0.5, 1e-3, 0.5, 0.75, 0.25,
    ]);
  });
});

describe("restore()", () => {
  const saved = (): OptimizerJSON => ({
    type: "adam",
    config: {},
    iterations: 3,
    state: [
      [
        [0.5, 0.25],
        [1, 2],
      ],
      null,
    ],
  });

  it("loads iterations and state; null leaves a parameter without state", () => {
    const a = param([1, 2], [0, 0]),
      b = param([3], [0]);
    const adam = new Adam();
    adam.restore(saved(), [a, b]);
    expect(adam.iterations).toBe(3);
    expect(adam.toJSON([a, b]).state).toEqual([
      [
        [0.5, 0.25],
        [1, 2],
      ],
      null,
    ]);
    adam.restore({ ...saved(), iterations: 0 }, [a, b]); // a model saved before its first step
    expect(adam.iterations).toBe(0);
  });

  it.each<[string, (j: OptimizerJSON) => void, RegExp]>([
    [
      "negative iterations",
      (j) => (j.iterations = -1),
      /^optimizer\.iterations must be a non-negative integer, got number -1$/,
    ],
    ["fractional iterations", (j) => (j.iterations = 1.5), /^optimizer\.iterations must be a non-negative integer/],
    [
      "state not an array",
      (j) => (j.state = {} as never),
      /^optimizer\.state must hold one entry per parameter \(2\)$/,
    ],
    ["one state entry too few", (j) => j.state.pop(), /^optimizer\.state must hold one entry per parameter \(2\)$/],
    ["one slot too few", (j) => j.state[0]!.pop(), /^optimizer\.state\[0\] must hold 2 arrays$/],
    ["a slot not an array", (j) => (j.state[0] = "ab" as never), /^optimizer\.state\[0\] must hold 2 arrays$/],
    ["a short slot", (j) => j.state[0]![1].pop(), /^optimizer\.state\[0\]\[1\] must hold 2 finite numbers$/],
    ["a non-finite value", (j) => (j.state[0]![0][1] = Number.NaN), /^optimizer\.state\[0\]\[0\] must hold 2 finite/],
    ["a slot of strings", (j) => (j.state[0]![1] = "12" as never), /^optimizer\.state\[0\]\[1\] must hold 2 finite/],
  ])("refuses %s", (_, spoil, message) => {
    const json = saved();
    spoil(json);
    const a = param([1, 2], [0, 0]),
      b = param([3], [0]);
    expect(() => new Adam().restore(json, [a, b])).toThrow(message);
  });
});

/** A schedule that returns whatever it is given, to probe the optimizer's check of its values. */
class FixedSchedule extends LearningRateSchedule {
  readonly type = "fixed";
  constructor(readonly value: unknown) {
    super();
  }
  at(): number {
    return this.value as number;
  }
  toJSON(): ScheduleJSON {
    return { type: this.type };
  }
}

describe("edges", () => {
  it("excludeFromWeightDecay takes strings only", () => {
    for (const names of [[1], [null], ["biases", 2]])
      expect(() => new Adam({ weightDecay: 0.01, excludeFromWeightDecay: names as never })).toThrow(
        /^options\.excludeFromWeightDecay must be an array of non-empty strings/,
      );
  });

  it("a schedule's value must be a number in [0, f32 max]: a numeric string is refused, f32 max itself is taken", () => {
    expect(() => new SGD({ learningRate: new FixedSchedule("0.1") }).currentLearningRate).toThrow(
      /^the learning-rate schedule \(fixed\) gave string 0\.1 at step 0: it must be a finite number >= 0/,
    );
    expect(new SGD({ learningRate: new FixedSchedule(F32_MAX) }).currentLearningRate).toBe(F32_MAX);
    expect(() => new SGD({ learningRate: new FixedSchedule(F32_MAX * (1 + 2 ** -52)) }).currentLearningRate).toThrow(
      /must be a finite number >= 0 in the f32 range/,
    );
  });

  it("a saved learningRate of null is the optimizer's own error, not read as a schedule", () => {
    for (const fromJSON of [SGD.fromJSON, Adam.fromJSON])
      expect(() => fromJSON({ type: "sgd", config: { learningRate: null } } as never)).toThrow(
        /^options\.learningRate must be a finite number > 0/,
      );
  });

  it("a constrained parameter without a shape is constrained as the vector [length]", () => {
    const w = [3, 4, 0, 0];
    const p: Param = { ...param(w, [0, 0, 0, 0]), constraint: new MaxNorm({ maxValue: 1 }) };
    new SGD({ learningRate: 0.5 }).step([p]);
    // the norm of (3, 4, 0, 0) is 5: MaxNorm scales it to 1 (Keras: w · 1 / (1e-7 + 5))
    const expected = w.map((x) => Math.fround(x * (1 / (1e-7 + 5))));
    p.value.view().forEach((x, i) => expect(x).toBeCloseTo(expected[i], 6));
    p.value.free();
    p.grad.free();
  });
});
