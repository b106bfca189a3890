// The dropout family's own contracts beside noise-layers.test.ts: every argument error named in full
// (the option, the JSON key, the layer's class), noise-shape edge cases (a batch dim given as the
// batch size, a noise shape checked against the width only at forward), FeatureAlphaDropout's
// channels_last mask, alpha dropout's gradient as exactly f32(a·dOutput) (signs of zeros too), and
// which kernels a backward runs: a stored mask is applied, never drawn again.
// References: keep bits from test/reference.ts's generator, a from the alpha dropout formula in float64.
import { beforeAll, describe, expect, it } from "vitest";
import {
  AlphaDropout,
  Dropout,
  FeatureAlphaDropout,
  init,
  type Layer,
  Selu,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
} from "../../src/index.js";
import { streamSeed } from "../../src/layers/batch-streams.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { describeDifference } from "../kernels/support/bits.js";
import { normalF32 } from "../kernels/support/data.js";
import { type RecordingInstance, recordingInstance } from "../kernels/support/recording-instance.js";
import { refDropout, refScale } from "../reference.js";
import { matrixOf } from "./support.js";

/** An instance over the default one's memory that records the kernels it runs. */
let recorded: RecordingInstance;
beforeAll(async () => {
  await init();
  recorded = recordingInstance(defaultInstance());
});

/** Keep flags of the noise elements of a layer at index 0, training step `step`. */
const refKeep = (seed: number, step: number, noiseLength: number, rate: number) =>
  refDropout(new Float32Array(noiseLength), rate, streamSeed(seed, 0, 0), step).keep;

/** The message a call throws (and that it throws an instance of `kind`). */
function messageOf(call: () => unknown, kind: ErrorConstructor = Error): string {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(kind);
    return (error as Error).message;
  }
  throw new Error("the call did not throw");
}

const backwardFirst = (layer: Layer) => messageOf(() => layer.backward(matrixOf([1], 1, 1), true));

describe("the layers name themselves", () => {
  it("a backward before any forward names the layer's class", () => {
    expect(backwardFirst(new AlphaDropout(0.5, { seed: 1 }))).toBe("AlphaDropout.backward() called before forward()");
    expect(backwardFirst(new FeatureAlphaDropout(0.5, { inputShape: [2, 2], seed: 1 }))).toBe(
      "FeatureAlphaDropout.backward() called before forward()",
    );
    expect(backwardFirst(new SpatialDropout1D(0.5, { inputShape: [2, 2], seed: 1 }))).toBe(
      "SpatialDropout1D.backward() called before forward()",
    );
    expect(backwardFirst(new SpatialDropout2D(0.5, { inputShape: [2, 2, 2], seed: 1 }))).toBe(
      "SpatialDropout2D.backward() called before forward()",
    );
    expect(backwardFirst(new SpatialDropout3D(0.5, { inputShape: [2, 2, 2, 2], seed: 1 }))).toBe(
      "SpatialDropout3D.backward() called before forward()",
    );
    expect(backwardFirst(new Selu())).toBe("Selu.backward() called before forward()");
  });

  it("SpatialDropout3D's inputShape of the wrong rank", () => {
    expect(messageOf(() => new SpatialDropout3D(0.5, { inputShape: [2, 2] }), RangeError)).toBe(
      "options.inputShape of SpatialDropout3D must have 4 dims (3 spatial and the channels), got [2,2]",
    );
  });
});

