// Seeds are optional: an unseeded call takes the next seed of the global generator, (globalSeed + k)
// mod 2^53 since the last setSeed (default global seed 0), so it never reuses a mask and a script
// replays after setSeed. Kernels also take plain number[] inputs (copied, output a Float32Array).
import { beforeAll, describe, expect, it } from "vitest";
import {
  addPenaltyGrad,
  DEFAULT_GLOBAL_SEED,
  Dense,
  Dropout,
  dropout,
  dropoutBackward,
  gaussianDropout,
  gaussianNoise,
  init,
  l1Penalty,
  l2Penalty,
  penalty,
  randomNormal,
  randomUint32,
  setSeed,
} from "../../src/index.js";
import { describeDifference } from "./support/bits.js";
import { normalF32 } from "./support/data.js";

beforeAll(() => init());

const x = normalF32(300, 1);

describe("the global generator", () => {
  it("unseeded calls take seeds s, s + 1, … after setSeed(s): each call a new mask, and setSeed replays them", () => {
    setSeed(1000);
    const a = dropout(x, { rate: 0.5 });
    const b = dropout(x, { rate: 0.5 });
    const c = randomUint32(new Uint32Array(8));
    expect(a.mask).not.toEqual(b.mask); // never the same mask twice
    expect(describeDifference(a.output, dropout(x, { rate: 0.5, seed: 1000 }).output)).toBe("identical");
    expect(describeDifference(b.output, dropout(x, { rate: 0.5, seed: 1001 }).output)).toBe("identical");
    expect(c).toEqual(randomUint32(new Uint32Array(8), { seed: 1002 }));
    setSeed(1000);
    expect(describeDifference(dropout(x, { rate: 0.5 }).output, a.output)).toBe("identical");
    expect(describeDifference(dropout(x, { rate: 0.5 }).output, b.output)).toBe("identical");
  });

  it("the documented default is 0, and the sequence wraps at 2^53", () => {
    expect(DEFAULT_GLOBAL_SEED).toBe(0);
    setSeed(2 ** 53 - 1);
    const last = randomNormal(new Float32Array(4));
    const wrapped = randomNormal(new Float32Array(4));
    expect(last).toEqual(randomNormal(new Float32Array(4), { seed: 2 ** 53 - 1 }));
    expect(wrapped).toEqual(randomNormal(new Float32Array(4), { seed: 0 }));
  });

  it("layers built without a seed draw from it too (Dense and the dropout family)", () => {
    setSeed(77);
    const dense = new Dense(3, 2);
    const drop = new Dropout(0.5);
    expect(drop.seed).toBe(78);
    setSeed(77);
    expect(new Dense(3, 2).weights.view()).toEqual(dense.weights.view());
    expect(new Dropout(0.5).seed).toBe(78);
    expect(new Dense(3, 2, { seed: 77 }).weights.view()).toEqual(dense.weights.view());
  });

  it("a refused call draws nothing; regenerating a mask needs the forward call's seed", () => {
    setSeed(5);
    expect(() => dropout(x, { rate: 2 })).toThrow(RangeError);
    expect(() => gaussianNoise(x, { stddev: 1, out: new Float32Array(1) })).toThrow(RangeError);
    expect(() => dropout(x, { rate: 0.5, stream: -1 })).toThrow(RangeError);
    expect(describeDifference(gaussianDropout(x, { rate: 0.2 }), gaussianDropout(x, { rate: 0.2, seed: 5 }))).toBe(
      "identical",
    );
    expect(() => dropoutBackward(x, { rate: 0.5 })).toThrow(
      "options.seed is required to regenerate the mask (or pass the forward call's options.mask)",
    );
    expect(() => setSeed(-1)).toThrow("seed must be an integer in [0, 2^53 - 1], got -1");
    expect(() => setSeed(0.5)).toThrow(RangeError);
  });
});

describe("plain number[] inputs", () => {
  const values = [0.5, -1.25, 3, 1e-3, -7];
  const typed = Float32Array.from(values);

  it("are copied and give the Float32Array's results (outputs are Float32Arrays)", () => {
    const fromArray = dropout(values, { rate: 0.4, seed: 3 });
    expect(fromArray.output).toBeInstanceOf(Float32Array);
    expect(describeDifference(fromArray.output, dropout(typed, { rate: 0.4, seed: 3 }).output)).toBe("identical");
    const back = dropoutBackward(values, { rate: 0.4, mask: fromArray.mask });
    expect(back).toBeInstanceOf(Float32Array);
    expect(describeDifference(back, dropoutBackward(typed, { rate: 0.4, seed: 3 }))).toBe("identical");
    expect(
      describeDifference(gaussianNoise(values, { stddev: 1, seed: 2 }), gaussianNoise(typed, { stddev: 1, seed: 2 })),
    ).toBe("identical");
    expect(
      describeDifference(
        gaussianDropout(values, { rate: 0.3, seed: 2 }),
        gaussianDropout(typed, { rate: 0.3, seed: 2 }),
      ),
    ).toBe("identical");
    // Σ|x| and Σx² of the f32-rounded values
    expect(l1Penalty(values)).toBe(l1Penalty(typed));
    expect(l2Penalty(values)).toBe(l2Penalty(typed));
    expect(penalty(values, { l1: 0.1, l2: 0.2 })).toBe(penalty(typed, { l1: 0.1, l2: 0.2 }));
    const g1 = new Float32Array(5),
      g2 = new Float32Array(5);
    expect(addPenaltyGrad(g1, values, { l1: 0.1, l2: 0.2 })).toBe(addPenaltyGrad(g2, typed, { l1: 0.1, l2: 0.2 }));
    expect(g1).toEqual(g2);
    expect(values).toEqual([0.5, -1.25, 3, 1e-3, -7]); // the caller's array is untouched
  });

  it("refuse an element that is not a number, naming its index", () => {
    expect(() => dropout([1, "2"] as never, { rate: 0.5, seed: 1 })).toThrow("x[1] must be a number, got string 2");
    expect(() => l1Penalty([1, null] as never)).toThrow(TypeError);
    expect(() => dropout(new Float64Array(2) as never, { rate: 0.5, seed: 1 })).toThrow(
      "x must be a Float32Array, F32Buffer or array of numbers, got a Float64Array",
    );
  });
});
