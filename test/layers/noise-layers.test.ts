// The dropout family's layers: forward against plain-TS references (dropout's keep rule over noise
// elements, the float64 normal variates, alpha dropout's a and b from their formulas), backward by
// finite differences, inference identity, statistics with stated bounds, JSON round trips, row
// chunks (a batch in chunks gives the batch's bits) and bad input. Ported behaviours cite their source:
// keras keras/src/layers/regularization/{dropout,spatial_dropout,gaussian_noise,gaussian_dropout,
// alpha_dropout}_test.py, pytorch test/nn/test_dropout.py, tfjs tfjs-layers/src/layers/noise_test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import {
  AlphaDropout,
  Dense,
  Dropout,
  Dropout1d,
  Dropout2d,
  Dropout3d,
  FeatureAlphaDropout,
  GaussianDropout,
  GaussianNoise,
  init,
  type Layer,
  layerRegistry,
  Selu,
  Sequential,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
} from "../../src/index.js";
import { alphaDropoutConstants } from "../../src/layers/alpha-dropout.js";
import { streamSeed } from "../../src/layers/batch-streams.js";
import { allocF32 } from "../../src/wasm/buffer.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { describeDifference } from "../kernels/support/bits.js";
import { normalF32 } from "../kernels/support/data.js";
import { refDropout, refScale } from "../reference.js";
import { refNormals } from "../support/normal-reference.js";
import { uniform } from "./support.js";

beforeAll(() => init());

function matrixOf(values: ArrayLike<number>, rows: number, cols: number): Matrix {
  const buf = allocF32(rows * cols);
  buf.view().set(values);
  return new Matrix(buf, rows, cols);
}

/** The layer's output for x at training step `step` (the stream of that batch). */
function forwardAt(
  layer: Layer,
  x: ArrayLike<number>,
  rows: number,
  cols: number,
  step = 0,
  training = true,
): Float32Array {
  (layer as { step: number }).step = step;
  const input = matrixOf(x, rows, cols);
  const out = layer.forward(input, training).toArray();
  input.data.free();
  return out;
}

/** dInput for dOutput = c after a forward at `step`. */
function backwardAt(
  layer: Layer,
  x: ArrayLike<number>,
  c: ArrayLike<number>,
  rows: number,
  cols: number,
  step = 0,
): Float32Array {
  (layer as { step: number }).step = step;
  const input = matrixOf(x, rows, cols);
  layer.forward(input, true);
  const d = matrixOf(c, rows, cols);
  const g = layer.backward(d, true)!.toArray();
  input.data.free();
  d.data.free();
  return g;
}

/**
 * Central differences of f(x) = Σ c·forward(x) (float64 sum of the f32 outputs) at a sample of
 * inputs, against backward(c). The noise layers are linear in x for a fixed stream, so the
 * difference is exact up to f32 rounding of the outputs (~1e-7·|f| / 2h ≈ 1e-5 here); SELU is
 * smooth away from 0 (inputs kept ≥ 0.05 from it, h = 1e-2), with O(h²) ≈ 1e-4 relative truncation.
 * Bound: 2e-3·max(|analytic|, |numeric|) + 1e-4; a missing scale, a wrong sign or a gradient
 * through dropped elements exceeds it by orders of magnitude.
 */
function checkGradient(layer: Layer, rows: number, cols: number, seed: number): void {
  const x = uniform(rows * cols, seed, -2, 2).map((v) => (Math.abs(v) < 0.05 ? 0.05 + Math.abs(v) : v));
  const c = uniform(rows * cols, seed + 1, -1, 1);
  const analytic = backwardAt(layer, x, c, rows, cols, 4);
  const f = (xs: Float32Array) => forwardAt(layer, xs, rows, cols, 4).reduce((a, y, i) => a + y * c[i], 0);
  const h = 1e-2;
  for (let j = 0; j < x.length; j += Math.max(1, Math.floor(x.length / 23))) {
    const plus = Float32Array.from(x);
    const minus = Float32Array.from(x);
    plus[j] += h;
    minus[j] -= h;
    const numeric = (f(plus) - f(minus)) / (plus[j] - minus[j]);
    const bound = 2e-3 * Math.max(Math.abs(analytic[j]), Math.abs(numeric)) + 1e-4;
    expect(
      Math.abs(analytic[j] - numeric),
      `element ${j}: analytic ${analytic[j]}, numeric ${numeric}`,
    ).toBeLessThanOrEqual(bound);
  }
}

