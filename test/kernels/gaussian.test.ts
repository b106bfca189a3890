// randomNormal, gaussianNoise and gaussianDropout against the float64 reference of the normal
// variates (test/support/normal-reference.js, written from the definition in docs/RNG.md), plus
// the statistics of the variates and the layers' Keras semantics. Runs in both builds and Chromium.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, gaussianDropout, gaussianNoise, init, randomNormal } from "../../src/index.js";
import { refNormals } from "../support/normal-reference.js";
import { describeDifference } from "./support/bits.js";
import { MULTI_WINDOW, normalF32 } from "./support/data.js";

beforeAll(() => init());

/** |got − want| within one f32 ulp of want (the reference's libm may differ by an f64 ulp). */
function expectWithinUlp(got: Float32Array, want: ArrayLike<number>): void {
  let worst = 0,
    at = -1;
  for (let i = 0; i < got.length; i++) {
    const ulp = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(want[i]), 2 ** -126))) - 23);
    const err = Math.abs(got[i] - want[i]) / ulp;
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `element ${at}: got ${got[at]}, want ${want[at]}`).toBeLessThanOrEqual(1);
}

describe("randomNormal", () => {
  it("matches the float64 Box–Muller reference within one f32 ulp (odd offset: starts mid-pair)", () => {
    const got = randomNormal(new Float32Array(4099), { seed: 2026, stream: 5, offset: 7 });
    expectWithinUlp(got, refNormals(4099, 2026, 5, 7));
  });

  it("variate i is a function of its counter: any chunking, window or WASM buffer gives the same bits", () => {
    const whole = randomNormal(new Float32Array(MULTI_WINDOW), { seed: 3 });
    const tail = randomNormal(new Float32Array(MULTI_WINDOW - 1001), { seed: 3, offset: 1001 });
    expect(describeDifference(tail, whole.subarray(1001))).toBe("identical");
    const buf = randomNormal(allocF32(MULTI_WINDOW), { seed: 3 });
    expect(describeDifference(buf.view(), whole)).toBe("identical");
    buf.free();
  });

  it("10^6 variates: mean, variance, P(|z| < 1), P(|z| < 2) within 5σ of N(0, 1)'s", () => {
    const n = 1_000_000;
    const z = randomNormal(new Float32Array(n), { seed: 9, stream: 1 });
    let sum = 0,
      sq = 0,
      in1 = 0,
      in2 = 0,
      max = 0;
    for (const v of z) {
      sum += v;
      sq += v * v;
      if (Math.abs(v) < 1) in1++;
      if (Math.abs(v) < 2) in2++;
      max = Math.max(max, Math.abs(v));
    }
    const mean = sum / n;
    // sd of the mean 1/√n = 1e-3; of the mean square √(2/n) = 1.41e-3 (E z⁴ = 3)
    expect(Math.abs(mean)).toBeLessThan(5e-3);
    expect(Math.abs(sq / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    // binomial fractions: p = 0.682689 and 0.954500, sd √(p(1 − p)/n)
    for (const [count, p] of [
      [in1, 0.6826894921],
      [in2, 0.9544997361],
    ])
      expect(Math.abs(count / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    // the tail ends at sqrt(−2 ln 2^-32) ≈ 6.66; over 10^6 draws the largest is ~4.9 (P(max > 4) ≈ 0.97)
    expect(max).toBeLessThanOrEqual(Math.sqrt(64 * Math.LN2));
    expect(max).toBeGreaterThan(4);
  });

  it("streams and seeds differ", () => {
    const a = randomNormal(new Float32Array(64), { seed: 1 });
    expect(randomNormal(new Float32Array(64), { seed: 1, stream: 1 })).not.toEqual(a);
    expect(randomNormal(new Float32Array(64), { seed: 2 })).not.toEqual(a);
  });
});

describe("gaussianNoise (Keras GaussianNoise in training)", () => {
  it("x + f32(stddev·z) against the reference, from plain arrays and WASM buffers", () => {
    const x = normalF32(5000, 1);
    const z = refNormals(5000, 4, 2);
    const want = Array.from(x, (v, i) => v + Math.fround(0.3 * z[i]));
    expectWithinUlp(gaussianNoise(x, { stddev: 0.3, seed: 4, stream: 2 }), want);
  });

  it("keras gaussian_noise_test test_gaussian_noise_correctness: std of ones(20, 500) + noise ≈ 0.3 (atol 0.02)", () => {
    const out = gaussianNoise(new Float32Array(10_000).fill(1), { stddev: 0.3, seed: 1337 });
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    const std = Math.sqrt(out.reduce((a, b) => a + (b - mean) ** 2, 0) / out.length);
    expect(Math.abs(std - 0.3)).toBeLessThan(0.02);
  });

  it("stddev 0 is an exact copy; out may be x", () => {
    const x = normalF32(100, 2);
    expect(describeDifference(gaussianNoise(x, { stddev: 0, seed: 1 }), x)).toBe("identical");
    const y = Float32Array.from(x);
    const want = gaussianNoise(x, { stddev: 0.5, seed: 8 });
    expect(gaussianNoise(y, { stddev: 0.5, seed: 8, out: y })).toBe(y);
    expect(describeDifference(y, want)).toBe("identical");
  });
});

describe("gaussianDropout (Keras GaussianDropout in training)", () => {
  it("x·f32(1 + sqrt(rate/(1 − rate))·z) against the reference", () => {
    const x = normalF32(5000, 3);
    const z = refNormals(5000, 6);
    const s = Math.sqrt(0.2 / 0.8);
    const want = Array.from(x, (v, i) => v * Math.fround(1 + s * z[i]));
    expectWithinUlp(gaussianDropout(x, { rate: 0.2, seed: 6 }), want);
  });

  it("keras gaussian_dropout_test test_gaussian_dropout_correctness: std of ones(20, 500)·noise ≈ sqrt(0.3/0.7) (atol 0.02)", () => {
    const out = gaussianDropout(new Float32Array(10_000).fill(1), { rate: 0.3, seed: 1337 });
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    const std = Math.sqrt(out.reduce((a, b) => a + (b - mean) ** 2, 0) / out.length);
    expect(Math.abs(std - Math.sqrt(0.3 / 0.7))).toBeLessThan(0.02);
    // the mean is 1 (the noise's mean): sd of the mean 0.65/√10^4 = 6.5e-3, 5σ
    expect(Math.abs(mean - 1)).toBeLessThan(5 * 6.5e-3);
  });

  it("the gradient is gaussianDropout of dy with the same options: dy·(the same noise)", () => {
    const x = new Float32Array(300).fill(1);
    const noise = gaussianDropout(x, { rate: 0.4, seed: 5, stream: 3 });
    const dy = normalF32(300, 7);
    const dx = gaussianDropout(dy, { rate: 0.4, seed: 5, stream: 3 });
    expect(
      describeDifference(
        dx,
        dy.map((v, i) => v * noise[i]),
      ),
    ).toBe("identical");
  });
});

describe("bad input", () => {
  const x = new Float32Array(4);
  it.each([
    [
      "a negative stddev",
      () => gaussianNoise(x, { stddev: -1, seed: 1 }),
      RangeError,
      /options\.stddev must be a finite number >= 0/,
    ],
    ["an infinite stddev", () => gaussianNoise(x, { stddev: Infinity, seed: 1 }), RangeError, /options\.stddev/],
    ["rate 1", () => gaussianDropout(x, { rate: 1, seed: 1 }), RangeError, /options\.rate must be in \[0, 1\)/],
    ["rate NaN", () => gaussianDropout(x, { rate: NaN, seed: 1 }), RangeError, /options\.rate must be in \[0, 1\)/],
    [
      "a string rate",
      () => gaussianDropout(x, { rate: "0.5" as never, seed: 1 }),
      TypeError,
      /options\.rate must be a number/,
    ],
    [
      "an unknown key",
      () => gaussianNoise(x, { stddev: 1, seed: 1, rate: 0.1 } as never),
      TypeError,
      /options\.rate is not a known option/,
    ],
    [
      "a short out",
      () => gaussianNoise(x, { stddev: 1, seed: 1, out: new Float32Array(3) }),
      RangeError,
      /options\.out must have the same length as x/,
    ],
    [
      "a Float64Array",
      () => randomNormal(new Float64Array(3) as never, { seed: 1 }),
      TypeError,
      /out must be a Float32Array/,
    ],
    [
      "an offset past the stream",
      () => randomNormal(new Float32Array(3), { seed: 1, offset: 2 ** 32 - 2 }),
      RangeError,
      /offset \+ length must be <= 2\^32/,
    ],
  ] as const)("%s", (_, run, kind, message) => {
    expect(run).toThrow(kind);
    expect(run).toThrow(message);
  });
});
