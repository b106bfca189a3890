// assembly/activation.ts: ReLU exact against its definition; sigmoid and tanh bit for bit against
// their documented f32 operation sequences and within 4 ulp of float64; every kernel's two builds
// against each other bit for bit.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32 } from "../../src/index.js";
import { type Builds, loadBuilds, onBoth, put } from "./support/builds.js";
import { uniformF32 as uniform } from "./support/data.js";
import { firstBitDifference } from "./support/bits.js";
import {
  refSigmoid,
  refTanh,
  sigmoidBackwardF32,
  sigmoidF32,
  tanhBackwardF32,
  tanhF32,
} from "./support/activation-reference.js";

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

/** Inputs that exercise every branch: ±0, NaN, ±∞, the tanh switch at 0.625, the e^x floor at −87.34/−88, tiny and huge values. */
const SPECIAL = [
  0,
  -0,
  NaN,
  Infinity,
  -Infinity,
  0.625,
  -0.625,
  Math.fround(0.625 - 2 ** -24),
  1e-30,
  -1e-30,
  1e-45,
  -1e-45,
  17,
  -17,
  44,
  -44,
  87.3,
  -87.3,
  87.34,
  -87.34,
  87.5,
  -87.5,
  88,
  -88,
  88.1,
  -88.1,
  100,
  -100,
  3.4e38,
  -3.4e38,
  1,
  -1,
];

/** Uniform values in [−lo, lo] with the special values spread over the array. */
function activationInput(n: number, seed: number, range: number): Float32Array {
  const x = uniform(n, seed, -range, range);
  for (let i = 0; i < n; i += 5) x[i] = SPECIAL[(i / 5) % SPECIAL.length];
  return x;
}

/** Largest |got − want|/|want| over non-NaN inputs (∞ when a value below 2^-126 is neither 0 nor itself). */
function worstRelative(got: Float32Array, x: Float32Array, ref: (v: number) => number): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const want = ref(x[i]);
    if (Number.isNaN(x[i])) continue;
    // below 2^-126: σ(x) for x < −87.34 is flushed to +0; tanh of a subnormal x is x itself
    if (Math.abs(want) < 2 ** -126) {
      if (got[i] !== 0 && got[i] !== Math.fround(want)) return Number.POSITIVE_INFINITY;
      continue;
    }
    worst = Math.max(worst, Math.abs(got[i] - want) / Math.abs(want));
  }
  return worst;
}

describe.each([
  ["sigmoid", "sigmoidForward", "sigmoidBackward", sigmoidF32, sigmoidBackwardF32, refSigmoid],
  ["tanh", "tanhForward", "tanhBackward", tanhF32, tanhBackwardF32, refTanh],
] as const)("%s kernels", (_, forward, backward, f32Forward, f32Backward, ref64) => {
  it.each([0, 1, 3, 7, 8, 9, 15, 16, 17, 1023, 4097])(
    "n=%i: forward is the documented f32 sequence bit for bit, within 4 ulp of float64; backward exact",
    (n) => {
      for (const range of [3, 40]) {
        const x = activationInput(n, n * 13 + range, range);
        const dy = uniform(n, n + 77, -2, 2);
        const y = onBoth(builds, (inst) => {
          const out = allocF32(n, inst);
          inst.kernels[forward](out.ptr, put(inst, x).ptr, n);
          return out.view().slice();
        });
        const want = Float32Array.from(x, f32Forward);
        expect(firstBitDifference(y, want, true), `${forward} n=${n}`).toBe(-1);
        // Cephes' expf is within ~1 ulp, plus the roundings of 1 ± t, the division and the
        // polynomial's last steps: measured ≤ 2.9 ulp (1.74e-7) on a 4M-point grid over [−30, 30]
        expect(worstRelative(y, x, ref64)).toBeLessThanOrEqual(4 * 2 ** -24);
        const dx = onBoth(builds, (inst) => {
          const d = put(inst, dy);
          inst.kernels[backward](d.ptr, d.ptr, put(inst, y).ptr, n); // in place, as the layers do
          return d.view().slice();
        });
        expect(
          firstBitDifference(
            dx,
            Float32Array.from(dy, (v, i) => f32Backward(v, y[i])),
            true,
          ),
        ).toBe(-1);
      }
    },
  );

  it("special values: NaN stays NaN, the limits at ±∞, odd/even symmetry", () => {
    const x = Float32Array.from(SPECIAL);
    const y = onBoth(builds, (inst) => {
      const buf = put(inst, x);
      inst.kernels[forward](buf.ptr, buf.ptr, x.length); // in place
      return buf.view().slice();
    });
    const at = (v: number) => y[SPECIAL.findIndex((s) => Object.is(s, v))];
    expect(at(NaN)).toBeNaN();
    if (forward === "sigmoidForward") {
      expect([at(0), at(-0), at(Infinity), at(-Infinity), at(100), at(-100), at(-88.1)]).toEqual([
        0.5, 0.5, 1, 0, 1, 0, 0,
      ]);
      // σ(−x) = 1 − σ(x) within the f32 rounding of 1 − σ(x)
      expect(Math.abs(at(-1) - (1 - at(1)))).toBeLessThanOrEqual(2 ** -24);
      expect(at(-87.3)).toBeGreaterThanOrEqual(2 ** -126); // still normal just above the floor
    } else {
      expect(Object.is(at(-0), -0) && Object.is(at(0), 0)).toBe(true);
      expect([at(Infinity), at(-Infinity), at(100), at(-100), at(1e-30), at(1e-45)]).toEqual([
        1,
        -1,
        1,
        -1,
        Math.fround(1e-30),
        Math.fround(1e-45),
      ]);
      for (const v of [0.625, 1, 17, 44]) expect(at(-v)).toBe(-at(v));
    }
  });
});
