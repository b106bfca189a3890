// assembly/optimizer.ts (adamUpdate, adamUpdateInChunks, sgdUpdate): bit for bit against the documented
// formula in f32 arithmetic (with subnormal results stored as +0), close to the same step in float64,
// and the two builds against each other bit for bit. adamUpdateInChunks stores w a chunk of 1024
// elements at a time: the lengths cross chunk boundaries (1023, 4097).
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, type Instance } from "../../src/index.js";
import { describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds, put } from "./support/builds.js";
import { EDGE_LENGTHS, uniformF32 as uniform } from "./support/data.js";
import {
  type AdamArgs,
  adamArgList,
  adamArgs,
  refAdamUpdate,
  refSgdUpdate,
  type SgdArgs,
} from "./support/layer-reference.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

const STEPS = 4;

/** Step t's arguments as the Adam optimizer passes them: lr decay, bias corrections, AdamW's keep. */
function adamArgsAt(t: number): AdamArgs {
  return adamArgs(0.05 / (1 + 5e-5 * t), t, { weightDecay: 0.001 });
}

function sgdArgs(t: number, momentum: number): SgdArgs {
  const lr = 0.3 / (1 + 0.01 * t);
  return { lr, momentum, keep: 1 - lr * 0.02 };
}

type AdamKernel = "adamUpdate" | "adamUpdateInChunks";

/** Adam steps from w0 with gradients grads[t] and arguments argsAt(t) on `inst`; returns the final [w, m, v]. */
function adamOn(
  kernel: AdamKernel,
  inst: Instance,
  w0: Float32Array,
  grads: Float32Array[],
  argsAt = adamArgsAt,
): Float32Array[] {
  const n = w0.length;
  const w = put(inst, w0),
    g = allocF32(n, inst),
    m = allocF32(n, inst),
    v = allocF32(n, inst);
  grads.forEach((grad, t) => {
    g.view().set(grad);
    inst.kernels[kernel](w.ptr, g.ptr, m.ptr, v.ptr, n, ...adamArgList(argsAt(t)));
  });
  return [w, m, v].map((b) => b.view().slice());
}

/** SGD steps as adamOn, with a momentum buffer when the momentum is > 0 (else mPtr 0); returns [w, u]. */
function sgdOn(
  inst: Instance,
  w0: Float32Array,
  grads: Float32Array[],
  argsAt: (t: number) => SgdArgs,
): Float32Array[] {
  const n = w0.length;
  const w = put(inst, w0),
    g = allocF32(n, inst),
    u = allocF32(n, inst);
  grads.forEach((grad, t) => {
    g.view().set(grad);
    const a = argsAt(t);
    inst.kernels.sgdUpdate(w.ptr, g.ptr, a.momentum > 0 ? u.ptr : 0, n, a.lr, a.momentum, a.keep);
  });
  return [w, u].map((b) => b.view().slice());
}

/**
 * How far f32 steps may drift from float64 ones: each step rounds w twice and its update (≤ |w| in
 * size here) at most eight times (arguments, state, products, quotient, root), each within 2^-24
 * relative, so ≤ STEPS·10·2^-24·max(1, |w|, |u|) in all (~2.5e-6 here, where the drift is ~2e-7 to
 * 7e-7). A wrong formula misses by the size of a step (lr = 0.05 or more); the f32 tests above pin
 * the last bit.
 */
function roundingBound(...values: Float64Array[]): number {
  let scale = 1;
  for (const a of values) for (const x of a) scale = Math.max(scale, Math.abs(x));
  return STEPS * 10 * 2 ** -24 * scale;
}

function maxAbsDifference(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  return worst;
}

const gradients = (n: number, seed: number) => Array.from({ length: STEPS }, (_, t) => uniform(n, seed + t, -2, 2));

