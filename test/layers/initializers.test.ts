// Dense's weight and bias initializers as a user meets them: the moments of a large layer against
// Keras's variance formula, the bounds (uniform limit, truncation at 2 stddev), the variance-scaling
// parameters against TF.js's own initializers, bad names and types, the registry, and the JSON form
// (including JSON written before the initializers existed). Bits against the reference and across
// runtimes and builds: test/kernels/initializers.test.ts.
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  Dense,
  type Initializer,
  InitializerRegistry,
  init,
  initializerRegistry,
  Sequential,
  varianceScaling,
  varianceScalingParameter,
} from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { KERAS_VARIANCE_SCALING, refParameter } from "../kernels/support/initializer-reference.js";

beforeAll(async () => {
  await init();
  await tf.setBackend("cpu");
});
const live = () => defaultInstance().heap.allocations;

/** Sample moments about 0 (the mean is known to be 0), with the standard errors of the mean and of m2. */
function moments(values: Float32Array) {
  let s1 = 0,
    s2 = 0,
    s4 = 0,
    max = 0;
  for (const v of values) {
    s1 += v;
    s2 += v * v;
    s4 += v ** 4;
    max = Math.max(max, Math.abs(v));
  }
  const n = values.length;
  const [mean, m2, m4] = [s1 / n, s2 / n, s4 / n];
  return {
    mean,
    m2,
    kurtosis: m4 / m2 ** 2,
    max,
    meanError: Math.sqrt(m2 / n),
    m2Error: Math.sqrt((m4 - m2 ** 2) / n),
  };
}

/** E[z⁴]/E[z²]² of N(0, 1) truncated to (−2, 2), from E[zⁿ] = (n − 1)·E[zⁿ⁻²] − 2·2ⁿ⁻¹·φ(2)/Z. */
const TRUNCATED_KURTOSIS = (() => {
  const phi = Math.exp(-2) / Math.sqrt(2 * Math.PI);
  const z = 0.9544997361036416; // P(|z| < 2)
  const e2 = 1 - (2 * 2 * phi) / z;
  const e4 = 3 * e2 - (2 * 8 * phi) / z;
  return e4 / e2 ** 2;
})();

describe("a 1500 × 500 layer (750000 weights): moments and bounds", () => {
  // fanIn 1500, fanOut 500, fanAvg 1000: each mode gives a different variance
  const [fanIn, fanOut] = [1500, 500];
  const variance = { fanIn: 1 / fanIn, fanOut: 1 / fanOut, fanAvg: 2 / (fanIn + fanOut) };

  it.each(Object.entries(KERAS_VARIANCE_SCALING))("%s: mean 0 and variance scale / fan", (name, spec) => {
    const layer = new Dense(fanIn, fanOut, { weightInit: name, seed: 5 });
    const m = moments(layer.weights.view());
    layer.free();
    // 5 standard errors: a correct initializer fails with probability < 1e-6 per check
    expect(Math.abs(m.mean)).toBeLessThan(5 * m.meanError);
    const want = spec.scale * variance[spec.mode];
    expect(Math.abs(m.m2 - want)).toBeLessThan(5 * m.m2Error);
    if (spec.distribution === "uniform") {
      // U(−L, L): kurtosis 1.8; the largest of 750000 draws is within ~L/750000 of L, never beyond
      const limit = Math.sqrt(3 * want);
      expect(m.max).toBeLessThanOrEqual(Math.fround(limit));
      expect(m.max).toBeGreaterThan(limit * (1 - 1e-4));
      expect(m.kurtosis).toBeCloseTo(1.8, 2);
    } else {
      // truncated, not clipped: nothing at or beyond 2 stddev, the largest just below, kurtosis 2.37
      const stddev = Math.sqrt(want) / 0.87962566103423978;
      expect(m.max).toBeLessThan(2 * stddev);
      expect(m.max).toBeGreaterThan(2 * stddev * (1 - 1e-3));
      expect(Math.abs(m.kurtosis - TRUNCATED_KURTOSIS)).toBeLessThan(0.02);
    }
  });

  it("biases: a vector's fans are its length (Keras), so heUniform biases have variance 2 / nOut", () => {
    const layer = new Dense(3, 100000, { biasInit: "heUniform", seed: 6 });
    const m = moments(layer.biases.view());
    layer.free();
    expect(Math.abs(m.m2 - 2 / 100000)).toBeLessThan(5 * m.m2Error);
  });

  it("zeros, ones and course", () => {
    const layer = new Dense(300, 300, { weightInit: "course", biasInit: "ones", seed: 7 });
    const m = moments(layer.weights.view());
    expect(Math.abs(m.m2 - 1e-4)).toBeLessThan(5 * m.m2Error);
    expect(Math.abs(m.kurtosis - 3)).toBeLessThan(0.1); // normal, untruncated (SE ≈ 0.016 at 90000)
    expect(Array.from(layer.biases.view())).toEqual(new Array(300).fill(1));
    layer.free();
    const zero = new Dense(4, 5, { weightInit: "zeros", seed: 7 });
    expect(Array.from(zero.weights.view())).toEqual(new Array(20).fill(0));
    zero.free();
  });
});