/** Keep flags of the noise elements of a layer at index 0, training step `step`. */
function refKeep(seed: number, step: number, noiseLength: number, rate: number): Uint8Array {
  return refDropout(new Float32Array(noiseLength), rate, streamSeed(seed, 0, 0), step).keep;
}

const mean = (a: ArrayLike<number>) =>
  (Array.prototype.reduce.call(a, (s: number, v: number) => s + v, 0) as number) / a.length;
const std = (a: ArrayLike<number>) => {
  const m = mean(a);
  return Math.sqrt(
    (Array.prototype.reduce.call(a, (s: number, v: number) => s + (v - m) ** 2, 0) as number) / a.length,
  );
};

describe("Dropout with noiseShape", () => {
  it("keras test_dropout_partial_noise_shape_dynamic: noiseShape [null, 1, null] over [5, 10] samples, outputs[:, 0, :] = outputs[:, s, :]", () => {
    const layer = new Dropout(0.5, { seed: 1337, noiseShape: [null, 1, null], inputShape: [5, 10] });
    const out = forwardAt(layer, new Float32Array(20 * 50).fill(1), 20, 50);
    const keep = refKeep(1337, 0, 20 * 10, 0.5);
    for (let b = 0; b < 20; b++)
      for (let s = 0; s < 5; s++)
        for (let c = 0; c < 10; c++) expect(out[b * 50 + s * 10 + c]).toBe(keep[b * 10 + c] ? 2 : 0);
  });

  it("noiseShape [1, null]: one mask row for the whole batch, also when the batch comes in chunks", () => {
    const layer = new Dropout(0.3, { seed: 4, noiseShape: [1, null] });
    const x = normalF32(6 * 40, 2);
    const whole = forwardAt(layer, x, 6, 40, 2);
    const keep = refKeep(4, 2, 40, 0.3);
    const s = refScale(0.3);
    expect(
      describeDifference(
        whole,
        x.map((v, i) => (keep[i % 40] ? Math.fround(v * s) : 0)),
      ),
    ).toBe("identical");
    // chunks of 4 and 2 rows: the second chunk (rowOffset 4) reads the same noise row
    layer.step = 2;
    const a = matrixOf(x.subarray(0, 160), 4, 40);
    const b = matrixOf(x.subarray(160), 2, 40);
    const first = layer.forward(a, true, 0, null, 6).toArray();
    const second = layer.forward(b, true, 4, null, 6).toArray();
    expect(describeDifference(Float32Array.of(...first, ...second), whole)).toBe("identical");
  });

  it("noiseShape [null, 1, null] in row chunks: chunk rows read the batch's noise rows (counter offset = first row · noise per row)", () => {
    const layer = new Dropout(0.5, { seed: 9, noiseShape: [null, 1, null], inputShape: [3, 8] });
    const x = normalF32(10 * 24, 5);
    const whole = forwardAt(layer, x, 10, 24, 1);
    layer.step = 1;
    const parts: number[] = [];
    for (const [start, rows] of [
      [0, 3],
      [3, 5],
      [8, 2],
    ]) {
      const m = matrixOf(x.subarray(start * 24, (start + rows) * 24), rows, 24);
      parts.push(...layer.forward(m, true, start, null, 10).toArray());
    }
    expect(describeDifference(Float32Array.from(parts), whole)).toBe("identical");
  });

  it("backward: finite differences, from the stored mask and regenerated (storeMask false) alike", () => {
    checkGradient(new Dropout(0.4, { seed: 3, noiseShape: [null, 1, null], inputShape: [4, 5] }), 6, 20, 1);
    checkGradient(
      new Dropout(0.4, { seed: 3, noiseShape: [null, 1, null], inputShape: [4, 5], storeMask: false }),
      6,
      20,
      1,
    );
  });

  it("a JSON round trip keeps noiseShape, inputShape and the step (the same bits next step)", () => {
    const layer = new Dropout(0.25, { seed: 12, noiseShape: [null, 1, null], inputShape: [2, 3] });
    layer.step = 5;
    const json = JSON.parse(JSON.stringify(layer.toJSON()));
    expect(json).toMatchObject({ noiseShape: [null, 1, null], inputShape: [2, 3], step: 5 });
    const copy = layerRegistry.fromJSON(json) as Dropout;
    const x = normalF32(24, 1);
    expect(describeDifference(forwardAt(copy, x, 4, 6, 5), forwardAt(layer, x, 4, 6, 5))).toBe("identical");
    // a JSON from before noise shapes reads as plain dropout
    expect(Object.keys(new Dropout(0.5, { seed: 1 }).toJSON())).not.toContain("noiseShape");
  });

  it.each([
    [{ noiseShape: [null, 1, null] }, RangeError, /options\.inputShape must be given for a noiseShape of 3 entries/],
    [
      { noiseShape: [null, 2], inputShape: [5] },
      RangeError,
      /options\.noiseShape\[1\] must be null, 1 or the input's size 5, got 2/,
    ],
    [
      { noiseShape: [null, 1], inputShape: [2, 3] },
      RangeError,
      /options\.noiseShape must have 1 \+ options\.inputShape\.length = 3 entries/,
    ],
    [
      { noiseShape: [0, null] },
      RangeError,
      /options\.noiseShape\[0\] \(the batch dim\) must be null, 1 or the batch size/,
    ],
    [{ noiseShape: "(None, 1)" }, TypeError, /options\.noiseShape must be an array/],
    [{ inputShape: [2, 3] }, TypeError, /options\.inputShape is only read with options\.noiseShape/],
    [
      { noiseShape: [null, 1, null], inputShape: [2, 0] },
      RangeError,
      /options\.inputShape\[1\] must be a positive integer/,
    ],
  ])("bad options %j", (options, kind, message) => {
    expect(() => new Dropout(0.5, { seed: 1, ...(options as object) })).toThrow(kind);
    expect(() => new Dropout(0.5, { seed: 1, ...(options as object) })).toThrow(message);
  });

  it("an input whose width is not the inputShape's, or a batch that is not noiseShape[0], is refused at forward", () => {
    const layer = new Dropout(0.5, { seed: 1, noiseShape: [null, 1, null], inputShape: [2, 3] });
    expect(() => forwardAt(layer, new Float32Array(14), 2, 7)).toThrow(
      /inputShape \[2,3\] holds 6 values per row, but the input has 7 columns/,
    );
    const fixed = new Dropout(0.5, { seed: 1, noiseShape: [4, null] });
    expect(() => forwardAt(fixed, new Float32Array(15), 3, 5)).toThrow(
      /noiseShape\[0\] is 4 \(the batch size\), got a batch of 3 rows/,
    );
  });
});

