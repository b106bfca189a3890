// The opt-in relaxed-SIMD build (init({ relaxedSimd: true })): its matrix products use
// f32x4.relaxed_madd, fused or not depending on the machine, so they are checked against the exact
// SIMD build within the rounding bound of a k-term dot product, not bit for bit. Runs where the
// runtime validates relaxed SIMD (Chromium; Node 20 with --experimental-wasm-relaxed-simd: the
// "node-relaxed" project); elsewhere only the clear refusal is checked. Runtime-neutral.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, build, type Instance, init, instantiate, relaxedSimdSupported, simd } from "../../src/index.js";
import { partition } from "../../src/wasm/partition.js";
import { describeDifference } from "./support/bits.js";
import { put } from "./support/builds.js";
import { uniformF32 as uniform } from "./support/data.js";
import { refMatmul, refTranspose } from "./support/layer-reference.js";

const U = 2 ** -24;
const supported = relaxedSimdSupported();

/**
 * Both builds sum each element as start + Σ_t a_t·b_t over k terms, t ascending (the dot form in four
 * lanes then a fold: fewer terms per chain). The exact build rounds every product and every sum: at
 * most (k + 1)·u·S from the real value with S = |start| + Σ|a_t·b_t| (u = 2^-24, first order); a
 * fused step rounds once per term: at most k·u·S. So the builds differ by at most (2k + 1)·u·S per
 * element; the bound below allows (2k + 2)·u·S.
 */
const bound = (k: number) => (2 * k + 2) * U;

/** max over elements of |got − want| / S (S from float64 on |operands|); 0/0 counts as 0. */
function scaledGap(got: Float32Array, want: Float32Array, scale: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const gap = Math.abs(got[i] - want[i]);
    worst = Math.max(worst, gap === 0 ? 0 : gap / scale[i]);
  }
  return worst;
}

describe("relaxedSimd option", () => {
  it("is a boolean and needs SIMD", async () => {
    await expect(instantiate({ relaxedSimd: "yes" as never })).rejects.toThrow(
      /^options\.relaxedSimd must be a boolean, got string$/,
    );
    await expect(instantiate({ simd: false, relaxedSimd: true })).rejects.toThrow(
      /^options\.relaxedSimd is a SIMD build: it cannot be combined with simd: false$/,
    );
    expect((await instantiate({ relaxedSimd: false })).build).not.toBe("relaxed-simd");
  });

  it("is never the default; build() names the live build; init() refuses to switch to it", async () => {
    await init();
    expect(build()).toBe(simd() ? "simd" : "scalar");
    await expect(init({ relaxedSimd: true })).rejects.toThrow(`regwasm: init() already loaded the ${build()} build`);
    await expect(init({ relaxedSimd: false })).resolves.toBeUndefined();
  });
});

describe.skipIf(supported)(
  `relaxed SIMD where the runtime lacks it${supported ? " (skipped: this runtime has it)" : ""}`,
  () => {
    it("instantiate({ relaxedSimd: true }) refuses with a clear error", async () => {
      await expect(instantiate({ relaxedSimd: true })).rejects.toThrow(
        /^regwasm: this runtime does not support WebAssembly relaxed SIMD/,
      );
    });
  },
);

describe.runIf(supported)(
  `relaxed-SIMD build vs the exact SIMD build${supported ? "" : " (skipped: this runtime lacks relaxed SIMD)"}`,
  () => {
    let relaxed: Instance;
    let exact: Instance;
    beforeAll(async () => {
      [relaxed, exact] = await Promise.all([instantiate({ relaxedSimd: true }), instantiate({ simd: true })]);
    });

    it("loads the relaxed build", () => {
      expect(relaxed.build).toBe("relaxed-simd");
      expect(relaxed.simd).toBe(true);
      expect(exact.build).toBe("simd");
    });

    it.each([
      [33, 300, 40],
      [20, 784, 10],
      [7, 17, 33],
    ])("matmulRows, matmulDots and matmulTN at m=%i k=%i n=%i within (2k + 2)·u·S", (m, k, n) => {
      const a = uniform(m * k, 31 + k, -2, 2);
      const b = uniform(k * n, 32 + n, -2, 2);
      const bias = uniform(n, 33, -1, 1);
      const absScale = refMatmul(a.map(Math.abs), b.map(Math.abs), m, k, n, bias.map(Math.abs));
      for (const form of ["matmulRows", "matmulDots"] as const) {
        const [got, want] = [relaxed, exact].map((inst) => {
          const out = allocF32(m * n, inst);
          const right = put(inst, form === "matmulRows" ? b : refTranspose(b, k, n));
          inst.kernels[form](out.ptr, put(inst, a).ptr, right.ptr, put(inst, bias).ptr, m, k, n, 0);
          return out.view().slice();
        });
        expect(scaledGap(got, want, absScale), form).toBeLessThanOrEqual(bound(k));
      }
      // matmulTN: out (k×n) += aᵀ·c over m rows (c m×n), from a start of 0.5
      const c = uniform(m * n, 34, -2, 2);
      const tnScale = refMatmul(refTranspose(a.map(Math.abs), m, k), c.map(Math.abs), k, m, n).map((v) => v + 0.5);
      const [got, want] = [relaxed, exact].map((inst) => {
        const out = allocF32(k * n, inst);
        out.view().fill(0.5);
        inst.kernels.matmulTN(out.ptr, put(inst, refTranspose(a, m, k)).ptr, put(inst, c).ptr, m, k, n, 1);
        return out.view().slice();
      });
      expect(scaledGap(got, want, tnScale), "matmulTN").toBeLessThanOrEqual(bound(m));
    });

    it("matmulRowsBand in bands from multiples of 16 gives its own matmulRows' bits (k over 256, a column remainder)", () => {
      const [m, k, n] = [21, 300, 83];
      const a = uniform(m * k, 35, -2, 2);
      const b = uniform(k * n, 36, -2, 2);
      const bias = uniform(n, 37, -1, 1);
      const x = put(relaxed, a);
      const w = put(relaxed, b);
      const bp = put(relaxed, bias).ptr;
      const whole = allocF32(m * n, relaxed);
      relaxed.kernels.matmulRows(whole.ptr, x.ptr, w.ptr, bp, m, k, n, 1);
      for (const parts of [2, 3, 5]) {
        const out = allocF32(m * n, relaxed);
        for (const [j0, j1] of partition(n, parts, 16, 1))
          relaxed.kernels.matmulRowsBand(out.ptr + 4 * j0, x.ptr, w.ptr + 4 * j0, bp + 4 * j0, m, k, j1 - j0, n, 1);
        expect(describeDifference(out.view(), whole.view()), `${parts} bands`).toBe("identical");
      }
    });
  },
);
