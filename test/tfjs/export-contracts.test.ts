// toTfjs's mapping, entry by entry: each initializer, regularizer and constraint as the Keras class
// TF.js rebuilds, each layer's name and trainable flag, the loss's softmax, the model-level fields, and
// what has no TF.js counterpart. TF.js (loadLayersModel) is the reference: what it rebuilds from the
// artifacts is checked next to the artifacts themselves.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AlphaDropout,
  constraints,
  Dense,
  Dropout,
  FeatureAlphaDropout,
  GaussianDropout,
  GaussianNoise,
  init,
  MeanSquaredError,
  ReLU,
  regularizers,
  Sequential,
  Sigmoid,
  SpatialDropout1D,
  SpatialDropout2D,
  Tanh,
} from "../../src/index.js";
import type { Layer, LayerJSON } from "../../src/layers/layer.js";
import type { LossJSON } from "../../src/losses/loss.js";
import { toTfjsArtifacts } from "../../src/model/tfjs-export.js";
import type { KerasObject, TfjsArtifacts } from "../../src/model/tfjs-format.js";
import { thrown } from "../support/thrown.js";
import { loadInTfjs, type tfl, tfjsReady } from "./support.js";

await init();
beforeAll(() => tfjsReady());

const models: { free(): void }[] = [];
afterAll(() => {
  for (const m of models) m.free();
});

/** A model freed after the suite. */
function model(layers: Layer[], options: ConstructorParameters<typeof Sequential>[1] = {}): Sequential {
  const m = new Sequential(layers, options);
  models.push(m);
  return m;
}

const layersOf = (artifacts: TfjsArtifacts): KerasObject[] =>
  (artifacts.modelTopology.config as { layers: KerasObject[] }).layers;

/** What TF.js's rebuilt layer holds (its private fields as TF.js names them). */
type Held = { getClassName(): string; getConfig(): Record<string, unknown> } | null;
const held = (layer: tfl.layers.Layer, key: string): Held => (layer as unknown as Record<string, Held>)[key];

const SOFTMAX_CE: LossJSON = { type: "softmax-crossentropy" } as LossJSON;
const MSE: LossJSON = { type: "mean-squared-error" } as LossJSON;

/** TF.js's VarianceScaling settings of each variance-scaling initializer class. */
const scaling = (scale: number, mode: string, distribution: string) => ({
  className: "VarianceScaling",
  config: { scale, mode, distribution, seed: 7 },
});

describe("initializers", () => {
  it.each([
    ["glorotUniform", { class_name: "GlorotUniform", config: { seed: 7 } }, scaling(1, "fanAvg", "uniform")],
    ["glorotNormal", { class_name: "GlorotNormal", config: { seed: 7 } }, scaling(1, "fanAvg", "normal")],
    ["heNormal", { class_name: "HeNormal", config: { seed: 7 } }, scaling(2, "fanIn", "normal")],
    ["heUniform", { class_name: "HeUniform", config: { seed: 7 } }, scaling(2, "fanIn", "uniform")],
    ["lecunNormal", { class_name: "LeCunNormal", config: { seed: 7 } }, scaling(1, "fanIn", "normal")],
    ["lecunUniform", { class_name: "LeCunUniform", config: { seed: 7 } }, scaling(1, "fanIn", "uniform")],
    ["zeros", { class_name: "Zeros", config: {} }, { className: "Zeros", config: {} }],
    ["ones", { class_name: "Ones", config: {} }, { className: "Ones", config: {} }],
    [
      "course",
      { class_name: "RandomNormal", config: { mean: 0, stddev: 0.01, seed: 7 } },
      { className: "RandomNormal", config: { mean: 0, stddev: 0.01, seed: 7 } },
    ],
  ])("%s (weights and bias) → %o, which TF.js rebuilds", async (name, keras, tfjs) => {
    const m = model([new Dense(3, 2, { weightInit: name, biasInit: name, seed: 7 })], {
      loss: new MeanSquaredError(),
    });
    const artifacts = m.toTfjs();
    const [dense] = layersOf(artifacts);
    expect(dense.config.kernel_initializer).toEqual(keras);
    expect(dense.config.bias_initializer).toEqual(keras);
    const tfModel = await loadInTfjs(artifacts);
    const config = tfModel.layers[0].getConfig();
    expect(config.kernelInitializer).toEqual(tfjs);
    expect(config.biasInitializer).toEqual(tfjs);
    tfModel.dispose();
  });
});