describe("SpatialDropout1D/2D/3D and PyTorch's Dropout1d/2d/3d", () => {
  it("keras test_spatial_dropout_{1,2,3}D_correctness: channels_last, every spatial position has the same channel mask", () => {
    for (const [layer, spatial] of [
      [new SpatialDropout1D(0.5, { inputShape: [3, 10], seed: 1 }), 3],
      [new SpatialDropout2D(0.5, { inputShape: [3, 3, 10], seed: 1 }), 9],
      [new SpatialDropout3D(0.5, { inputShape: [3, 3, 3, 10], seed: 1 }), 27],
    ] as const) {
      const cols = spatial * 10;
      const out = forwardAt(layer, new Float32Array(10 * cols).fill(1), 10, cols);
      const keep = refKeep(1, 0, 10 * 10, 0.5);
      for (let b = 0; b < 10; b++)
        for (let s = 0; s < spatial; s++)
          for (let c = 0; c < 10; c++) expect(out[b * cols + s * 10 + c]).toBe(keep[b * 10 + c] ? 2 : 0);
    }
  });

  it("keras channels_first and PyTorch's aliases (channels_first by default): whole channels [C, ..spatial]", () => {
    const a = new SpatialDropout2D(0.5, { inputShape: [4, 2, 2], dataFormat: "channels_first", seed: 7 });
    const b = new Dropout2d(0.5, { inputShape: [4, 2, 2], seed: 7 });
    expect(b.dataFormat).toBe("channels_first");
    expect(b.toJSON().type).toBe("spatial-dropout-2d");
    const x = new Float32Array(10 * 16).fill(1);
    const out = forwardAt(a, x, 10, 16);
    expect(describeDifference(forwardAt(b, x, 10, 16), out)).toBe("identical");
    // pytorch _test_dropoutNd_channel_zero: each channel's nonzero count is 0 or the channel's size
    for (let ch = 0; ch < 40; ch++)
      expect([0, 4]).toContain(out.subarray(ch * 4, ch * 4 + 4).filter((v) => v !== 0).length);
    for (const [Alias, shape] of [
      [Dropout1d, [4, 2]],
      [Dropout3d, [4, 2, 2, 2]],
    ] as const) {
      const layer = new Alias(0.5, { inputShape: [...shape], seed: 2 });
      const cols = shape.reduce((p, q) => p * q, 1);
      const y = forwardAt(layer, new Float32Array(10 * cols).fill(1), 10, cols);
      const size = cols / 4;
      for (let ch = 0; ch < 40; ch++)
        expect([0, size]).toContain(y.subarray(ch * size, ch * size + size).filter((v) => v !== 0).length);
    }
  });

  it("pytorch _test_dropout (Dropout2d, 1000 features): input filled with 1 − p, output and gradient means within 0.05 of 1 − p; eval is the identity", () => {
    const p = 0.2;
    const [rows, shape] = [1000, [3, 2, 2]];
    const layer = new Dropout2d(p, { inputShape: shape, seed: 11 });
    const x = new Float32Array(rows * 12).fill(1 - p);
    expect(Math.abs(mean(forwardAt(layer, x, rows, 12)) - (1 - p))).toBeLessThan(0.05);
    expect(Math.abs(mean(backwardAt(layer, x, x, rows, 12)) - (1 - p))).toBeLessThan(0.05);
    expect(describeDifference(forwardAt(layer, x, rows, 12, 0, false), x)).toBe("identical");
  });

  it("backward by finite differences; JSON round trips", () => {
    checkGradient(new SpatialDropout1D(0.3, { inputShape: [5, 4], seed: 2 }), 5, 20, 3);
    checkGradient(new Dropout3d(0.3, { inputShape: [2, 2, 2, 3], seed: 2 }), 4, 24, 5);
    for (const layer of [
      new SpatialDropout1D(0.3, { inputShape: [5, 4], seed: 2 }),
      new SpatialDropout2D(0.3, { inputShape: [2, 2, 3], seed: 2, dataFormat: "channels_first" }),
      new Dropout3d(0.3, { inputShape: [2, 2, 2, 3], seed: 2, storeMask: false }),
    ]) {
      layer.step = 3;
      const copy = layerRegistry.fromJSON(JSON.parse(JSON.stringify(layer.toJSON())));
      expect(copy.toJSON()).toEqual(layer.toJSON());
      expect(copy.type).toBe(layer.type);
      const cols = layer.inputShape!.reduce((p, q) => p * q, 1);
      const x = normalF32(4 * cols, 6);
      expect(describeDifference(forwardAt(copy, x, 4, cols, 3), forwardAt(layer, x, 4, cols, 3))).toBe("identical");
    }
  });

  it.each([
    [
      () => new SpatialDropout1D(0.5, { inputShape: [3, 4, 5] }),
      RangeError,
      /options\.inputShape of SpatialDropout1D must have 2 dims/,
    ],
    [
      () => new SpatialDropout2D(0.5, { inputShape: [3, 4] }),
      RangeError,
      /options\.inputShape of SpatialDropout2D must have 3 dims/,
    ],
    [
      () => new SpatialDropout2D(0.5, { inputShape: [3, 4, 5], dataFormat: "NHWC" as never }),
      RangeError,
      /options\.dataFormat must be/,
    ],
    [() => new SpatialDropout3D(1.5, { inputShape: [1, 1, 1, 1] }), RangeError, /rate/],
    [() => new Dropout2d(-0.1, { inputShape: [1, 1, 1] }), RangeError, /rate/], // pytorch test_invalid_dropout_p
    [() => new SpatialDropout1D(0.5, {} as never), TypeError, /options\.inputShape must be a non-empty array/],
    [
      () => new SpatialDropout1D(0.5, { inputShape: [2, 2], noiseShape: [1] } as never),
      TypeError,
      /options\.noiseShape is not a known option/,
    ],
  ])("bad input %#", (make, kind, message) => {
    expect(make).toThrow(kind);
    expect(make).toThrow(message);
  });
});

