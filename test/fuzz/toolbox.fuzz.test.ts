// Fuzzing the regularization toolbox's surface with fast-check: regularizer and constraint
// identifiers, their options, Dense's new options, label smoothing and the optimizers' decay mask,
// with random and hostile values. Every call either builds its piece or throws a TypeError/RangeError
// with a message, and takes no WASM memory it does not give back. Penalties and projections of
// random f32 data match float64 references.
// `npm test` runs a short profile (150 runs per property); `npm run fuzz` runs 20000 (or FUZZ_RUNS).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Adam,
  constraints,
  Dense,
  init,
  L1,
  L1L2,
  L2,
  MaxNorm,
  MinMaxNorm,
  OrthogonalRegularizer,
  regularizers,
  SGD,
  SoftmaxCrossEntropy,
  BinaryCrossEntropy,
  UnitNorm,
  ActivityRegularization,
  AlphaDropout,
  Dropout,
  Dropout2d,
  dropout,
  dropoutBackward,
  FeatureAlphaDropout,
  GaussianDropout,
  GaussianNoise,
  gaussianDropout,
  gaussianNoise,
  randomNormal,
  SpatialDropout1D,
  SpatialDropout3D,
} from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.npm_lifecycle_event === "fuzz" ? 20000 : 150));
const PARAMS = { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261205) };

await init();
const heap = () => defaultInstance().heap;

const junk = fc.oneof(
  fc.constantFrom(null, undefined, Number.NaN, -0, 0, 1, -1, 2, 0.5, 2 ** 53, 3.5e38, Number.POSITIVE_INFINITY),
  fc.constantFrom("l1", "l2", "L1L2", "orthogonal", "maxNorm", "nonNeg", "rows", "columns", "", "typo", [], [0, 1], {}),
  fc.constantFrom(
    { type: "l1", l1: 0.1 },
    { className: "L1L2", config: { l1: 2 } },
    { type: "maxNorm", axis: 7 },
    () => 1,
  ),
  fc.double(),
  fc.integer({ min: -3, max: 3 }),
  fc.string({ maxLength: 4 }),
);
const options = fc.dictionary(
  fc.constantFrom("l1", "l2", "factor", "mode", "maxValue", "minValue", "rate", "axis", "labelSmoothing", "type", "x"),
  junk,
  { maxKeys: 3 },
);

/** Runs call: success, or a TypeError/RangeError with a message; either way no memory kept. */
function survives(call: () => { free?: () => void } | unknown): void {
  const before = heap().allocations;
  try {
    const made = call() as { free?: () => void } | null;
    if (made && typeof made === "object" && typeof made.free === "function") made.free();
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    expect((error as Error).message.length).toBeGreaterThan(10);
  }
  expect(heap().allocations).toBe(before);
}

describe("toolbox surface", () => {
  it("identifiers and options: a piece or a named TypeError/RangeError, no memory kept", () => {
    fc.assert(
      fc.property(junk, options, (id, opts) => {
        survives(() => regularizers.get(id));
        survives(() => constraints.get(id));
        survives(() => new L1(id as never));
        survives(() => new L2(id as never));
        survives(() => regularizers.l1(id as never));
        survives(() => new L1L2(opts as never));
        survives(() => regularizers.l1l2(opts as never));
        survives(() => new OrthogonalRegularizer(opts as never));
        survives(() => new MaxNorm(opts as never));
        survives(() => new MinMaxNorm(opts as never));
        survives(() => new UnitNorm(opts as never));
        survives(() => new SoftmaxCrossEntropy(opts as never));
        survives(() => new BinaryCrossEntropy(opts as never));
        survives(() => new ActivityRegularization(opts as never));
        survives(() => new SGD({ excludeFromWeightDecay: id as never }));
        survives(() => new Adam({ weightDecay: 0.1, excludeFromWeightDecay: [id] as never }));
      }),
      PARAMS,
    );
  });

  it("Dense's new options with hostile values: a layer or an error, and nothing allocated on error", () => {
    const keys = [
      "weightRegularizer",
      "kernelRegularizer",
      "biasRegularizer",
      "activityRegularizer",
      "activityL1",
      "activityL2",
      "weightConstraint",
      "kernelConstraint",
      "biasConstraint",
      "l1Method",
    ] as const;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), junk, { maxKeys: 3 }), (opts) => {
        survives(() => new Dense(3, 2, { ...opts, seed: 0 } as never));
      }),
      PARAMS,
    );
  });

  it("the dropout family: hostile rates, shapes and noise shapes give a layer, an output or a named error, no memory kept", () => {
    const shapeJunk = fc.oneof(
      junk,
      fc.array(fc.oneof(fc.constant(null), fc.integer({ min: -1, max: 7 }), fc.constantFrom(0.5, Number.NaN, "2")), {
        maxLength: 4,
      }),
    );
    const x = new Float32Array(24).fill(1);
    // plain arrays run through the instance's copy window, which stays allocated once grown: grow it first
    gaussianNoise(x, { stddev: 1, seed: 1 });
    dropout(x, { rate: 0.5, seed: 1 });
    fc.assert(
      fc.property(junk, shapeJunk, shapeJunk, junk, (rate, noiseShape, shape, seed) => {
        const layerOptions = { noiseShape, inputShape: shape, seed } as never;
        survives(() => new Dropout(rate as never, layerOptions));
        survives(() => new AlphaDropout(rate as never, layerOptions));
        survives(() => new SpatialDropout1D(rate as never, { inputShape: shape, seed } as never));
        survives(() => new SpatialDropout3D(rate as never, { inputShape: shape, dataFormat: noiseShape } as never));
        survives(() => new Dropout2d(rate as never, { inputShape: shape } as never));
        survives(() => new FeatureAlphaDropout(rate as never, { inputShape: shape, seed } as never));
        survives(() => new GaussianNoise(rate as never, { seed } as never));
        survives(() => new GaussianDropout(rate as never, { seed } as never));
        survives(() => dropout(x, { rate, seed, noiseShape, shape } as never).output);
        survives(() => dropoutBackward(x, { rate, seed: 1, noiseShape, shape } as never));
        survives(() => gaussianNoise(x, { stddev: rate, seed } as never));
        survives(() => gaussianDropout(shape as never, { rate, seed } as never));
        survives(() => randomNormal(new Float32Array(3), { seed, stream: rate } as never));
      }),
      PARAMS,
    );
  });

  it("penalties of random f32 data match float64 references; projections leave norms within bounds", () => {
    fc.assert(
      fc.property(
        fc.float32Array({ minLength: 1, maxLength: 64, noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (x, a, b) => {
          const reg = new L1L2({ l1: a, l2: b });
          const ref = x.reduce((s, v) => s + a * Math.abs(v) + b * v * v, 0);
          // f32 terms: 64·2^-24 relative, plus squares that underflow f32 (each < 2^-149, times λ ≤ 10)
          expect(Math.abs(reg.penalty(x) - ref)).toBeLessThanOrEqual(64 * 2 ** -24 * ref + 1e-40);
          const w = x.slice();
          constraints.maxNorm({ maxValue: 1 }).apply(w);
          expect(Math.hypot(...w)).toBeLessThanOrEqual(1 + 1e-6);
          const u = x.slice();
          constraints.nonNeg().apply(u);
          expect(u.every((v, i) => (x[i] < 0 ? v === 0 : Object.is(v, x[i])))).toBe(true);
        },
      ),
      PARAMS,
    );
  });
});