describe("arguments: the whole message", () => {
  it("AlphaDropout: a rate that is no number is a TypeError, not a range error", () => {
    expect(messageOf(() => new AlphaDropout(undefined as never), TypeError)).toBe(
      "rate must be a number, got undefined",
    );
    expect(messageOf(() => new AlphaDropout("x" as never), TypeError)).toBe("rate must be a number, got string x");
  });

  it("options that are no object show the shape expected; unknown keys and bad values are named", () => {
    expect(messageOf(() => new SpatialDropout1D(0.5, undefined as never), TypeError)).toBe(
      "options must be an object like { inputShape }, got undefined",
    );
    expect(messageOf(() => new FeatureAlphaDropout(0.5, undefined as never), TypeError)).toBe(
      "options must be an object like { inputShape }, got undefined",
    );
    expect(messageOf(() => new FeatureAlphaDropout(0.5, { inputShape: [2, 2], storeMask: true } as never))).toBe(
      "options.storeMask is not a known option; the options are inputShape, dataFormat, seed",
    );
    expect(
      messageOf(() => new FeatureAlphaDropout(0.5, { inputShape: [2, 2], dataFormat: "NCHW" as never }), RangeError),
    ).toBe("options.dataFormat must be 'channels_last' or 'channels_first', got string NCHW");
    expect(
      messageOf(() => new SpatialDropout1D(0.5, { inputShape: [2, 2], storeMask: "yes" as never }), TypeError),
    ).toBe("options.storeMask must be a boolean, got string yes");
  });

  it("fromJSON names the JSON's keys: an unknown one (each option listed once) and a missing seed", () => {
    const unknown = (fromJSON: (json: never) => unknown, json: object) =>
      messageOf(() => fromJSON({ ...json, extra: 1 } as never), TypeError);
    const noSeed = (fromJSON: (json: never) => unknown, json: object) =>
      messageOf(() => fromJSON({ ...json, seed: undefined } as never), TypeError);
    const alpha = new AlphaDropout(0.5, { seed: 1 }).toJSON();
    expect(unknown(AlphaDropout.fromJSON, alpha)).toBe(
      "json.extra is not a known option; the options are type, rate, seed, step, inferenceStep, noiseShape, inputShape",
    );
    expect(noSeed(AlphaDropout.fromJSON, alpha)).toBe("json.seed must be a number, got undefined");
    const feature = new FeatureAlphaDropout(0.5, { inputShape: [2, 2], seed: 1 }).toJSON();
    expect(unknown(FeatureAlphaDropout.fromJSON, feature)).toBe(
      "json.extra is not a known option; the options are type, rate, seed, step, inferenceStep, inputShape, dataFormat",
    );
    expect(noSeed(FeatureAlphaDropout.fromJSON, feature)).toBe("json.seed must be a number, got undefined");
    const spatial = new SpatialDropout2D(0.5, { inputShape: [2, 2, 2], seed: 1 }).toJSON();
    expect(unknown(SpatialDropout2D.fromJSON, spatial)).toBe(
      "json.extra is not a known option; the options are type, rate, step, inferenceStep, inputShape, dataFormat, seed, storeMask",
    );
    expect(noSeed(SpatialDropout2D.fromJSON, spatial)).toBe("json.seed must be a number, got undefined");
  });
});

describe("Dropout's noise shapes", () => {
  it("fewer than 2 entries is refused as a shape, whatever the inputShape", () => {
    const want =
      "options.noiseShape must be an array of sizes, 1 or null, batch dim first (at least 2 entries), got an Array";
    expect(messageOf(() => new Dropout(0.5, { noiseShape: [null] }), TypeError)).toBe(want);
    expect(messageOf(() => new Dropout(0.5, { noiseShape: [1], inputShape: [3] }), TypeError)).toBe(want);
  });

  it("a noise shape of 3 entries needs an inputShape of 2 dims, and says so", () => {
    expect(messageOf(() => new Dropout(0.5, { noiseShape: [null, 1, null] }), RangeError)).toBe(
      "options.inputShape must be given for a noiseShape of 3 entries (a sample of 2 dims)",
    );
  });

  it("noiseShape[0] given as the batch size: a batch of that size drops like one bit per element", () => {
    const layer = new Dropout(0.4, { seed: 6, noiseShape: [4, null] });
    const x = normalF32(4 * 9, 3);
    const out = layer.forward(matrixOf(x, 4, 9), true).toArray();
    const keep = refKeep(6, 0, 36, 0.4);
    const s = refScale(0.4);
    expect(
      describeDifference(
        out,
        x.map((v, i) => (keep[i] ? Math.fround(v * s) : 0)),
      ),
    ).toBe("identical");
    layer.free();
  });

  it("without an inputShape, the noise shape meets the width only at forward, where it is named", () => {
    const layer = new Dropout(0.5, { seed: 1, noiseShape: [null, 5] });
    expect(messageOf(() => layer.forward(matrixOf(new Float32Array(14), 2, 7), true), RangeError)).toBe(
      "noiseShape[1] must be null, 1 or the input's size 7, got 5",
    );
    expect(layer.forward(matrixOf(new Float32Array(10), 2, 5), true).rows).toBe(2); // the width it fits
    layer.free();
  });
});

