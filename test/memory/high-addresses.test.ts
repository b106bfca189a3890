// Addresses at or above 2^31: JS's signed `>>` would turn them negative and make views point into
// other buffers. Needs ~2.1 GiB of memory, so it runs in the Node project only (not per build).
import { describe, expect, it } from "vitest";
import { allocF32, dropout, init, l1Penalty, penalty } from "../../src/index.js";
import { refDropout, refPackBits } from "../reference.js";

describe("buffers above 2 GiB of WASM memory", () => {
  it("view(), zero-copy kernels and the copy path all address the right bytes", async () => {
    await init(); // the default instance: plain arrays are copied through its scratch memory
    const filler = allocF32(2 ** 29 + 16); // 2 GiB + 64 bytes
    const small = allocF32(8);
    expect(small.ptr).toBeGreaterThanOrEqual(2 ** 31);
    small.view().set([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(filler.view()[2 ** 29 + 15]).toBe(0); // the write did not land in the filler
    expect(Array.from(small.view())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(l1Penalty(small)).toBe(36);
    // plain arrays go through scratch memory, now also above 2^31
    const weights = new Float32Array([2, 3, 4, 3, 1, 5]);
    expect(penalty(weights, { l1: 0.1, l2: 0.1 })).toBeCloseTo(8.2, 12);
    const x = new Float32Array(100).fill(1);
    const { output, mask } = dropout(x, { rate: 0.5, seed: 9, out: new Float32Array(100) });
    const expected = refDropout(x, 0.5, 9);
    expect(Array.from(output)).toEqual(Array.from(expected.output));
    expect(Array.from(mask!)).toEqual(Array.from(refPackBits(expected.keep)));
    filler.free();
    small.free();
  });
});
