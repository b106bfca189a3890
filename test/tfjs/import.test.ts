// Sequential.fromTfjs: regwasm → TF.js artifacts → regwasm is lossless (configs, weights and
// predictions bit for bit, and training continues as the original does), also through TF.js's own
// load and save; models built in TF.js (the peer) import with TF.js's predictions and penalties;
// what regwasm has no counterpart for is an error naming the layer and its class.
import { beforeAll, describe, expect, it } from "vitest";
import {
  Adam,
  BinaryCrossEntropy,
  constraints,
  Dense,
  Dropout,
  init,
  L1L2,
  L2,
  MeanSquaredError,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  spiralData,
  Tanh,
} from "../../src/index.js";
import type { TfjsArtifacts } from "../../src/model/tfjs-format.js";
import { errorOf } from "../layers/support.js";
import { configsOf, loadInTfjs, maxAbsDifference, savedByTfjs, tf, tfjsPredict, tfjsReady, tfl } from "./support.js";

await init();
beforeAll(() => tfjsReady());

const data = spiralData(40, 3, { seed: 12 });
const values = Float32Array.from({ length: data.y.length * 3 }, (_, i) =>
  data.y[Math.floor(i / 3)] === i % 3 ? 0.8 : 0.2,
);
const bitsOf = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

/** Every layer type with a TF.js counterpart, penalties in each form, the losses. */
const models: [string, () => Sequential, boolean][] = [
  [
    "Dense+ReLU, Dropout, Dense, softmax cross-entropy",
    () =>
      new Sequential([
        new Dense(2, 16, { weightL1: 1e-4, weightL2: 1e-3, biasL2: 1e-4, convention: "torch", seed: 1 }),
        new ReLU(),
        new Dropout(0.3, { seed: 2, storeMask: false }),
        new Dense(16, 3, { weightRegularizer: new L2(1e-3), biasRegularizer: new L1L2({ l1: 1e-4 }), seed: 3 }),
      ]),
    true,
  ],
  [
    "Dropout, Dense+Tanh, Dense+Sigmoid, binary cross-entropy, proximal L1",
    () =>
      new Sequential(
        [
          new Dropout(0.1, { seed: 4 }),
          new Dense(2, 12, { weightL1: 1e-3, l1Method: "proximal", weightInit: "heNormal", seed: 5 }),
          new Tanh(),
          new Dense(12, 3, { weightInit: "course", biasInit: "ones", seed: 6 }),
          new Sigmoid(),
        ],
        { loss: new BinaryCrossEntropy({ labelSmoothing: 0.1 }) },
      ),
    true,
  ],
  [
    "constraints, an activation after Dropout, Softmax layer, mean squared error",
    () =>
      new Sequential(
        [
          new Dense(2, 10, { weightConstraint: constraints.maxNorm({ maxValue: 1.5 }), seed: 7 }),
          new Dropout(0.2, { seed: 8 }),
          new ReLU(),
          new Dense(10, 3, { biasConstraint: constraints.nonNeg(), seed: 9 }),
          new Softmax(),
        ],
        { loss: new MeanSquaredError() },
      ),
    // TF.js projects constrained weights again when it loads them: not bit for bit through TF.js
    false,
  ],
];

const targetsOf = (model: Sequential) => (model.loss.targetKind === "labels" ? data.y : values);
const optimizer = () => new Adam({ learningRate: 0.03 });

async function trained(make: () => Sequential): Promise<Sequential> {
  const model = make();
  await model.fit(data.x, targetsOf(model), { epochs: 3, batchSize: 32, optimizer: optimizer() });
  return model;
}

/** `copy` is `original`: configs, loss, weights and predictions, and two more epochs of training. */
async function expectSameModel(copy: Sequential, original: Sequential): Promise<void> {
  expect(configsOf(copy)).toEqual(configsOf(original));
  expect(copy.loss.toJSON()).toEqual(original.loss.toJSON());
  copy.getWeights().forEach((w, i) => expect(bitsOf(w)).toEqual(bitsOf(original.getWeights()[i])));
  expect(bitsOf(copy.predict(data.x))).toEqual(bitsOf(original.predict(data.x)));
  // dropout (seed, step), initializers' seeds, the L2 convention, proximal L1: training goes on alike
  const more = { epochs: 2, batchSize: 32, shuffle: false, optimizer: optimizer() };
  await original.fit(data.x, targetsOf(original), more);
  await copy.fit(data.x, targetsOf(copy), { ...more, optimizer: optimizer() });
  copy.getWeights().forEach((w, i) => expect(bitsOf(w)).toEqual(bitsOf(original.getWeights()[i])));
}

