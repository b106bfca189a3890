// getWeights / setWeights: copies of every parameter in params() order (each layer's weights, then
// its biases), and back; every array checked before any is written.
import { describe, expect, it } from "vitest";
import { Dense, Dropout, init, ReLU, SGD, Sequential, spiralData } from "../../src/index.js";
import { firstBitDifference, uniform } from "./support.js";

await init();

const model = (seed = 1) =>
  new Sequential([new Dense(2, 5, { seed }), new ReLU(), new Dropout(0.1), new Dense(5, 3, { seed: seed + 1 })]);

describe("getWeights", () => {
  it("copies every parameter's values in params() order, detached from WASM memory", async () => {
    const m = model();
    const weights = m.getWeights();
    expect(weights.map((w) => w.length)).toEqual([10, 5, 15, 3]);
    m.params().forEach((p, i) => expect(firstBitDifference(weights[i], p.value.view())).toBe(-1));
    // JSON holds the same numbers (an independent path to the parameters)
    const json = m.toJSON();
    expect(Array.from(weights[0])).toEqual(json.layers[0].weights);
    expect(Array.from(weights[3])).toEqual(json.layers[3].biases);
    // a copy: training changes the model, not the arrays taken before
    const before = weights.map((w) => w.slice());
    const data = spiralData(10, 3, { seed: 1 });
    await m.fit(data.x, data.y, { epochs: 2, optimizer: new SGD() });
    weights.forEach((w, i) => expect(firstBitDifference(w, before[i])).toBe(-1));
    expect(m.getWeights().some((w, i) => firstBitDifference(w, before[i]) !== -1)).toBe(true);
    m.free();
  });
});

describe("setWeights", () => {
  it("round trip: another model's weights make it predict the same bits", () => {
    const [a, b] = [model(1), model(7)];
    const x = uniform(40, 3);
    expect(firstBitDifference(a.predict(x), b.predict(x))).not.toBe(-1);
    b.setWeights(a.getWeights());
    b.getWeights().forEach((w, i) => expect(firstBitDifference(w, a.getWeights()[i])).toBe(-1));
    expect(firstBitDifference(a.predict(x), b.predict(x))).toBe(-1);
    a.free();
    b.free();
  });

  it("takes plain arrays and Float64Arrays, rounding to f32", () => {
    const m = model();
    const values = [
      Array.from({ length: 10 }, (_, i) => i / 3),
      new Float64Array(5).fill(0.1),
      new Array(15).fill(-2.5),
      [1, 2, 3],
    ];
    m.setWeights(values);
    m.getWeights().forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(values[i], Math.fround)));
    m.free();
  });

  it.each<[string, (w: Float32Array[]) => unknown, RegExp, ErrorConstructor]>([
    [
      "not an array",
      (w) => w[0],
      /^weights must be an array of 4 arrays \(one per parameter, as getWeights returns\)$/,
      TypeError,
    ],
    ["one array short", (w) => w.slice(0, 3), /^weights must be an array of 4 arrays/, TypeError],
    ["one array too many", (w) => [...w, new Float32Array(3)], /^weights must be an array of 4 arrays/, TypeError],
    [
      "a wrong length",
      (w) => [w[0], w[1], w[2].subarray(1), w[3]],
      /^weights\[2\] \(weights\) must hold 15 numbers, got a Float32Array$/,
      RangeError,
    ],
    [
      "null in place of an array",
      (w) => [w[0], null, w[2], w[3]],
      /^weights\[1\] \(biases\) must hold 5 numbers, got null$/,
      RangeError,
    ],
    [
      "a string",
      (w) => [w[0], "12345", w[2], w[3]],
      /^weights\[1\] \(biases\) must hold 5 numbers, got string 12345$/,
      RangeError,
    ],
    [
      "NaN",
      (w) => [w[0], w[1], w[2], Float32Array.of(0, Number.NaN, 0)],
      /^weights\[3\]\[1\] must be a finite number in the f32 range, got number NaN$/,
      RangeError,
    ],
    [
      "−∞",
      (w) => [Float32Array.from(w[0], (v, i) => (i === 9 ? -Infinity : v)), w[1], w[2], w[3]],
      /^weights\[0\]\[9\] must be a finite number/,
      RangeError,
    ],
    [
      "1e39 (beyond f32)",
      (w) => [w[0], w[1], w[2], [0, 0, 1e39]],
      /^weights\[3\]\[2\] must be a finite number in the f32 range, got number 1e\+39$/,
      RangeError,
    ],
    [
      "a string of a number",
      (w) => [w[0], w[1], w[2], [0, "1", 0]],
      /^weights\[3\]\[1\] must be a finite number in the f32 range, got string 1$/,
      RangeError,
    ],
    [
      "null in an array",
      (w) => [w[0], w[1], w[2], [0, 0, null]],
      /^weights\[3\]\[2\] must be a finite number in the f32 range, got null$/,
      RangeError,
    ],
  ])("%s: refused by name, nothing written", (_, make, message, type) => {
    const m = model();
    const before = m.getWeights();
    // every array but the bad one differs from the model's: a partial write would show
    const other = model(9).getWeights();
    const bad = make(other);
    expect(() => m.setWeights(bad as never)).toThrow(type);
    expect(() => m.setWeights(bad as never)).toThrow(message);
    m.getWeights().forEach((w, i) => expect(firstBitDifference(w, before[i]), `params()[${i}]`).toBe(-1));
    m.free();
  });
});