describe("GaussianNoise and GaussianDropout", () => {
  it("forward: x + f32(σ·z) and x·f32(1 + σ·z) of the layer's stream (float64 reference, within one f32 ulp)", () => {
    const x = normalF32(8 * 50, 1);
    const z = refNormals(400, streamSeed(21, 0, 0), 3);
    const noise = forwardAt(new GaussianNoise(0.5, { seed: 21 }), x, 8, 50, 3);
    const drop = forwardAt(new GaussianDropout(0.2, { seed: 21 }), x, 8, 50, 3);
    const s = Math.sqrt(0.2 / 0.8);
    for (let i = 0; i < 400; i++) {
      const ulp = (v: number) => 2 ** (Math.floor(Math.log2(Math.max(Math.abs(v), 1e-30))) - 23);
      const wantNoise = x[i] + Math.fround(0.5 * z[i]);
      const wantDrop = x[i] * Math.fround(1 + s * z[i]);
      expect(Math.abs(noise[i] - wantNoise)).toBeLessThanOrEqual(ulp(wantNoise));
      expect(Math.abs(drop[i] - wantDrop)).toBeLessThanOrEqual(ulp(wantDrop));
    }
  });

  it("tfjs noise_test 'Predict': the identity at inference; 'Train': the output differs from the input; successive training calls differ", () => {
    for (const layer of [new GaussianNoise(1, { seed: 1 }), new GaussianDropout(0.5, { seed: 1 })]) {
      const x = new Float32Array(4).fill(1);
      expect(describeDifference(forwardAt(layer, x, 2, 2, 0, false), x)).toBe("identical");
      const m = matrixOf(x, 2, 2);
      const a = layer.forward(m, true).toArray();
      const b = layer.forward(m, true).toArray(); // the next step: a new stream
      expect(a.some((v) => v !== 1)).toBe(true);
      expect(b).not.toEqual(a);
    }
  });

  it("keras *_correctness: std of ones(20, 500) through GaussianNoise(0.3) ≈ 0.3 and GaussianDropout(0.3) ≈ sqrt(0.3/0.7) (atol 0.02)", () => {
    const ones = new Float32Array(20 * 500).fill(1);
    expect(Math.abs(std(forwardAt(new GaussianNoise(0.3, { seed: 1337 }), ones, 20, 500)) - 0.3)).toBeLessThan(0.02);
    expect(
      Math.abs(std(forwardAt(new GaussianDropout(0.3, { seed: 1337 }), ones, 20, 500)) - Math.sqrt(0.3 / 0.7)),
    ).toBeLessThan(0.02);
  });

  it("backward: the identity (additive) and dOutput·noise (multiplicative), by finite differences; chunks give the batch's bits", () => {
    checkGradient(new GaussianNoise(0.7, { seed: 2 }), 4, 30, 7);
    checkGradient(new GaussianDropout(0.4, { seed: 2 }), 4, 30, 7);
    const layer = new GaussianDropout(0.4, { seed: 2 });
    const x = normalF32(5 * 30, 3);
    const whole = forwardAt(layer, x, 5, 30, 1);
    layer.step = 1;
    const first = layer.forward(matrixOf(x.subarray(0, 60), 2, 30), true, 0).toArray();
    const second = layer.forward(matrixOf(x.subarray(60), 3, 30), true, 2).toArray();
    expect(describeDifference(Float32Array.of(...first, ...second), whole)).toBe("identical");
  });

  it("JSON round trips (the same bits at the saved step); bad input", () => {
    for (const layer of [new GaussianNoise(0.2, { seed: 5 }), new GaussianDropout(0.1, { seed: 5 })]) {
      layer.step = 7;
      const copy = layerRegistry.fromJSON(JSON.parse(JSON.stringify(layer.toJSON())));
      expect(copy.toJSON()).toEqual(layer.toJSON());
      const x = normalF32(40, 1);
      expect(describeDifference(forwardAt(copy, x, 4, 10, 7), forwardAt(layer, x, 4, 10, 7))).toBe("identical");
    }
    expect(() => new GaussianNoise(-0.1)).toThrow(/stddev must be a finite number >= 0/);
    expect(() => new GaussianDropout(1)).toThrow(/rate must be in \[0, 1\)/);
    expect(() => new GaussianDropout(0.5, { rate: 0.5 } as never)).toThrow(/options\.rate is not a known option/);
    expect(() => layerRegistry.fromJSON({ type: "gaussian-noise", stddev: 0.1 })).toThrow(/seed/);
  });
});