describe("round trips", () => {
  for (const [name, make] of models) {
    it(`${name}: regwasm → artifacts → regwasm is lossless`, async () => {
      const original = await trained(make);
      const copy = Sequential.fromTfjs(original.toTfjs());
      await expectSameModel(copy, original);
      original.free();
      copy.free();
    });
  }

  for (const [name, make, exact] of models.filter((m) => m[2])) {
    it(`${name}: regwasm → TF.js load and save → regwasm is lossless (TF.js keeps regwasm's metadata)`, async () => {
      expect(exact).toBe(true);
      const original = await trained(make);
      const tfModel = await loadInTfjs(original.toTfjs());
      const copy = Sequential.fromTfjs(await savedByTfjs(tfModel));
      await expectSameModel(copy, original);
      original.free();
      copy.free();
      tfModel.dispose();
    });
  }
});

/** A model built and initialized by TF.js itself (its own random weights). */
function tfjsModel(last: "softmax" | "sigmoid" | "linear"): tfl.Sequential {
  const model = tfl.sequential();
  model.add(
    tfl.layers.dense({
      units: 8,
      inputShape: [2],
      activation: "relu",
      kernelRegularizer: tfl.regularizers.l1l2({ l1: 1e-3, l2: 2e-3 }),
      biasRegularizer: tfl.regularizers.l2({ l2: 1e-2 }),
      kernelConstraint: tfl.constraints.maxNorm({ maxValue: 3, axis: 0 }),
      biasInitializer: "randomNormal",
    }),
  );
  model.add(tfl.layers.dropout({ rate: 0.25, seed: 5 }));
  model.add(tfl.layers.activation({ activation: "tanh" }));
  model.add(tfl.layers.dense({ units: 3, activation: last, biasInitializer: "randomNormal" }));
  return model;
}

describe("models built in TF.js", () => {
  it.each([
    ["softmax", "softmax-crossentropy", 2],
    ["sigmoid", "binary-crossentropy", 3],
    ["linear", "mean-squared-error", 2],
  ] as const)("ending in %s: TF.js's predictions, weights and penalties; the loss %s", async (last, loss, denseOf) => {
    const tfModel = tfjsModel(last);
    const model = Sequential.fromTfjs(await savedByTfjs(tfModel));
    expect(model.loss.type).toBe(loss);
    expect(model.layers.map((l) => l.type).slice(0, 5)).toEqual(["dense", "relu", "dropout", "tanh", "dense"]);
    expect(model.layers.length).toBe(denseOf === 3 ? 6 : 5); // the sigmoid stays a layer (binary cross-entropy takes probabilities)
    expect(maxAbsDifference(model.predict(data.x), tfjsPredict(tfModel, data.x, 2))).toBeLessThan(1e-6);
    const tfWeights = tfModel.getWeights().map((w) => w.dataSync() as Float32Array);
    model.getWeights().forEach((w, i) => expect(bitsOf(w)).toEqual(bitsOf(tfWeights[i])));
    const tfPenalty = tf.tidy(() => tfModel.calculateLosses().reduce((sum, l) => sum + l.dataSync()[0], 0));
    const ourPenalty = model.layers.reduce((sum, l) => sum + l.regularizationLoss(), 0);
    expect(Math.abs(tfPenalty - ourPenalty)).toBeLessThan(1e-6 * Math.max(1, ourPenalty));
    const [dense] = model.layers as Dense[];
    expect([dense.weightL1, dense.weightL2, dense.biasL1, dense.biasL2]).toEqual([1e-3, 2e-3, 0, 1e-2]);
    expect(dense.weightConstraint?.toJSON()).toEqual({ type: "maxNorm", maxValue: 3, axis: 0 });
    expect((model.layers[2] as Dropout).seed).toBe(5);
    model.free();
    tfModel.dispose();
  });

  it("options.loss replaces the inferred loss", async () => {
    const tfModel = tfjsModel("sigmoid");
    const model = Sequential.fromTfjs(await savedByTfjs(tfModel), { loss: new MeanSquaredError() });
    expect(model.loss.type).toBe("mean-squared-error");
    expect(model.layers.at(-1)?.type).toBe("sigmoid");
    model.free();
    tfModel.dispose();
  });

  it("Keras's layout (model_config wrapper, InputLayer, scoped ':0' weight names) against a float64 reference", () => {
    const kernel = [0.5, -1.25, 2, 0.75, -0.5, 1];
    const bias = [0.1, -0.2, 0.3];
    const weightData = new Float32Array([...kernel, ...bias]).buffer;
    const artifacts: TfjsArtifacts = {
      modelTopology: {
        model_config: {
          class_name: "Sequential",
          config: {
            name: "sequential",
            layers: [
              { class_name: "InputLayer", config: { batch_input_shape: [null, 2], name: "input_1" } },
              { class_name: "Dense", config: { name: "dense", units: 3, activation: "softmax" } },
            ],
          },
        },
      },
      weightSpecs: [
        { name: "sequential/dense/kernel:0", shape: [2, 3], dtype: "float32" },
        { name: "sequential/dense/bias:0", shape: [3], dtype: "float32" },
      ],
      weightData,
    };
    const model = Sequential.fromTfjs(artifacts);
    const x = [1, 2, -0.5, 0.25];
    const expected: number[] = [];
    for (let r = 0; r < 2; r++) {
      const z = [0, 1, 2].map((j) => x[2 * r] * kernel[j] + x[2 * r + 1] * kernel[3 + j] + bias[j]);
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const sum = e.reduce((a, b) => a + b, 0);
      expected.push(...e.map((v) => v / sum));
    }
    expect(maxAbsDifference(model.predict(x), expected)).toBeLessThan(1e-6);
    model.free();
  });
});

