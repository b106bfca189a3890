// addInto (assembly/add-into.ts): dst[i] += src[i], the f32 sum of each pair, against Math.fround of
// the f64 sum (which is the correctly rounded f32 sum: f64 holds twice f32's precision and more), at
// lengths around the SIMD edges and one large enough to run in parts on threads; src untouched; both
// builds give the same bits.
import { beforeAll, describe, expect, it } from "vitest";
import { addInto } from "../../src/kernels/add-into.js";
import { MIN_PART_ELEMENTS } from "../../src/wasm/partition.js";
import { describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds, onBoth, put } from "./support/builds.js";
import { uniformF32 } from "./support/data.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

const LENGTHS = [0, 1, 3, 4, 5, 7, 8, 9, 63, 1001, 2 * MIN_PART_ELEMENTS + 5];

describe("addInto", () => {
  it.each(LENGTHS)("adds src into dst element by element (n = %i)", (n) => {
    const dst = uniformF32(n, 1, -1e3, 1e3);
    const src = uniformF32(n, 2, -1e-2, 1e-2); // small against dst: every sum rounds
    const want = dst.map((v, i) => Math.fround(v + src[i]));
    const got = onBoth(builds, (inst) => {
      const d = put(inst, dst);
      const s = put(inst, src);
      try {
        addInto(d, s);
        expect(describeDifference(s.view(), src)).toBe("identical");
        return d.view().slice();
      } finally {
        d.free();
        s.free();
      }
    });
    expect(describeDifference(got, want)).toBe("identical");
  });
});
