// assembly/activation.ts (reluForward, reluBackward): exact against their definitions, and the two
// builds against each other bit for bit.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32 } from "../../src/index.js";
import { type Builds, loadBuilds, onBoth, put } from "./support/builds.js";
import { uniformF32 as uniform } from "./support/data.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

describe("ReLU kernels", () => {
  it.each([0, 1, 5, 15, 16, 17, 1023])("forward x < 0 ? 0 : x and backward dy·[y > 0] at n=%i (exact)", (n) => {
    const x = uniform(n, n + 3, -1, 1);
    if (n > 3) {
      x[0] = 0;
      x[1] = -0;
      x[2] = NaN;
      x[3] = -Infinity;
    }
    const dy = uniform(n, n + 4, -1, 1);
    const fwd = onBoth(builds, (inst) => {
      const out = allocF32(n, inst);
      inst.kernels.reluForward(out.ptr, put(inst, x).ptr, n);
      return out.view().slice();
    });
    // NaN propagates and −0 stays −0 (f32x4.pmax); toEqual tells +0 from −0
    // biome-ignore lint/complexity/useMathMinMax: Math.max(−0, 0) is +0, the kernel keeps −0
    expect(Array.from(fwd)).toEqual(Array.from(x, (v) => (v < 0 ? 0 : v)));
    const bwd = onBoth(builds, (inst) => {
      const d = put(inst, dy);
      inst.kernels.reluBackward(d.ptr, d.ptr, put(inst, fwd).ptr, n); // in place, as the layer does
      return d.view().slice();
    });
    expect(Array.from(bwd)).toEqual(Array.from(dy, (v, i) => (x[i] > 0 ? v : 0)));
    expect(Object.is(fwd[1], -0) || n <= 3).toBe(true);
  });
});
