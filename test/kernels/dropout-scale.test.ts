// Kept values are scaled by exactly f32(1/(1 − rate)), with 1 − rate and the division in f64. The
// usual test rates (0.1, 0.25, 0.3, 1/3, 0.5, 0.9) round to the same f32 scale under plausible wrong
// formulas, e.g. f32(1) / f32(1 − rate); for 226 of the rates k/1000 that one gives another scale. So
// every rate k/1000 is checked, at a position of a 128-element SIMD round, one of the partial last
// word and one of a call whose offset is not a group start, forward and in both backward forms.
import { beforeAll, describe, expect, it } from "vitest";
import { dropout, dropoutBackward, init } from "../../src/index.js";
import { refScale } from "../reference.js";
import { refKeepUniforms } from "../support/reference-generator.js";

beforeAll(() => init());

const RATES = Array.from({ length: 999 }, (_, k) => (k + 1) / 1000);
const SEED = 606;

const SMALL = Math.floor(0.001 * 2 ** 32);

/** A counter ≥ 300 whose uniform is below floor(0.001·2^32): that element is kept at every rate ≤ 0.999. */
function alwaysKeptCounter(): number {
  const counter = refKeepUniforms(20_000, SEED).findIndex((v, i) => i >= 300 && v < SMALL);
  if (counter < 0) throw new Error("no small uniform in the first 20000 counters");
  return counter;
}

describe("the scale of kept values is f32(1/(1 − rate)) for every rate k/1000", () => {
  it("some of these rates give another scale under f32(1) / f32(1 − rate)", () => {
    const f = Math.fround;
    expect(RATES.filter((r) => f(1 / f(1 - r)) !== refScale(r)).length).toBeGreaterThan(100);
  });

  const counter = alwaysKeptCounter();
  it.each([
    ["a SIMD-round position", counter - (counter % 128) - 128, 300],
    ["a position in the partial last word", counter - (counter % 32) - 256, 256 + (counter % 32) + 3],
    ["a position in an unaligned call", counter - 5, 67],
  ])("forward and regenerated backward at %s (offset %i, n %i)", (_, offset, n) => {
    const at = counter - offset;
    const ones = new Float32Array(n).fill(1);
    const stream = { seed: SEED, offset }; // element `at` has the small uniform
    expect(refKeepUniforms(1, SEED, 0, offset + at)[0]).toBeLessThan(SMALL);
    const wrong: string[] = [];
    for (const rate of RATES) {
      const want = refScale(rate);
      const forward = dropout(ones, { rate, ...stream, mask: false }).output[at];
      const backward = dropoutBackward(ones, { rate, ...stream })[at];
      if (forward !== want || backward !== want) wrong.push(`rate ${rate}: ${forward}, ${backward} (want ${want})`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("backward from a full mask: every element of 67 (SIMD loop and tail)", () => {
    const ones = new Float32Array(67).fill(1);
    const mask = new Uint32Array([0xffffffff, 0xffffffff, 0b111]);
    const wrong: string[] = [];
    for (const rate of RATES) {
      const out = dropoutBackward(ones, { rate, mask });
      const want = refScale(rate);
      const bad = out.findIndex((v) => v !== want);
      if (bad >= 0) wrong.push(`rate ${rate}: element ${bad} = ${out[bad]} (want ${want})`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