describe("regularizers", () => {
  it.each([
    ["l1", () => regularizers.l1(0.25), { l1: 0.25, l2: 0 }],
    ["l2", () => regularizers.l2(0.5), { l1: 0, l2: 0.5 }],
    ["l1l2", () => regularizers.l1l2({ l1: 0.125, l2: 0.75 }), { l1: 0.125, l2: 0.75 }],
  ])("a %s regularizer object on the kernel and the bias → L1L2 %o in TF.js", async (_name, reg, config) => {
    const m = model([new Dense(3, 2, { weightRegularizer: reg(), biasRegularizer: reg(), seed: 1 })], {
      loss: new MeanSquaredError(),
    });
    const artifacts = m.toTfjs();
    const [dense] = layersOf(artifacts);
    expect(dense.config.kernel_regularizer).toEqual({ class_name: "L1L2", config });
    expect(dense.config.bias_regularizer).toEqual({ class_name: "L1L2", config });
    const tfModel = await loadInTfjs(artifacts);
    for (const key of ["kernelRegularizer", "biasRegularizer"]) {
      const r = held(tfModel.layers[0], key);
      expect(r?.getClassName()).toBe("L1L2");
      expect(r?.getConfig()).toEqual(config);
    }
    tfModel.dispose();
  });

  it.each([
    ["activityRegularizer: an l1 object", { activityRegularizer: regularizers.l1(0.1) }],
    ["activityRegularizer: an l2 object", { activityRegularizer: regularizers.l2(0.1) }],
    ["activityL1", { activityL1: 0.1 }],
    ["activityL2", { activityL2: 0.1 }],
  ])("an activity penalty (%s) is a TypeError naming the layer", (_name, options) => {
    const m = model([new Dense(2, 3, { seed: 1 }), new ReLU(), new Dense(3, 2, { ...options, seed: 2 })]);
    const error = thrown(() => m.toTfjs());
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(
      "layers[2] (Dense) has an activity penalty: TF.js cannot build a layer with an activity regularizer (remove it before export)",
    );
  });
});

describe("constraints", () => {
  it.each([
    ["unitNorm axis 1", () => constraints.unitNorm({ axis: 1 }), { class_name: "UnitNorm", config: { axis: 1 } }],
    ["unitNorm axis 0", () => constraints.unitNorm({ axis: 0 }), { class_name: "UnitNorm", config: { axis: 0 } }],
    [
      "maxNorm",
      () => constraints.maxNorm({ maxValue: 3, axis: 1 }),
      { class_name: "MaxNorm", config: { max_value: 3, axis: 1 } },
    ],
    ["nonNeg", () => constraints.nonNeg(), { class_name: "NonNeg", config: {} }],
  ])("%s on the kernel → %o, as TF.js rebuilds it", async (_name, constraint, keras) => {
    const m = model([new Dense(3, 2, { weightConstraint: constraint(), seed: 1 })], {
      loss: new MeanSquaredError(),
    });
    const artifacts = m.toTfjs();
    expect(layersOf(artifacts)[0].config.kernel_constraint).toEqual(keras);
    const tfModel = await loadInTfjs(artifacts);
    const c = held(tfModel.layers[0], "kernelConstraint");
    expect(c?.getClassName()).toBe(keras.class_name);
    const tfConfig = c?.getConfig() ?? {};
    if ("axis" in keras.config) expect(tfConfig.axis).toBe(keras.config.axis);
    tfModel.dispose();
  });

  it.each(["weightConstraint", "biasConstraint"])(
    "a %s type without a TF.js counterpart is a TypeError naming the layer and the type",
    (key) => {
      const [dense] = new Sequential([new Dense(2, 3, { seed: 1 })]).toJSON().layers;
      const json = { ...dense, [key]: { type: "clipValue", min: -1, max: 1 } } as unknown as LayerJSON;
      const error = thrown(() => toTfjsArtifacts({ layers: [json], loss: MSE, inputSize: 2 }));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe("layers[0]: the constraint 'clipValue' has no TF.js counterpart");
    },
  );
});