describe("alpha dropout", () => {
  const alphaP = -1.6732632423543772 * 1.0507009873554805;
  /** a, b and the dropped value a·α′ + b, each rounded once to f32 from float64. */
  const constants = (rate: number) => {
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * rate;
    return { a: Math.fround(a), b: Math.fround(b), dropped: Math.fround(a * alphaP + b) };
  };

  it("FeatureAlphaDropout channels_last: one bit per (sample, channel), shared by the spatial positions", () => {
    // samples [3 positions, 4 channels]: the noise tensor is [rows, 1, 4]
    const rate = 0.5;
    const layer = new FeatureAlphaDropout(rate, { inputShape: [3, 4], dataFormat: "channels_last", seed: 5 });
    const x = normalF32(8 * 12, 7);
    const out = layer.forward(matrixOf(x, 8, 12), true).toArray();
    const keep = refKeep(5, 0, 8 * 4, rate);
    const { a, b, dropped } = constants(rate);
    const want = x.map((v, i) => {
      const [row, channel] = [Math.floor(i / 12), i % 4];
      return keep[row * 4 + channel] ? Math.fround(Math.fround(v * a) + b) : dropped;
    });
    expect(describeDifference(out, want)).toBe("identical");
    layer.free();
  });

  it("backward is f32(a·dOutput) where kept, +0 where dropped: a −0 dOutput stays −0", () => {
    const rate = 0.3;
    const layer = new AlphaDropout(rate, { seed: 2 });
    const n = 64;
    layer.forward(matrixOf(normalF32(n, 1), 1, n), true);
    const c = normalF32(n, 2).map((v, i) => (i % 3 === 0 ? -0 : v));
    const d = layer.backward(matrixOf(c, 1, n), true)!.toArray();
    const keep = refKeep(2, 0, n, rate);
    const { a } = constants(rate);
    expect(keep.some((k, i) => k && i % 3 === 0)).toBe(true); // some −0 is kept
    expect(
      describeDifference(
        d,
        c.map((v, i) => (keep[i] ? Math.fround(v * a) : 0)),
      ),
    ).toBe("identical");
    layer.free();
  });
});

describe("backward with a stored mask applies it, and draws no random numbers again", () => {
  /** The kernels a forward then a backward of `layer` run, on the recording instance. */
  function kernelsOf(layer: Layer, rows: number, cols: number): { forward: string[]; backward: string[] } {
    const x = matrixOf(normalF32(rows * cols, 4), rows, cols, recorded.instance);
    const dy = matrixOf(normalF32(rows * cols, 5), rows, cols, recorded.instance);
    recorded.take();
    layer.forward(x, true);
    const forward = recorded.take();
    layer.backward(dy, true);
    const backward = recorded.take();
    layer.free();
    x.data.free();
    dy.data.free();
    return { forward, backward };
  }

  it("one bit per element", () => {
    expect(kernelsOf(new Dropout(0.5, { seed: 1 }), 3, 8)).toEqual({
      forward: ["dropout"],
      backward: ["dropoutBackward"],
    });
    // storeMask false keeps no mask: the backward draws it again
    expect(kernelsOf(new Dropout(0.5, { seed: 1, storeMask: false }), 3, 8).backward).toEqual(["dropout"]);
  });

  it("a noise shape", () => {
    expect(kernelsOf(new Dropout(0.5, { seed: 1, noiseShape: [null, 1, null], inputShape: [2, 4] }), 3, 8)).toEqual({
      forward: ["dropoutMask", "applyNoiseMask"],
      backward: ["applyNoiseMask"],
    });
  });
});
