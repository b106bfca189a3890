// Kept values are scaled by exactly f32(1/(1 − rate)), with 1 − rate and the division in f64. The
// usual test rates (0.1, 0.25, 0.3, 1/3, 0.5, 0.9) round to the same f32 scale under plausible wrong
// formulas, e.g. f32(1) / f32(1 − rate); for 226 of the rates k/1000 that one gives another scale. So
// every rate k/1000 is checked, at a position of the SIMD loop and one of the scalar tail, forward and
// in both backward forms.
import { beforeAll, describe, expect, it } from "vitest";
import { dropout, dropoutBackward, init } from "../../src/index.js";
import { refScale } from "../reference.js";
import { refRandomUint32 } from "../support/reference-generator.js";

beforeAll(() => init());

const RATES = Array.from({ length: 999 }, (_, k) => (k + 1) / 1000);
const SEED = 606;

const SMALL = Math.floor(0.001 * 2 ** 32);

/** A counter ≥ 66 whose word is below floor(0.001·2^32): that element is kept at every rate ≤ 0.999. */
function alwaysKeptCounter(): number {
  const counter = refRandomUint32(100_000, SEED).findIndex((u, i) => i >= 66 && u < SMALL);
  if (counter < 0) throw new Error("no small word in the first 100000 counters");
  return counter;
}

describe("the scale of kept values is f32(1/(1 − rate)) for every rate k/1000", () => {
  it("some of these rates give another scale under f32(1) / f32(1 − rate)", () => {
    const f = Math.fround;
    expect(RATES.filter((r) => f(1 / f(1 - r)) !== refScale(r)).length).toBeGreaterThan(100);
  });

  const counter = alwaysKeptCounter();
  it.each([
    ["a SIMD-loop position", 5],
    ["a scalar-tail position", 66],
  ])("forward and regenerated backward at %s (element %i of 67)", (_, at) => {
    const n = 67;
    const ones = new Float32Array(n).fill(1);
    const stream = { seed: SEED, offset: counter - at }; // element `at` draws the small word
    expect(refRandomUint32(1, SEED, 0, stream.offset + at)[0]).toBeLessThan(SMALL);
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