describe("layers: names, trainable, noise shapes", () => {
  it("each layer's Keras class, name (<lower-case class>_<index>) and trainable: true, as TF.js rebuilds them", async () => {
    const m = model(
      [
        new Dense(6, 6, { seed: 1 }),
        new ReLU(),
        new Dropout(0.25, { noiseShape: [null, 1, 3], inputShape: [2, 3], seed: 2 }),
        new Tanh(),
        new AlphaDropout(0.1, { seed: 3 }),
        new GaussianNoise(0.2, { seed: 4 }),
        new GaussianDropout(0.3, { seed: 5 }),
        new Dense(6, 2, { seed: 6 }),
        new Sigmoid(),
      ],
      { loss: new MeanSquaredError() },
    );
    const artifacts = m.toTfjs();
    const expected = [
      ["Dense", "dense_0"],
      ["Reshape", "reshape_2"],
      ["Dropout", "dropout_2"],
      ["Flatten", "flatten_2"],
      ["Activation", "activation_3"],
      ["AlphaDropout", "alphadropout_4"],
      ["GaussianNoise", "gaussiannoise_5"],
      ["GaussianDropout", "gaussiandropout_6"],
      ["Dense", "dense_7"],
    ];
    const layers = layersOf(artifacts);
    expect(layers.map((l) => [l.class_name, l.config.name])).toEqual(expected);
    for (const l of layers) expect(l.config.trainable).toBe(true);
    expect(layers[1].config).toEqual({ name: "reshape_2", trainable: true, target_shape: [2, 3] });
    expect(layers[2].config).toEqual({
      name: "dropout_2",
      trainable: true,
      rate: 0.25,
      noise_shape: [null, 1, 3],
      seed: 2,
    });
    expect(layers[3]).toEqual({ class_name: "Flatten", config: { name: "flatten_2", trainable: true } });
    expect(layers[4]).toEqual({
      class_name: "Activation",
      config: { name: "activation_3", trainable: true, activation: "tanh" },
    });
    expect(layers[8].config.activation).toBe("sigmoid");
    const tfModel = await loadInTfjs(artifacts);
    expect(tfModel.layers.map((l) => [l.getClassName(), l.name])).toEqual(expected);
    for (const l of tfModel.layers) expect(l.trainable).toBe(true);
    expect(tfModel.layers[1].getConfig().targetShape).toEqual([2, 3]);
    expect(tfModel.layers[2].getConfig().noiseShape).toEqual([null, 1, 3]);
    expect(tfModel.layers[4].getConfig().activation).toBe("tanh");
    expect(tfModel.outputs[0].shape).toEqual([null, 2]);
    tfModel.dispose();
  });

  it("a SpatialDropout1D is a spatialdropout1d_<i> between reshape_<i> and flatten_<i>", async () => {
    const m = model([new Dense(2, 6, { seed: 1 }), new SpatialDropout1D(0.5, { inputShape: [3, 2], seed: 8 })], {
      loss: new MeanSquaredError(),
    });
    const layers = layersOf(m.toTfjs());
    expect(layers.slice(1)).toEqual([
      { class_name: "Reshape", config: { name: "reshape_1", trainable: true, target_shape: [3, 2] } },
      { class_name: "SpatialDropout1D", config: { name: "spatialdropout1d_1", trainable: true, rate: 0.5, seed: 8 } },
      { class_name: "Flatten", config: { name: "flatten_1", trainable: true } },
    ]);
  });

  it.each([
    ["of nulls only (one bit per element)", [null, null], null],
    ["shared by the batch ([1, null])", [1, null], [1, null]],
    ["shared along the features ([null, 1])", [null, 1], [null, 1]],
  ])("AlphaDropout's noise shape %s → noise_shape %o", (_name, noiseShape, expected) => {
    const m = model([new Dense(2, 3, { seed: 1 }), new AlphaDropout(0.2, { noiseShape, seed: 2 })], {
      loss: new MeanSquaredError(),
    });
    const artifacts = m.toTfjs();
    expect(layersOf(artifacts)[1]).toEqual({
      class_name: "AlphaDropout",
      config: { name: "alphadropout_1", trainable: true, rate: 0.2, noise_shape: expected },
    });
    // what TF.js's config cannot keep: the metadata
    const meta = artifacts.userDefinedMetadata?.regwasm as { layers: Record<string, Record<string, unknown>> };
    expect(meta.layers.alphadropout_1.noiseShape).toEqual(noiseShape);
  });

  it.each([
    ["of nulls only", [null, null], [null, null]],
    ["shared by the batch", [1, null], [1, null]],
  ])("Dropout's noise shape %s is noise_shape as given", async (_name, noiseShape, expected) => {
    const m = model([new Dense(2, 3, { seed: 1 }), new Dropout(0.2, { noiseShape, seed: 2 })], {
      loss: new MeanSquaredError(),
    });
    const artifacts = m.toTfjs();
    expect(layersOf(artifacts)[1].config.noise_shape).toEqual(expected);
    const tfModel = await loadInTfjs(artifacts);
    expect(tfModel.layers[1].getConfig().noiseShape).toEqual(expected);
    tfModel.dispose();
  });
});

