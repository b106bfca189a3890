// A dropout rate must lie in [0, 1], checked exactly at both ends wherever a rate is taken: the
// kernels (dropout, dropoutBackward from a mask and regenerated), the Dropout layer, and a Dropout
// read back by Sequential.fromJSON. The nearest doubles outside ([1 + 2^-52, −2^-1074]) must throw a
// RangeError naming the argument, and must not touch the caller's arrays; the nearest inside are taken.
// −0 is in [0, 1] (−0 >= 0) and is accepted: it means rate 0, i.e. the identity with every mask bit set,
// exactly as +0 (the kernel tests rate <= 0), and a saved layer writes it as 0.
import { beforeAll, describe, expect, it } from "vitest";
import { Dense, Dropout, dropout, dropoutBackward, init, Sequential } from "../../src/index.js";
import { snapshot } from "./support/bits.js";
import { normalF32 } from "./support/data.js";

beforeAll(() => init());

const OUTSIDE: [string, number][] = [
  ["1 + 2^-52", 1 + 2 ** -52],
  ["1.0000001", 1.0000001],
  ["1 + 2^-23 (the next f32 above 1)", 1 + 2 ** -23],
  ["Infinity", Infinity],
  ["−Number.MIN_VALUE", -Number.MIN_VALUE],
  ["−2^-53", -(2 ** -53)],
  ["−Infinity", -Infinity],
  ["NaN", NaN],
];
const INSIDE: [string, number][] = [
  ["0", 0],
  ["−0", -0],
  ["Number.MIN_VALUE", Number.MIN_VALUE],
  ["1 − 2^-53", 1 - 2 ** -53],
  ["1", 1],
];

const N = 40;
const x = normalF32(N, 1);

/** Every place a rate is taken; `name` is what the error message must name. */
const takers: [string, RegExp, (rate: number, arrays: { out: Float32Array; mask: Uint32Array }) => unknown][] = [
  ["dropout", /options\.rate/, (rate, { out, mask }) => dropout(x, { rate, seed: 1, out, mask })],
  ["dropoutBackward from a mask", /options\.rate/, (rate, { out, mask }) => dropoutBackward(x, { rate, mask }, out)],
  ["dropoutBackward regenerated", /options\.rate/, (rate, { out }) => dropoutBackward(x, { rate, seed: 1 }, out)],
  ["new Dropout", /\brate\b/, (rate) => new Dropout(rate, { seed: 1 })],
  [
    "Sequential.fromJSON",
    /json\.layers\[1\]: rate/,
    (rate) => {
      const model = new Sequential([new Dense(2, 3, { seed: 1 }), new Dropout(0.5, { seed: 2 })]);
      const json = model.toJSON();
      model.free();
      json.layers[1].rate = rate;
      return Sequential.fromJSON(json);
    },
  ],
];

describe.each(takers)("%s", (_, names, take) => {
  it.each(OUTSIDE)("rate %s: RangeError naming the rate; out and mask untouched", (_, rate) => {
    const arrays = { out: new Float32Array(N).fill(7), mask: new Uint32Array(2).fill(0xabcdef) };
    const before = [snapshot(arrays.out), snapshot(arrays.mask)];
    expect(() => take(rate, arrays)).toThrow(RangeError);
    expect(() => take(rate, arrays)).toThrow(names);
    expect([snapshot(arrays.out), snapshot(arrays.mask)]).toEqual(before);
  });

  it.each(INSIDE)("rate %s is accepted", (_, rate) => {
    const result = take(rate, { out: new Float32Array(N), mask: new Uint32Array(2) });
    if (result instanceof Sequential || result instanceof Dropout) result.free();
  });
});

describe("rate −0 is rate 0", () => {
  it("dropout copies x bit for bit with every mask bit set; backward copies dy", () => {
    const { output, mask } = dropout(x, { rate: -0, seed: 1 });
    expect(snapshot(output)).toEqual(snapshot(x));
    expect(Array.from(mask!)).toEqual([0xffffffff, 0xff]);
    expect(snapshot(dropoutBackward<Float32Array>(x, { rate: -0, mask: new Uint32Array(2) }))).toEqual(snapshot(x));
    expect(snapshot(dropoutBackward<Float32Array>(x, { rate: -0, seed: 1 }))).toEqual(snapshot(x));
  });

  it("a Dropout(−0) layer saves rate 0", () => {
    const layer = new Dropout(-0, { seed: 1 });
    expect(JSON.parse(JSON.stringify(layer.toJSON())).rate).toBe(0);
    layer.free();
  });
});
