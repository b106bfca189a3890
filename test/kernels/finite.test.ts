// allFinite (assembly/finite.ts): whether every f32 of a buffer is finite, against Number.isFinite
// over the same values. One NaN, +∞ or −∞ at every position of lengths around the SIMD edges (16
// values per SIMD iteration in four lanes of four), among finite values that stress the x − x trick
// (±f32 max, −0, subnormals); both builds.
import { beforeAll, describe, expect, it } from "vitest";
import type { Instance } from "../../src/index.js";
import { allFinite } from "../../src/kernels/finite.js";
import { type Builds, loadBuilds, put } from "./support/builds.js";
import { uniformF32 } from "./support/data.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

const F32_MAX = 3.4028234663852886e38;
/** Finite values whose x − x is still exactly 0 and whose sums cannot overflow: extremes included. */
const FINITE_EDGES = [F32_MAX, -F32_MAX, -0, 0, 2 ** -149, -(2 ** -149), 2 ** -126, 1e-40, 1, -1, 65504];

/** n values: the edges in turn, then uniform ones. */
function finiteValues(n: number, seed: number): Float32Array {
  const x = uniformF32(n, seed, -1e6, 1e6);
  for (let i = 0; i < n; i += 2) x[i] = FINITE_EDGES[(i / 2) % FINITE_EDGES.length];
  return x;
}

const isAllFinite = (x: Float32Array): boolean => x.every(Number.isFinite);

function allFiniteOn(inst: Instance, x: Float32Array): boolean {
  const buf = put(inst, x);
  try {
    return allFinite(buf);
  } finally {
    buf.free();
  }
}

const LENGTHS = [0, 1, 15, 16, 17, 33, 63, 64, 65];

describe("allFinite", () => {
  it.each(LENGTHS)("n = %i of finite values, extremes included: true on both builds", (n) => {
    const x = finiteValues(n, n + 1);
    expect(isAllFinite(x)).toBe(true);
    for (const inst of [builds.tested, builds.other]) expect(allFiniteOn(inst, x)).toBe(true);
  });

  for (const bad of [Number.NaN, Infinity, -Infinity]) {
    it.each(LENGTHS.filter((n) => n > 0))(`n = %i: one ${bad} at every position is found on both builds`, (n) => {
      const x = finiteValues(n, n + 2);
      for (let i = 0; i < n; i++) {
        const y = x.slice();
        y[i] = bad;
        expect(isAllFinite(y)).toBe(false);
        for (const inst of [builds.tested, builds.other])
          expect(allFiniteOn(inst, y), `simd ${inst.simd}, position ${i}`).toBe(false);
      }
    });
  }

  it("NaN with any payload, and ∞ of both signs together, are found", () => {
    const x = finiteValues(33, 9);
    const bits = new Uint32Array(x.buffer);
    for (const pattern of [0x7f80_0001, 0xffc0_0000, 0x7fff_ffff, 0xff80_0000]) {
      const saved = bits[20];
      bits[20] = pattern;
      for (const inst of [builds.tested, builds.other]) expect(allFiniteOn(inst, x), pattern.toString(16)).toBe(false);
      bits[20] = saved;
    }
    x[3] = Infinity;
    x[30] = -Infinity; // ∞ + (−∞) must not cancel into a finite sum
    for (const inst of [builds.tested, builds.other]) expect(allFiniteOn(inst, x)).toBe(false);
  });

  it("reads n values only: NaN right after them does not count (no rounding up to a SIMD block)", () => {
    for (const n of [1, 15, 17, 33]) {
      const x = new Float32Array(64).fill(Number.NaN);
      x.set(finiteValues(n, n + 5));
      for (const inst of [builds.tested, builds.other]) {
        const buf = put(inst, x);
        expect(inst.kernels.allFinite(buf.ptr, n), `n ${n}, simd ${inst.simd}`).toBe(1);
        expect(inst.kernels.allFinite(buf.ptr, n + 1), `n + 1 = ${n + 1}, simd ${inst.simd}`).toBe(0);
        buf.free();
      }
    }
  });
});
