// model.toTfjs(): the artifacts load in TensorFlow.js (the peer, run here on its cpu backend), whose
// predict, weights and regularization penalties are then regwasm's; what TF.js cannot run is an
// error naming the layer.
import { beforeAll, describe, expect, it } from "vitest";
import {
  ActivityRegularization,
  Adam,
  BinaryCrossEntropy,
  constraints,
  Dense,
  Dropout,
  init,
  initializerRegistry,
  L1L2,
  type Loss,
  MeanSquaredError,
  OrthogonalRegularizer,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  spiralData,
  Tanh,
} from "../../src/index.js";
import type { Layer } from "../../src/layers/layer.js";
import { errorOf } from "../layers/support.js";
import { loadInTfjs, maxAbsDifference, tf, tfjsPredict, tfjsReady } from "./support.js";

await init();
beforeAll(() => tfjsReady());

const data = spiralData(40, 3, { seed: 11 });
/** Value targets in (0, 1) for the value losses: one per class column. */
const values = Float32Array.from({ length: data.y.length * 3 }, (_, i) =>
  data.y[Math.floor(i / 3)] === i % 3 ? 0.9 : 0.1,
);

interface Case {
  name: string;
  layers: () => Layer[];
  loss?: () => Loss;
}

const cases: Case[] = [
  {
    name: "Dense+ReLU, Dropout, Dense; softmax cross-entropy (softmax into the last Dense)",
    layers: () => [
      new Dense(2, 16, { weightL2: 1e-3, biasL1: 1e-4, seed: 1 }),
      new ReLU(),
      new Dropout(0.3, { seed: 2 }),
      new Dense(16, 3, { seed: 3 }),
    ],
  },
  {
    name: "Dropout first, Dense+Tanh, Dense+Sigmoid; binary cross-entropy",
    layers: () => [
      new Dropout(0.1, { seed: 4 }),
      new Dense(2, 12, { weightL1: 1e-3, convention: "torch", weightL2: 2e-3, seed: 5 }),
      new Tanh(),
      new Dense(12, 3, { seed: 6 }),
      new Sigmoid(),
    ],
    loss: () => new BinaryCrossEntropy(),
  },
  {
    name: "an activation after Dropout stays a layer; Softmax layer + Dense; constraints; mean squared error",
    layers: () => [
      new Dense(2, 10, {
        weightRegularizer: new L1L2({ l1: 1e-3, l2: 1e-3 }),
        weightConstraint: constraints.maxNorm({ maxValue: 1.5 }),
        biasConstraint: constraints.nonNeg(),
        seed: 7,
      }),
      new Dropout(0.2, { seed: 8 }),
      new ReLU(),
      new Dense(10, 3, { weightConstraint: constraints.unitNorm({ axis: 0 }), seed: 9 }),
      new Softmax(),
    ],
    loss: () => new MeanSquaredError(),
  },
  {
    name: "softmax layer and softmax cross-entropy: the loss's softmax as a final Activation",
    layers: () => [new Dense(2, 3, { seed: 10 }), new Softmax()],
  },
];

async function trained(c: Case): Promise<Sequential> {
  const model = new Sequential(c.layers(), c.loss ? { loss: c.loss() } : {});
  const y = model.loss.targetKind === "labels" ? data.y : values;
  await model.fit(data.x, y, { epochs: 4, batchSize: 32, optimizer: new Adam({ learningRate: 0.05 }) });
  return model;
}