describe.each(["adamUpdate", "adamUpdateInChunks"] as const)("%s", (kernel) => {
  it.each(EDGE_LENGTHS)(`${STEPS} steps at n=%i: w, m and v equal the f32 formula bit for bit`, (n) => {
    const w0 = uniform(n, n + 1, -1, 1);
    const grads = gradients(n, n + 10);
    const got = adamOn(kernel, builds.tested, w0, grads);
    const other = adamOn(kernel, builds.other, w0, grads);
    const w = Float32Array.from(w0),
      m = new Float32Array(n),
      v = new Float32Array(n);
    for (const [t, g] of grads.entries()) refAdamUpdate(w, g, m, v, adamArgsAt(t));
    [w, m, v].forEach((want, j) => {
      expect(describeDifference(got[j], want), ["w", "m", "v"][j]).toBe("identical");
      expect(describeDifference(got[j], other[j]), ["w", "m", "v"][j]).toBe("identical");
    });
  });

  it(`${STEPS} steps stay within the f32 rounding bound of Adam in float64`, () => {
    const n = 1023;
    const w0 = uniform(n, 3, -1, 1);
    const grads = gradients(n, 30);
    const [got] = adamOn(kernel, builds.tested, w0, grads);
    const w = Float64Array.from(w0),
      m = new Float64Array(n),
      v = new Float64Array(n);
    for (const [t, g] of grads.entries()) refAdamUpdate(w, g, m, v, adamArgsAt(t), false);
    expect(maxAbsDifference(got, w)).toBeLessThanOrEqual(roundingBound(w));
  });

  it("stores subnormal m, v and w as +0 (SIMD lanes and the scalar tail)", () => {
    // g = 2^-126: (1 − β1)·g and (1 − β2)·g² are subnormal or zero; w·keep = 2^-125·0.25 = 2^-127
    const w0 = new Float32Array(5).fill(2 ** -125),
      g = new Float32Array(5).fill(2 ** -126);
    for (const inst of [builds.tested, builds.other]) {
      const got = adamOn(kernel, inst, w0, [g], () => ({ ...adamArgsAt(0), keep: 0.25 }));
      for (const x of got.flatMap((a) => Array.from(a))) expect(Object.is(x, 0)).toBe(true);
    }
  });
});

describe("sgdUpdate", () => {
  describe.each([
    ["with momentum", 0.8],
    ["without momentum (mPtr 0)", 0],
  ])("%s", (_, momentum) => {
    it.each(EDGE_LENGTHS)(`${STEPS} steps at n=%i: w and u equal the f32 formula bit for bit`, (n) => {
      const w0 = uniform(n, n + 2, -1, 1);
      const grads = gradients(n, n + 20);
      const got = sgdOn(builds.tested, w0, grads, (t) => sgdArgs(t, momentum));
      const other = sgdOn(builds.other, w0, grads, (t) => sgdArgs(t, momentum));
      const w = Float32Array.from(w0),
        u = new Float32Array(n);
      for (const [t, g] of grads.entries()) refSgdUpdate(w, g, momentum > 0 ? u : null, sgdArgs(t, momentum));
      [w, u].forEach((want, j) => {
        expect(describeDifference(got[j], want), ["w", "u"][j]).toBe("identical");
        expect(describeDifference(got[j], other[j]), ["w", "u"][j]).toBe("identical");
      });
    });

    it(`${STEPS} steps stay within the f32 rounding bound of SGD in float64`, () => {
      const n = 1023;
      const w0 = uniform(n, 4, -1, 1);
      const grads = gradients(n, 40);
      const [got] = sgdOn(builds.tested, w0, grads, (t) => sgdArgs(t, momentum));
      const w = Float64Array.from(w0),
        u = new Float64Array(n);
      for (const [t, g] of grads.entries()) refSgdUpdate(w, g, momentum > 0 ? u : null, sgdArgs(t, momentum), false);
      expect(maxAbsDifference(got, w)).toBeLessThanOrEqual(roundingBound(w, u));
    });

    it("stores subnormal results as +0 (SIMD lanes and the scalar tail)", () => {
      // 2^-125 − (2^-125 − 2^-149) = 2^-149, the smallest subnormal
      const w0 = new Float32Array(5).fill(2 ** -125),
        g = new Float32Array(5).fill(2 ** -125 - 2 ** -149);
      for (const inst of [builds.tested, builds.other]) {
        const [w] = sgdOn(inst, w0, [g], () => ({ lr: 1, momentum, keep: 1 }));
        for (const x of w) expect(Object.is(x, 0)).toBe(true);
      }
    });
  });
});