describe("AlphaDropout and FeatureAlphaDropout", () => {
  it("a and b from the formulas of keras alpha_dropout.py / PyTorch's alpha_dropout (float64 here)", () => {
    const alphaP = -1.6732632423543772 * 1.0507009873554805;
    for (const rate of [0.1, 0.3, 0.5]) {
      const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
      const b = -a * alphaP * rate;
      const got = alphaDropoutConstants(rate);
      expect(got.a).toBeCloseTo(a, 6);
      expect(got.b).toBeCloseTo(b, 6);
      expect(got.dropped).toBeCloseTo(a * alphaP + b, 6);
      // with a, b: E[out] = 0 and Var[out] = 1 for a standardised input (the point of alpha dropout)
      const q = 1 - rate;
      expect(q * b + rate * (a * alphaP + b)).toBeCloseTo(0, 12);
      expect(a * a * (q * 1 + rate * alphaP ** 2) + 2 * a * b * (rate * alphaP) + b * b - 0).toBeCloseTo(1, 12);
    }
  });

  it("forward: kept a·x + b, dropped a·α′ + b, with dropout's keep bits", () => {
    const layer = new AlphaDropout(0.3, { seed: 8 });
    const x = normalF32(6 * 20, 2);
    const out = forwardAt(layer, x, 6, 20, 2);
    const keep = refKeep(8, 2, 120, 0.3);
    const { a, b, dropped } = alphaDropoutConstants(0.3);
    expect(
      describeDifference(
        out,
        x.map((v, i) => (keep[i] ? Math.fround(Math.fround(v * a) + b) : dropped)),
      ),
    ).toBe("identical");
  });

  it("keras test_alpha_dropout_correctness: std of ones(20, 500) through AlphaDropout(0.3) ≈ 1 (atol 0.1)", () => {
    const out = forwardAt(new AlphaDropout(0.3, { seed: 1337 }), new Float32Array(10_000).fill(1), 20, 500);
    expect(Math.abs(std(out) - 1)).toBeLessThan(0.1);
  });

  it("pytorch _test_alpha_dropout: N(0, 1) input, output mean and std within 0.1 of the input's, p = 0.2, 0.5, 0.8", () => {
    // AlphaDropout on 5000 values; FeatureAlphaDropout on 1000 samples of [channels 3, 2, 2, 2]
    for (const p of [0.2, 0.5, 0.8]) {
      const x = normalF32(5000, 31);
      const out = forwardAt(new AlphaDropout(p, { seed: 17 }), x, 1, 5000);
      expect(Math.abs(mean(out) - mean(x))).toBeLessThan(0.1);
      expect(Math.abs(std(out) - std(x))).toBeLessThan(0.1);
      const y = normalF32(1000 * 24, 32);
      const feature = forwardAt(new FeatureAlphaDropout(p, { inputShape: [3, 2, 2, 2], seed: 17 }), y, 1000, 24);
      expect(Math.abs(mean(feature) - mean(y))).toBeLessThan(0.1);
      expect(Math.abs(std(feature) - std(y))).toBeLessThan(0.1);
    }
  });

  it("keras test_alpha_dropout_partial_noise_shape_*; FeatureAlphaDropout drops whole channels to a·α′ + b", () => {
    const layer = new AlphaDropout(0.5, { seed: 3, noiseShape: [null, 1, null], inputShape: [5, 10] });
    const out = forwardAt(layer, new Float32Array(20 * 50).fill(1), 20, 50);
    for (let bIdx = 0; bIdx < 20; bIdx++)
      for (let s = 1; s < 5; s++)
        expect(out.subarray(bIdx * 50 + s * 10, bIdx * 50 + s * 10 + 10)).toEqual(
          out.subarray(bIdx * 50, bIdx * 50 + 10),
        );
    const { dropped } = alphaDropoutConstants(0.5);
    const f = forwardAt(
      new FeatureAlphaDropout(0.5, { inputShape: [6, 4], seed: 3 }),
      new Float32Array(10 * 24).fill(1),
      10,
      24,
    );
    for (let ch = 0; ch < 60; ch++) {
      const values = f.subarray(ch * 4, ch * 4 + 4);
      expect(new Set(values).size).toBe(1); // all kept or all dropped
    }
    expect(f).toContain(Math.fround(dropped));
  });

  it("inference and rate 0 are the identity (tfjs 'AlphaDropout: Predict'); backward by finite differences; JSON round trips", () => {
    const x = normalF32(40, 4);
    expect(describeDifference(forwardAt(new AlphaDropout(0.5, { seed: 1 }), x, 4, 10, 0, false), x)).toBe("identical");
    expect(describeDifference(forwardAt(new AlphaDropout(0, { seed: 1 }), x, 4, 10), x)).toBe("identical");
    checkGradient(new AlphaDropout(0.3, { seed: 6 }), 4, 25, 9);
    checkGradient(new FeatureAlphaDropout(0.3, { inputShape: [5, 5], seed: 6 }), 4, 25, 9);
    for (const layer of [
      new AlphaDropout(0.2, { seed: 9 }),
      new AlphaDropout(0.2, { seed: 9, noiseShape: [1, null] }),
      new FeatureAlphaDropout(0.2, { inputShape: [2, 5], seed: 9, dataFormat: "channels_last" }),
    ]) {
      layer.step = 2;
      const copy = layerRegistry.fromJSON(JSON.parse(JSON.stringify(layer.toJSON())));
      expect(copy.toJSON()).toEqual(layer.toJSON());
      expect(describeDifference(forwardAt(copy, x, 4, 10, 2), forwardAt(layer, x, 4, 10, 2))).toBe("identical");
    }
  });

  it("bad input (keras test_alpha_dropout_negative_rate / rate_greater_than_one; rate 1 has an infinite a)", () => {
    expect(() => new AlphaDropout(-0.5)).toThrow(/rate must be in \[0, 1\)/);
    expect(() => new AlphaDropout(1.5)).toThrow(RangeError);
    expect(() => new AlphaDropout(1)).toThrow(/alpha dropout's a is infinite at 1/);
    expect(() => new AlphaDropout(0.5, { storeMask: false } as never)).toThrow(
      /options\.storeMask is not a known option/,
    );
    expect(() => new FeatureAlphaDropout(0.5, { inputShape: [] })).toThrow(
      /options\.inputShape must be a non-empty array/,
    );
  });
});

describe("Selu", () => {
  const SCALE = 1.0507009873554805;
  const ALPHA = 1.6732632423543772;
  const ref = (x: number) => (x > 0 ? SCALE * x : SCALE * ALPHA * Math.expm1(x));

  it("forward within one f32 ulp of the float64 definition (Keras/PyTorch constants), tiny |x| without cancellation", () => {
    const x = [...normalF32(2000, 1).map((v) => v * 4), -1e-6, 1e-6, -1e-30, -0, 0, -20, -100, 80];
    const out = forwardAt(new Selu(), Float32Array.from(x), 1, x.length);
    Float32Array.from(x).forEach((v, i) => {
      const want = ref(v);
      const ulp = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(want), 2 ** -149))) - 23);
      expect(Math.abs(out[i] - want), `selu(${v})`).toBeLessThanOrEqual(ulp);
    });
    // selu(−1) = −1.1113307 and selu(1) = 1.0507010 (scale·alpha·(e^−1 − 1), scale)
    expect(forwardAt(new Selu(), [-1, 1], 1, 2)).toEqual(Float32Array.of(-1.1113307, 1.050701));
  });

  it("backward by finite differences; a JSON round trip; in a model after Dense", () => {
    checkGradient(new Selu(), 3, 40, 11);
    expect(layerRegistry.fromJSON(new Selu().toJSON())).toBeInstanceOf(Selu);
    expect(() => layerRegistry.fromJSON({ type: "selu", alpha: 1 })).toThrow(/json\.alpha is not a known option/);
  });
});