describe("toTfjs", () => {
  for (const c of cases) {
    it(`${c.name}: TF.js loads it; predict within 1e-6, weights bit for bit, penalties equal`, async () => {
      const model = await trained(c);
      const artifacts = model.toTfjs();
      const tfModel = await loadInTfjs(artifacts);
      const ours = model.predict(data.x);
      const theirs = tfjsPredict(tfModel, data.x, 2);
      expect(theirs.length).toBe(ours.length);
      expect(maxAbsDifference(ours, theirs)).toBeLessThan(1e-6);
      // TF.js's weights are regwasm's, bits included (kernel nIn × nOut, then bias, per Dense); TF.js
      // projects a constrained weight again as it loads it (LayerVariable.write), which moves f32 roundings
      const tfWeights = tfModel.getWeights().map((w) => w.dataSync() as Float32Array);
      const ourWeights = model.getWeights();
      const params = model.params();
      expect(tfWeights.length).toBe(ourWeights.length);
      tfWeights.forEach((w, i) => {
        if (params[i].constraint) expect(maxAbsDifference(w, ourWeights[i])).toBeLessThan(1e-6);
        else expect(new Uint32Array(w.buffer, w.byteOffset, w.length)).toEqual(new Uint32Array(ourWeights[i].buffer));
      });
      // TF.js's regularization losses (its L1L2 on each kernel and bias) sum to regwasm's penalty
      const tfPenalty = tf.tidy(() => tfModel.calculateLosses().reduce((sum, l) => sum + l.dataSync()[0], 0));
      const ourPenalty = model.layers.reduce((sum, l) => sum + l.regularizationLoss(), 0);
      expect(Math.abs(tfPenalty - ourPenalty)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(ourPenalty)));
      model.free();
      tfModel.dispose();
    });
  }

  it("writes Keras's config: class names, pythonic keys, λ2/2 for 'torch', constraints, the input shape", () => {
    const model = new Sequential(
      [
        new Dense(4, 5, {
          weightL2: 0.5,
          convention: "torch",
          biasL1: 0.25,
          weightConstraint: constraints.minMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.5, axis: 0 }),
          seed: 3,
        }),
        new ReLU(),
        new Dropout(0.25, { seed: 9 }),
        new Dense(5, 2, { weightInit: "course", seed: 4 }),
      ],
      {},
    );
    const { modelTopology, weightSpecs, weightData, format } = model.toTfjs();
    expect(format).toBe("layers-model");
    const layers = (modelTopology.config as { layers: { class_name: string; config: Record<string, unknown> }[] })
      .layers;
    expect(modelTopology.class_name).toBe("Sequential");
    expect(layers.map((l) => l.class_name)).toEqual(["Dense", "Dropout", "Dense"]);
    expect(layers[0].config).toMatchObject({
      units: 5,
      activation: "relu",
      use_bias: true,
      batch_input_shape: [null, 4],
      dtype: "float32",
      kernel_regularizer: { class_name: "L1L2", config: { l1: 0, l2: 0.25 } },
      bias_regularizer: { class_name: "L1L2", config: { l1: 0.25, l2: 0 } },
      activity_regularizer: null,
      kernel_constraint: { class_name: "MinMaxNorm", config: { min_value: 0.5, max_value: 2, rate: 0.5, axis: 0 } },
      kernel_initializer: { class_name: "GlorotUniform", config: { seed: 3 } },
    });
    expect(layers[1].config).toMatchObject({ rate: 0.25, noise_shape: null, seed: 9 });
    expect(layers[2].config).toMatchObject({
      units: 2,
      activation: "softmax",
      kernel_regularizer: null,
      kernel_initializer: { class_name: "RandomNormal", config: { mean: 0, stddev: 0.01, seed: 4 } },
    });
    expect(weightSpecs).toEqual([
      { name: `${layers[0].config.name}/kernel`, shape: [4, 5], dtype: "float32" },
      { name: `${layers[0].config.name}/bias`, shape: [5], dtype: "float32" },
      { name: `${layers[2].config.name}/kernel`, shape: [5, 2], dtype: "float32" },
      { name: `${layers[2].config.name}/bias`, shape: [2], dtype: "float32" },
    ]);
    // the data: every weight as little-endian f32, in spec order
    const view = new DataView(weightData as ArrayBuffer);
    const flat = model.getWeights().flatMap((w) => Array.from(w));
    expect(view.byteLength).toBe(4 * flat.length);
    expect(flat.every((v, i) => Object.is(view.getFloat32(4 * i, true), v))).toBe(true);
    model.free();
  });

  it("a custom initializer exports as GlorotUniform (the weights replace it) and comes back by its name", () => {
    initializerRegistry.register("halves", (values) => values.fill(0.5));
    try {
      const model = new Sequential([new Dense(2, 3, { weightInit: "halves", seed: 4 })]);
      const artifacts = model.toTfjs();
      const [dense] = (artifacts.modelTopology.config as { layers: { config: Record<string, unknown> }[] }).layers;
      expect(dense.config.kernel_initializer).toEqual({ class_name: "GlorotUniform", config: { seed: 4 } });
      const back = Sequential.fromTfjs(artifacts);
      expect((back.layers[0] as Dense).weightInit).toBe("halves");
      expect(Array.from(back.getWeights()[0])).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
      for (const m of [model, back]) m.free();
    } finally {
      initializerRegistry.unregister("halves");
    }
  });

  it.each([
    [
      "an activity penalty",
      () => [new Dense(2, 4, { activityL2: 0.1, seed: 1 }), new Dense(4, 3, { seed: 2 })],
      /layers\[0\] \(Dense\) has an activity penalty: TF\.js cannot build/,
    ],
    [
      "ActivityRegularization",
      () => [new Dense(2, 4, { seed: 1 }), new ActivityRegularization({ l1: 0.1 }), new Dense(4, 3, { seed: 2 })],
      /layers\[1\] \(ActivityRegularization\) has no TF\.js counterpart/,
    ],
    [
      "Monte-Carlo dropout",
      () => [
        new Dense(2, 4, { seed: 1 }),
        new Dropout(0.5, { mcDropout: true, seed: 3 }),
        new Dense(4, 3, { seed: 2 }),
      ],
      /layers\[1\] \(Dropout\) drops at inference/,
    ],
    [
      "an orthogonal regularizer",
      () => [
        new Dense(2, 4, { seed: 1 }),
        new Dense(4, 3, { weightRegularizer: new OrthogonalRegularizer(), seed: 2 }),
      ],
      /layers\[1\]: the regularizer 'orthogonal' has no TF\.js counterpart/,
    ],
  ])("%s is a TypeError naming the layer", async (_name, layers, message) => {
    const model = new Sequential(layers());
    const error = await errorOf(() => model.toTfjs());
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
    model.free();
  });
});