describe("errors", () => {
  const base = (): TfjsArtifacts => {
    const model = new Sequential([new Dense(2, 3, { seed: 1 })]);
    const artifacts = model.toTfjs();
    model.free();
    return artifacts;
  };
  const layersOf = (a: TfjsArtifacts) =>
    (a.modelTopology.config as { layers: { class_name: string; config: Record<string, unknown> }[] }).layers;

  it("a layer without a counterpart names the layer and its class (TF.js's BatchNormalization)", async () => {
    const tfModel = tfl.sequential();
    tfModel.add(tfl.layers.dense({ units: 4, inputShape: [2], name: "hidden" }));
    tfModel.add(tfl.layers.batchNormalization({ name: "norm" }));
    tfModel.add(tfl.layers.dense({ units: 3, activation: "softmax" }));
    const error = await errorOf(async () => Sequential.fromTfjs(await savedByTfjs(tfModel)));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(
      /layer 'norm' \(class BatchNormalization, artifacts\.modelTopology layer 1\) has no regwasm counterpart/,
    );
    tfModel.dispose();
  });

  it.each([
    [
      "use_bias false",
      (a: TfjsArtifacts) => Object.assign(layersOf(a)[0].config, { use_bias: false }),
      /use_bias false has no regwasm counterpart/,
    ],
    [
      "an activation regwasm lacks",
      (a: TfjsArtifacts) => Object.assign(layersOf(a)[0].config, { activation: "elu" }),
      /the activation string elu has no regwasm counterpart/,
    ],
    [
      "an orthogonal kernel regularizer",
      (a: TfjsArtifacts) =>
        Object.assign(layersOf(a)[0].config, {
          kernel_regularizer: { class_name: "OrthogonalRegularizer", config: {} },
        }),
      /kernel_regularizer: the regularizer string OrthogonalRegularizer has no regwasm counterpart/,
    ],
    [
      "an activity regularizer after a non-linear activation",
      (a: TfjsArtifacts) =>
        Object.assign(layersOf(a)[0].config, {
          activation: "relu",
          activity_regularizer: { class_name: "L1L2", config: { l1: 0.1 } },
        }),
      /activity regularizer on a Dense with activation 'relu' has no regwasm counterpart/,
    ],
    [
      "a functional model",
      (a: TfjsArtifacts) => Object.assign(a.modelTopology, { class_name: "Model" }),
      /must be a Sequential model, got string Model/,
    ],
    [
      "float16 weights",
      (a: TfjsArtifacts) => Object.assign(a.weightSpecs![0], { dtype: "float16" }),
      /dtype must be float32/,
    ],
    [
      "quantized weights",
      (a: TfjsArtifacts) => Object.assign(a.weightSpecs![0], { quantization: { dtype: "uint8" } }),
      /is quantized/,
    ],
    [
      "truncated weight data",
      (a: TfjsArtifacts) => Object.assign(a, { weightData: (a.weightData as ArrayBuffer).slice(0, 20) }),
      /holds 20 bytes: too few/,
    ],
    [
      "extra weight data",
      (a: TfjsArtifacts) => Object.assign(a, { weightData: new ArrayBuffer(40) }),
      /holds 40 bytes, its weightSpecs describe 36/,
    ],
    [
      "a missing kernel",
      (a: TfjsArtifacts) => Object.assign(a.weightSpecs![0], { name: "other/kernel" }),
      /has no 'dense_0\/kernel'/,
    ],
    [
      "a kernel of the wrong shape",
      (a: TfjsArtifacts) => Object.assign(a.weightSpecs![0], { shape: [3, 2] }),
      /has shape \[3,2\], the layer needs \[2,3\]/,
    ],
    [
      "softmax cross-entropy without a final softmax",
      (a: TfjsArtifacts) => Object.assign(layersOf(a)[0].config, { activation: "linear" }),
      /must end in softmax for the loss softmax-crossentropy/,
    ],
  ])("%s is an error naming it", (_name, spoil, message) => {
    const artifacts = base();
    spoil(artifacts);
    expect(() => Sequential.fromTfjs(artifacts)).toThrow(message);
  });
});