describe("variance-scaling parameters", () => {
  it.each(Object.entries(KERAS_VARIANCE_SCALING))("%s: Keras's formula for several fans", (_, spec) => {
    for (const [fanIn, fanOut] of [
      [1, 1],
      [2, 512],
      [784, 128],
      [0.25, 0.5], // fans below 1 (a caller's own): max(1, fan)
      [0, 0],
    ]) {
      expect(varianceScalingParameter({ fanIn, fanOut }, spec)).toBe(refParameter(spec, fanIn, fanOut));
    }
  });

  it("the textbook forms: Glorot √(6 / (in + out)), He √(6 / in) and √(2 / in) / 0.8796…, LeCun √(3 / in)", () => {
    const fans = { fanIn: 784, fanOut: 128 };
    const param = (name: string) => varianceScalingParameter(fans, KERAS_VARIANCE_SCALING[name]);
    expect(param("glorotUniform")).toBeCloseTo(Math.sqrt(6 / 912), 15);
    expect(param("glorotNormal")).toBeCloseTo(Math.sqrt(2 / 912) / 0.87962566103423978, 15);
    expect(param("heUniform")).toBeCloseTo(Math.sqrt(6 / 784), 15);
    expect(param("heNormal")).toBeCloseTo(Math.sqrt(2 / 784) / 0.87962566103423978, 15);
    expect(param("lecunUniform")).toBeCloseTo(Math.sqrt(3 / 784), 15);
    expect(param("lecunNormal")).toBeCloseTo(Math.sqrt(1 / 784) / 0.87962566103423978, 15);
  });
});

describe("against TF.js 4.22's initializers", () => {
  // TF.js's VarianceScaling: the same scale / mode per name; its 'normal' is truncated at 2 stddev
  // like Keras's, but with stddev √(scale / fan), without Keras's 1 / 0.8796… correction
  const tfjs: Record<string, (args: { seed: number }) => tfl.initializers.Initializer> = {
    glorotUniform: tfl.initializers.glorotUniform,
    glorotNormal: tfl.initializers.glorotNormal,
    heNormal: tfl.initializers.heNormal,
    heUniform: tfl.initializers.heUniform,
    lecunNormal: tfl.initializers.leCunNormal,
    lecunUniform: tfl.initializers.leCunUniform,
  };
  const [fanIn, fanOut] = [600, 200];

  it.each(Object.entries(KERAS_VARIANCE_SCALING))(
    "%s: the same scale and mode; limit or stddev from TF.js's values",
    (name, spec) => {
      const initializer = tfjs[name]({ seed: 11 });
      const config = initializer.getConfig() as { scale: number; mode: string; distribution: string };
      expect({ scale: config.scale, mode: config.mode }).toEqual({ scale: spec.scale, mode: spec.mode });
      expect(config.distribution).toBe(spec.distribution === "uniform" ? "uniform" : "normal");

      const values = tf.tidy(() => initializer.apply([fanIn, fanOut]).dataSync() as Float32Array);
      const tfMax = moments(values).max;
      const ours = varianceScalingParameter({ fanIn, fanOut }, spec);
      // TF.js's largest |value| of 120000 is within 1e-4 (relative) of its limit or of 2·its stddev
      if (spec.distribution === "uniform") {
        expect(Math.abs(tfMax / ours - 1)).toBeLessThan(5e-4);
      } else {
        expect(Math.abs(tfMax / 2 / (ours * 0.87962566103423978) - 1)).toBeLessThan(5e-4);
      }
    },
  );
});

