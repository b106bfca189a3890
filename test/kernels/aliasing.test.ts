// Outputs may be the very same array as an input (gl-matrix style) and then give the reference
// result; a different view that only partly overlaps an input is rejected before anything is written.
import { beforeAll, describe, expect, it } from "vitest";
import { addPenaltyGrad, allocF32, dropout, dropoutBackward, init } from "../../src/index.js";
import { refAddPenaltyGrad, refApplyMask, refDropout, refPenalty, refUnpackBits } from "../reference.js";
import { describeDifference, snapshot } from "./support/bits.js";
import { MULTI_WINDOW, normalF32 } from "./support/data.js";

beforeAll(() => init());

// Penalty tolerance as in penalty.test.ts: ≤ 64 non-negative f32 terms per lane → 64·2^-24 relative.
const REL = 64 * 2 ** -24;

describe("out === input", () => {
  for (const n of [5, 1025, MULTI_WINDOW]) {
    it(`n = ${n}: addPenaltyGrad(x, x) gives x + λ1·sign(x) + 2λ2·x and the penalty of the original x`, () => {
      const x0 = normalF32(n, n);
      const expected = refAddPenaltyGrad(x0, x0, 0.1, 0.2);
      const x = Float32Array.from(x0);
      const p = addPenaltyGrad(x, x, { l1: 0.1, l2: 0.2 });
      expect(describeDifference(x, expected)).toBe("identical");
      expect(Math.abs(p - refPenalty(x0, 0.1, 0.2)) / refPenalty(x0, 0.1, 0.2)).toBeLessThanOrEqual(REL);

      const buf = allocF32(n);
      buf.view().set(x0);
      expect(addPenaltyGrad(buf, buf, { l1: 0.1, l2: 0.2 })).toBe(p);
      expect(describeDifference(buf.view(), expected)).toBe("identical");
      buf.free();
    });

    it(`n = ${n}: dropout with out = x, and dropoutBackward with out = dvalues`, () => {
      const x0 = normalF32(n, n + 1);
      const ref = refDropout(x0, 0.4, 3, 4, 5);
      const x = Float32Array.from(x0);
      const { output, mask } = dropout(x, { rate: 0.4, seed: 3, stream: 4, offset: 5, out: x });
      expect(output).toBe(x);
      expect(describeDifference(x, ref.output)).toBe("identical");

      const dy0 = normalF32(n, n + 2);
      const expectedDx = refApplyMask(dy0, refUnpackBits(mask!, n), 0.4);
      const dy = Float32Array.from(dy0);
      expect(dropoutBackward(dy, { rate: 0.4, mask: mask! }, dy)).toBe(dy);
      expect(describeDifference(dy, expectedDx)).toBe("identical");
      const dy2 = Float32Array.from(dy0);
      dropoutBackward(dy2, { rate: 0.4, seed: 3, stream: 4, offset: 5 }, dy2);
      expect(describeDifference(dy2, expectedDx)).toBe("identical");

      const buf = allocF32(n);
      buf.view().set(x0);
      dropout(buf, { rate: 0.4, seed: 3, stream: 4, offset: 5, out: buf, mask: false });
      expect(describeDifference(buf.view(), ref.output)).toBe("identical");
      buf.view().set(dy0);
      dropoutBackward(buf, { rate: 0.4, seed: 3, stream: 4, offset: 5 }, buf);
      expect(describeDifference(buf.view(), expectedDx)).toBe("identical");
      buf.free();
    });
  }

  it("a second view of the same range (same buffer, same offset and length) counts as the same array", () => {
    const backing = normalF32(64, 9);
    const x0 = Float32Array.from(backing.subarray(16, 48));
    const a = backing.subarray(16, 48),
      b = new Float32Array(backing.buffer, 16 * 4, 32);
    dropout(a, { rate: 0.5, seed: 1, out: b });
    expect(describeDifference(b, refDropout(x0, 0.5, 1).output)).toBe("identical");
  });
});

describe("partial overlap is a RangeError and writes nothing", () => {
  const backing = normalF32(40, 10);
  const a = backing.subarray(0, 20),
    b = backing.subarray(10, 30);

  it.each([
    ["addPenaltyGrad", () => addPenaltyGrad(b, a, { l1: 1 }), /grad/],
    ["dropout", () => dropout(a, { rate: 0.5, seed: 1, out: b }), /options\.out/],
    ["dropoutBackward (mask)", () => dropoutBackward(a, { rate: 0.5, mask: new Uint32Array(1) }, b), /out/],
    ["dropoutBackward (regenerate)", () => dropoutBackward(a, { rate: 0.5, seed: 1 }, b), /out/],
  ])("%s", (_name, call, names) => {
    const before = snapshot(backing);
    expect(call).toThrow(RangeError);
    expect(call).toThrow(names);
    expect(snapshot(backing)).toEqual(before);
  });
});