describe("in a model: every new layer trains, round-trips through Sequential JSON, and chunking does not change a bit", () => {
  function model(chunkRows?: number): Sequential {
    return new Sequential(
      [
        new Dense(6, 12, { seed: 1 }),
        new Selu(),
        new AlphaDropout(0.1, { seed: 2 }),
        new GaussianNoise(0.1, { seed: 3 }),
        new SpatialDropout1D(0.2, { inputShape: [3, 4], seed: 4 }),
        new Dense(12, 8, { seed: 5 }),
        new GaussianDropout(0.2, { seed: 6 }),
        new FeatureAlphaDropout(0.1, { inputShape: [2, 4], seed: 7 }),
        new Dropout(0.2, { seed: 8, noiseShape: [1, null] }),
        new Dense(8, 3, { seed: 9 }),
      ],
      chunkRows ? { chunkRows } : {},
    );
  }
  it("gradients in chunks of 3 rows equal whole-batch gradients; fromJSON(toJSON) continues with the same bits", () => {
    const x = uniform(10 * 6, 1, -1, 1);
    const y = Uint32Array.from({ length: 10 }, (_, i) => i % 3);
    const whole = model(64);
    const chunked = model(3);
    const a = whole.computeGradients(x, y);
    const b = chunked.computeGradients(x, y);
    expect(b.loss).toBe(a.loss);
    whole.params().forEach((p, i) => {
      expect(describeDifference(chunked.params()[i].grad.view(), p.grad.view())).toBe("identical");
    });
    const copy = Sequential.fromJSON(JSON.parse(JSON.stringify(whole.toJSON())));
    expect(copy.computeGradients(x, y).loss).toBe(whole.computeGradients(x, y).loss);
  });
});