describe("bad names and types", () => {
  const names =
    "'glorotUniform', 'glorotNormal', 'heNormal', 'heUniform', 'lecunNormal', 'lecunUniform', 'zeros', 'ones' or 'course'";

  it.each<[string, object, ErrorConstructor, string]>([
    [
      "unknown weightInit",
      { weightInit: "xavier" },
      RangeError,
      `options.weightInit must be ${names}, got string xavier`,
    ],
    ["Keras's spelling", { weightInit: "glorot_uniform" }, RangeError, "options.weightInit must be"],
    ["unknown biasInit", { biasInit: "Zeros" }, RangeError, `options.biasInit must be ${names}, got string Zeros`],
    ["a number", { weightInit: 1 }, TypeError, "options.weightInit must be 'glorotUniform'"],
    ["null", { biasInit: null }, TypeError, "got null"],
    ["a function", { weightInit: () => 0 }, TypeError, "options.weightInit must be"],
    ["an object", { weightInit: { type: "glorotUniform" } }, TypeError, "got an Object"],
    [
      "a misspelt key",
      { weightinit: "heNormal" },
      TypeError,
      "options.weightinit is not a known option (did you mean weightInit?)",
    ],
  ])("%s: %s before any memory is taken", (_, options, kind, message) => {
    const before = live();
    let caught: unknown;
    try {
      new Dense(2, 3, options as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(kind);
    expect((caught as Error).message).toContain(message);
    expect(live()).toBe(before);
  });

  it("varianceScaling checks its config", () => {
    expect(() => varianceScaling({ scale: 0, mode: "fanIn", distribution: "uniform" })).toThrow(
      /^config\.scale must be a finite number > 0/,
    );
    expect(() => varianceScaling({ scale: 1, mode: "fan_in" as never, distribution: "uniform" })).toThrow(
      /^config\.mode must be 'fanIn', 'fanOut' or 'fanAvg', got string fan_in$/,
    );
    expect(() => varianceScaling({ scale: 1, mode: "fanIn", distribution: "normal" as never })).toThrow(
      /^config\.distribution must be 'truncatedNormal' or 'uniform'/,
    );
    expect(() => varianceScaling({ scale: 1, mode: "fanIn", distribution: "uniform", seed: 1 } as never)).toThrow(
      /^config\.seed is not a known option/,
    );
  });
});

describe("the registry", () => {
  /** A custom initializer: i / n. */
  const ramp: Initializer = (out) => {
    for (let i = 0; i < out.length; i++) out[i] = i / out.length;
  };

  it("a registered name works in Dense and in its JSON; unregistered, it is an error again", () => {
    initializerRegistry.register("ramp", ramp);
    try {
      const layer = new Dense(2, 2, { weightInit: "ramp", biasInit: "ramp", seed: 1 });
      expect(Array.from(layer.weights.view())).toEqual([0, 0.25, 0.5, 0.75]);
      expect(Array.from(layer.biases.view())).toEqual([0, 0.5]);
      const copy = Dense.fromJSON(JSON.parse(JSON.stringify(layer.toJSON())));
      expect([copy.weightInit, copy.biasInit]).toEqual(["ramp", "ramp"]);
      layer.free();
      copy.free();
    } finally {
      expect(initializerRegistry.unregister("ramp")).toBe(true);
    }
    expect(initializerRegistry.has("ramp")).toBe(false);
    expect(() => new Dense(2, 2, { weightInit: "ramp" })).toThrow(RangeError);
  });

  it("a custom variance-scaling rule (He uniform over fanOut)", () => {
    initializerRegistry.register(
      "heUniformFanOut",
      varianceScaling({ scale: 2, mode: "fanOut", distribution: "uniform" }),
    );
    try {
      const layer = new Dense(100, 4000, { weightInit: "heUniformFanOut", seed: 3 });
      const m = moments(layer.weights.view());
      layer.free();
      expect(Math.abs(m.m2 - 2 / 4000)).toBeLessThan(5 * m.m2Error);
    } finally {
      initializerRegistry.unregister("heUniformFanOut");
    }
  });

  it("refuses a taken name, an empty name and a non-function", () => {
    const registry = new InitializerRegistry().register("a", ramp);
    expect(() => registry.register("a", ramp)).toThrow(/^an initializer named 'a' is already registered$/);
    expect(() => registry.register("", ramp)).toThrow(/^name must be a non-empty string, got string $/);
    expect(() => registry.register(1 as never, ramp)).toThrow(TypeError);
    expect(() => registry.register("b", "glorotUniform" as never)).toThrow(/^initializer must be a function/);
    expect(registry.names).toEqual(["a"]);
    expect(registry.get("x", "a")).toBe(ramp);
    expect(registry.unregister("b")).toBe(false);
  });
});

describe("JSON", () => {
  it("stores weightInit and biasInit; fromJSON restores them with the weights", () => {
    const layer = new Dense(3, 4, { weightInit: "lecunNormal", biasInit: "ones", seed: 9 });
    layer.weights.view()[0] = 42; // trained: the JSON's weights win over a fresh draw
    const json = JSON.parse(JSON.stringify(layer.toJSON()));
    expect(json).toMatchObject({ weightInit: "lecunNormal", biasInit: "ones", seed: 9 });
    const copy = Dense.fromJSON(json);
    expect(copy.toJSON()).toEqual(layer.toJSON());
    expect(copy.weights.view()[0]).toBe(42);
    layer.free();
    copy.free();
  });

  it("the default is written out, so a file keeps its meaning if the default changes again", () => {
    const layer = new Dense(2, 3, { seed: 1 });
    expect(layer.toJSON()).toMatchObject({ weightInit: "glorotUniform", biasInit: "zeros" });
    layer.free();
  });

  it("a JSON written before initializers were configurable loads as 'course' and 'zeros', its weights as saved", () => {
    const model = new Sequential([new Dense(2, 3, { weightInit: "course", seed: 4 })]);
    const json = model.toJSON();
    const old = structuredClone(json);
    for (const layer of old.layers) {
      delete layer.weightInit;
      delete layer.biasInit;
    }
    (old.layers[0].weights as number[])[1] = 0.5;
    const loaded = Sequential.fromJSON(JSON.stringify(old));
    const dense = loaded.layers[0] as Dense;
    expect([dense.weightInit, dense.biasInit]).toEqual(["course", "zeros"]);
    expect(dense.weights.view()[1]).toBe(0.5);
    // a layer built from the reported config starts from the weights the old one started from
    const rebuilt = new Dense(2, 3, { weightInit: dense.weightInit, biasInit: dense.biasInit, seed: dense.seed });
    expect(Array.from(rebuilt.weights.view())).toEqual(json.layers[0].weights);
    model.free();
    loaded.free();
    rebuilt.free();
  });

  it("an unknown name in a JSON is an error naming the field, before any memory is taken", () => {
    const model = new Sequential([new Dense(2, 3, { seed: 1 })]);
    const json = model.toJSON();
    model.free();
    const before = live();
    json.layers[0].weightInit = "xavier";
    expect(() => Sequential.fromJSON(json)).toThrow(/^json\.layers\[0\]: json\.weightInit must be 'glorotUniform'/);
    json.layers[0].weightInit = "heNormal";
    json.layers[0].biasInit = 0;
    expect(() => Sequential.fromJSON(json)).toThrow(/^json\.layers\[0\]: json\.biasInit must be/);
    expect(live()).toBe(before);
  });
});
