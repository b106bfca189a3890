// Schedule contracts the formula tests leave open: the messages for a non-object options name the
// keys each schedule requires (decaySteps is required by ExponentialDecay and optional, default 1,
// for InverseTimeDecay), ExponentialDecay's decayRate in (0, 1] (Keras allows any rate; a growth is
// refused here on purpose), and PiecewiseConstantDecay past its last boundary (Keras: the last value).
import { describe, expect, it } from "vitest";
import {
  CosineDecay,
  ExponentialDecay,
  type ExponentialDecayOptions,
  InverseTimeDecay,
  PiecewiseConstantDecay,
} from "../../src/index.js";
import { thrown } from "../support/thrown.js";

describe("schedule contracts", () => {
  it("a non-object options names the keys each schedule requires", () => {
    const cases: [() => unknown, string][] = [
      [
        () => new ExponentialDecay(null as never),
        "options must be an object like { initialLearningRate, decaySteps, decayRate }, got null",
      ],
      [
        () => new InverseTimeDecay(null as never),
        "options must be an object like { initialLearningRate, decayRate }, got null",
      ],
      [
        () => new CosineDecay(5 as never),
        "options must be an object like { initialLearningRate, decaySteps }, got number 5",
      ],
      [
        () => new PiecewiseConstantDecay(5 as never),
        "options must be an object like { boundaries, values }, got number 5",
      ],
    ];
    for (const [make, message] of cases) {
      const error = thrown(make);
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe(message);
    }
  });

  it("decaySteps defaults to 1 for InverseTimeDecay and is required by ExponentialDecay", () => {
    const inverse = new InverseTimeDecay({ initialLearningRate: 1, decayRate: 0.5 });
    expect(inverse.decaySteps).toBe(1);
    expect(inverse.at(2)).toBe(1 / (1 + 0.5 * 2));
    const error = thrown(() => new ExponentialDecay({ initialLearningRate: 1, decayRate: 0.5 } as never));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe("options.decaySteps must be a positive integer, got undefined");
  });

  it("ExponentialDecay takes a decayRate in (0, 1] only", () => {
    for (const [rate, got] of [
      [0, "number 0"],
      [-0.5, "number -0.5"],
      [1.5, "number 1.5"],
      [Number.NaN, "number NaN"],
      ["0.5", "string 0.5"],
    ] as const) {
      const options = { initialLearningRate: 1, decaySteps: 10, decayRate: rate } as unknown as ExponentialDecayOptions;
      const error = thrown(() => new ExponentialDecay(options));
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toBe(`options.decayRate must be in (0, 1] (a decay, not a growth), got ${got}`);
    }
    // 1 is a constant rate: 0.1 at every step
    const constant = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 1 });
    expect([0, 7, 1000].map((s) => constant.at(s))).toEqual([0.1, 0.1, 0.1]);
  });

  it("PiecewiseConstantDecay gives the last value past the last boundary (Keras)", () => {
    const s = new PiecewiseConstantDecay({ boundaries: [10, 20], values: [1, 0.5, 0.1] });
    expect([0, 10, 11, 20, 21, 1e6].map((step) => s.at(step))).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
  });
});