describe("the loss's softmax", () => {
  it("a linear last Dense gets activation softmax; no extra layer", async () => {
    const m = model([new Dense(2, 4, { seed: 1 }), new ReLU(), new Dense(4, 3, { seed: 2 })]);
    const artifacts = m.toTfjs();
    const layers = layersOf(artifacts);
    expect(layers.map((l) => [l.class_name, l.config.name, l.config.activation])).toEqual([
      ["Dense", "dense_0", "relu"],
      ["Dense", "dense_2", "softmax"],
    ]);
    const tfModel = await loadInTfjs(artifacts);
    expect(tfModel.layers.map((l) => l.getConfig().activation)).toEqual(["relu", "softmax"]);
    tfModel.dispose();
  });

  it.each([
    ["a Dense with its own activation", () => [new Dense(2, 3, { seed: 1 }), new Sigmoid()], ["Dense"]],
    ["a noise layer", () => [new Dense(2, 3, { seed: 1 }), new Dropout(0.5, { seed: 2 })], ["Dense", "Dropout"]],
    [
      "an Activation layer",
      () => [new Dense(2, 3, { seed: 1 }), new Dropout(0.5, { seed: 2 }), new Tanh()],
      ["Dense", "Dropout", "Activation"],
    ],
  ])("after %s: a final Activation softmax_output (trainable)", async (_name, layers, before) => {
    const artifacts = model(layers()).toTfjs();
    const out = layersOf(artifacts);
    expect(out.map((l) => l.class_name)).toEqual([...before, "Activation"]);
    expect(out.at(-1)).toEqual({
      class_name: "Activation",
      config: { name: "softmax_output", trainable: true, activation: "softmax" },
    });
    const tfModel = await loadInTfjs(artifacts);
    const last = tfModel.layers.at(-1) as tfl.layers.Layer;
    expect([last.getClassName(), last.name, last.trainable, last.getConfig().activation]).toEqual([
      "Activation",
      "softmax_output",
      true,
      "softmax",
    ]);
    tfModel.dispose();
  });

  it("a loss without softmax leaves the last Dense linear", () => {
    const artifacts = model([new Dense(2, 3, { seed: 1 })], { loss: new MeanSquaredError() }).toTfjs();
    expect(layersOf(artifacts).map((l) => [l.class_name, l.config.activation])).toEqual([["Dense", "linear"]]);
  });

  it("no layers and softmax cross-entropy: the softmax alone, taking the input shape", async () => {
    const artifacts = toTfjsArtifacts({ layers: [], loss: SOFTMAX_CE, inputSize: 3 });
    expect(layersOf(artifacts)).toEqual([
      {
        class_name: "Activation",
        config: {
          name: "softmax_output",
          trainable: true,
          activation: "softmax",
          batch_input_shape: [null, 3],
          dtype: "float32",
        },
      },
    ]);
    expect(artifacts.weightSpecs).toEqual([]);
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(0);
    const tfModel = await loadInTfjs(artifacts);
    expect(tfModel.layers.map((l) => l.name)).toEqual(["softmax_output"]);
    tfModel.dispose();
  });
});

describe("the model's fields", () => {
  it("a Sequential named 'sequential', generated by regwasm, converted by nobody", async () => {
    const artifacts = model([new Dense(2, 3, { seed: 1 })]).toTfjs();
    expect(artifacts.modelTopology.class_name).toBe("Sequential");
    expect((artifacts.modelTopology.config as { name: string }).name).toBe("sequential");
    expect(artifacts.format).toBe("layers-model");
    expect(artifacts.generatedBy).toBe("regwasm");
    expect(artifacts.convertedBy).toBeNull();
    const tfModel = await loadInTfjs(artifacts);
    expect(tfModel.getClassName()).toBe("Sequential");
    expect(tfModel.name).toBe("sequential");
    tfModel.dispose();
  });
});

describe("layers without a TF.js counterpart", () => {
  it("an unknown layer type is a TypeError naming the layer and its type", () => {
    const [dense] = new Sequential([new Dense(2, 3, { seed: 1 })]).toJSON().layers;
    const layers = [dense, { type: "mystery" } as unknown as LayerJSON];
    const error = thrown(() => toTfjsArtifacts({ layers, loss: SOFTMAX_CE, inputSize: 2 }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("layers[1] (string mystery) has no TF.js counterpart");
  });

  it.each([
    ["SpatialDropout2D", () => new SpatialDropout2D(0.5, { inputShape: [1, 1, 3], seed: 1 })],
    ["FeatureAlphaDropout", () => new FeatureAlphaDropout(0.5, { inputShape: [1, 3], seed: 1 })],
  ])("%s is a TypeError naming the layer and its class", (className, layer) => {
    const m = model([new Dense(2, 3, { seed: 1 }), layer()]);
    const error = thrown(() => m.toTfjs());
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe(`layers[1] (${className}) has no TF.js counterpart (TF.js has no such layer)`);
  });
});
