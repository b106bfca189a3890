// The dropout family through the TF.js bridge: GaussianNoise, GaussianDropout, AlphaDropout, Dropout
// with noiseShape, SpatialDropout1D and the selu activation load in TensorFlow.js (the peer) as its
// own layers with regwasm's settings (its getConfig) and its predictions (noise layers are
// identities at inference); regwasm → TF.js load and save → regwasm keeps configs, seeds and steps
// (training goes on bit for bit); models built in TF.js import with TF.js's predictions; the layers
// TF.js lacks are errors naming the layer.
import { beforeAll, describe, expect, it } from "vitest";
import {
  Adam,
  AlphaDropout,
  Dense,
  Dropout,
  Dropout1d,
  FeatureAlphaDropout,
  GaussianDropout,
  GaussianNoise,
  init,
  MeanSquaredError,
  ReLU,
  Selu,
  Sequential,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  spiralData,
  Tanh,
} from "../../src/index.js";
import type { Layer } from "../../src/layers/layer.js";
import { errorOf } from "../layers/support.js";
import { configsOf, loadInTfjs, maxAbsDifference, savedByTfjs, tf, tfjsPredict, tfjsReady, tfl } from "./support.js";

await init();
beforeAll(() => tfjsReady());

const data = spiralData(40, 3, { seed: 13 });
const bitsOf = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
const optimizer = () => new Adam({ learningRate: 0.03 });

interface Case {
  name: string;
  layers: () => Layer[];
  /** TF.js's layers: class name and what its getConfig must hold. */
  tfjs: [string, Record<string, unknown>][];
}

const cases: Case[] = [
  {
    name: "Dense+Selu, GaussianNoise, AlphaDropout, Dense",
    layers: () => [
      new Dense(2, 12, { weightInit: "lecunNormal", seed: 1 }),
      new Selu(),
      new GaussianNoise(0.3, { seed: 2 }),
      new AlphaDropout(0.1, { seed: 3 }),
      new Dense(12, 3, { seed: 4 }),
    ],
    tfjs: [
      ["Dense", { units: 12, activation: "selu" }],
      ["GaussianNoise", { stddev: 0.3 }],
      ["AlphaDropout", { rate: 0.1 }],
      ["Dense", { units: 3, activation: "softmax" }],
    ],
  },
  {
    name: "Dense+Tanh, GaussianDropout, Dropout of whole channels (noiseShape over [3, 4]), Selu layer, Dense",
    layers: () => [
      new Dense(2, 12, { seed: 5 }),
      new Tanh(),
      new GaussianDropout(0.2, { seed: 6 }),
      new Dropout(0.3, { seed: 7, noiseShape: [null, 1, null], inputShape: [3, 4], storeMask: false }),
      new Selu(),
      new Dense(12, 3, { seed: 8 }),
    ],
    tfjs: [
      ["Dense", { units: 12, activation: "tanh" }],
      ["GaussianDropout", { rate: 0.2 }],
      ["Reshape", { targetShape: [3, 4] }],
      ["Dropout", { rate: 0.3, noiseShape: [null, 1, null], seed: 7 }],
      ["Flatten", {}],
      ["Activation", { activation: "selu" }],
      ["Dense", { units: 3, activation: "softmax" }],
    ],
  },
  {
    name: "Dense+ReLU, SpatialDropout1D over [4, 3], AlphaDropout with a noise shape, Dropout shared by the batch, Dense",
    layers: () => [
      new Dense(2, 12, { seed: 9 }),
      new ReLU(),
      new SpatialDropout1D(0.25, { inputShape: [4, 3], seed: 10 }),
      new AlphaDropout(0.2, { noiseShape: [null, 4, 1], inputShape: [4, 3], seed: 11 }),
      new Dropout(0.1, { noiseShape: [1, null], seed: 12 }),
      new Dense(12, 3, { seed: 13 }),
    ],
    tfjs: [
      ["Dense", { units: 12, activation: "relu" }],
      ["Reshape", { targetShape: [4, 3] }],
      ["SpatialDropout1D", { rate: 0.25, seed: 10 }],
      ["Flatten", {}],
      ["Reshape", { targetShape: [4, 3] }],
      ["AlphaDropout", { rate: 0.2 }],
      ["Flatten", {}],
      ["Dropout", { rate: 0.1, noiseShape: [1, null] }],
      ["Dense", { units: 3, activation: "softmax" }],
    ],
  },
  {
    name: "noise shapes of nulls only, and an inputShape of one dim",
    layers: () => [
      new Dense(2, 12, { seed: 14 }),
      new Selu(),
      new AlphaDropout(0.1, { noiseShape: [null, null, null], inputShape: [3, 4], seed: 15 }),
      new Dropout(0.2, { noiseShape: [null, 1], inputShape: [12], seed: 16 }),
      new Dense(12, 3, { seed: 17 }),
    ],
    tfjs: [
      ["Dense", { units: 12, activation: "selu" }],
      ["Reshape", { targetShape: [3, 4] }],
      ["AlphaDropout", { rate: 0.1 }],
      ["Flatten", {}],
      ["Dropout", { rate: 0.2, noiseShape: [null, 1] }],
      ["Dense", { units: 3, activation: "softmax" }],
    ],
  },
];

async function trained(c: Case): Promise<Sequential> {
  const model = new Sequential(c.layers());
  await model.fit(data.x, data.y, { epochs: 3, batchSize: 32, optimizer: optimizer() });
  return model;
}

/** `copy` is `original`: configs (seeds, steps), weights and predictions bit for bit, and two more epochs. */
async function expectSameModel(copy: Sequential, original: Sequential): Promise<void> {
  expect(configsOf(copy)).toEqual(configsOf(original));
  copy.getWeights().forEach((w, i) => expect(bitsOf(w)).toEqual(bitsOf(original.getWeights()[i])));
  expect(bitsOf(copy.predict(data.x))).toEqual(bitsOf(original.predict(data.x)));
  const more = { epochs: 2, batchSize: 32, shuffle: false };
  await original.fit(data.x, data.y, { ...more, optimizer: optimizer() });
  await copy.fit(data.x, data.y, { ...more, optimizer: optimizer() });
  copy.getWeights().forEach((w, i) => expect(bitsOf(w)).toEqual(bitsOf(original.getWeights()[i])));
}

describe("noise layers regwasm → TF.js", () => {
  for (const c of cases) {
    it(`${c.name}: TF.js's own layers and config, its predict within 1e-6, weights bit for bit`, async () => {
      const model = await trained(c);
      const tfModel = await loadInTfjs(model.toTfjs());
      expect(tfModel.layers.map((l) => l.getClassName())).toEqual(c.tfjs.map(([name]) => name));
      tfModel.layers.forEach((l, i) => expect(l.getConfig()).toMatchObject(c.tfjs[i][1]));
      expect(maxAbsDifference(tfjsPredict(tfModel, data.x, 2), model.predict(data.x))).toBeLessThan(1e-6);
      const tfWeights = tfModel.getWeights().map((w) => w.dataSync() as Float32Array);
      model.getWeights().forEach((w, i) => expect(bitsOf(tfWeights[i])).toEqual(bitsOf(w)));
      model.free();
      tfModel.dispose();
    });

    it(`${c.name}: regwasm → TF.js load and save → regwasm is lossless (seeds and steps included)`, async () => {
      const original = await trained(c);
      const tfModel = await loadInTfjs(original.toTfjs());
      const copy = Sequential.fromTfjs(await savedByTfjs(tfModel));
      await expectSameModel(copy, original);
      original.free();
      copy.free();
      tfModel.dispose();
    });
  }

  it("TF.js trains through Reshape as regwasm reads inputShape: a dropped channel is the same row elements", () => {
    // regwasm's Dropout over samples [3, 4] with noiseShape [null, 1, null] shares one bit along the
    // 3 steps: row elements c, c + 4, c + 8; TF.js's Dropout behind the exported Reshape must zero
    // exactly such groups
    const model = new Sequential(
      [new Dense(2, 12, { seed: 1 }), new Dropout(0.5, { noiseShape: [null, 1, null], inputShape: [3, 4], seed: 1 })],
      { loss: new MeanSquaredError() },
    );
    return loadInTfjs(model.toTfjs()).then((tfModel) => {
      const rows = 64;
      // the layers after the Dense: Reshape, Dropout, Flatten
      expect(tfModel.layers.slice(1).map((l) => l.getClassName())).toEqual(["Reshape", "Dropout", "Flatten"]);
      const out = tf.tidy(() =>
        tfModel.layers
          .slice(1)
          .reduce((x, l) => l.apply(x, { training: true }) as tf.Tensor, tf.ones([rows, 12]) as tf.Tensor),
      );
      const y = out.dataSync();
      let dropped = 0;
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < 4; c++) {
          const group = [0, 1, 2].map((s) => y[r * 12 + s * 4 + c]);
          expect(new Set(group).size).toBe(1);
          if (group[0] === 0) dropped++;
        }
      // some channels dropped, some kept (a wrong reading would mix zeros and twos in a group)
      expect(dropped).toBeGreaterThan(0);
      expect(dropped).toBeLessThan(rows * 4);
      out.dispose();
      model.free();
      tfModel.dispose();
    });
  });
});

describe("noise layers built in TF.js → regwasm", () => {
  it("TF.js's GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout1D, Dropout noiseShape, selu: its predictions", async () => {
    const tfModel = tfl.sequential();
    tfModel.add(tfl.layers.dense({ units: 12, inputShape: [2], activation: "selu", biasInitializer: "randomNormal" }));
    tfModel.add(tfl.layers.gaussianNoise({ stddev: 0.5 }));
    tfModel.add(tfl.layers.gaussianDropout({ rate: 0.3 }));
    tfModel.add(tfl.layers.alphaDropout({ rate: 0.2 }));
    tfModel.add(tfl.layers.reshape({ targetShape: [4, 3] }));
    tfModel.add(tfl.layers.spatialDropout1d({ rate: 0.4, seed: 21 }));
    tfModel.add(tfl.layers.dropout({ rate: 0.1, noiseShape: [null, 4, 1] }));
    tfModel.add(tfl.layers.flatten());
    tfModel.add(tfl.layers.activation({ activation: "selu" }));
    tfModel.add(tfl.layers.dense({ units: 3, activation: "sigmoid" }));
    const artifacts = await savedByTfjs(tfModel);
    // Keras's −1 (what the other sizes leave), which TF.js cannot build behind an unknown batch size
    const reshape = (artifacts.modelTopology.config as { layers: { config: Record<string, unknown> }[] }).layers[4];
    expect(reshape.config.target_shape).toEqual([4, 3]);
    reshape.config.target_shape = [-1, 3];
    const model = Sequential.fromTfjs(artifacts);
    expect(model.layers.map((l) => l.toJSON())).toMatchObject([
      { type: "dense", nIn: 2, nOut: 12 },
      { type: "selu" },
      { type: "gaussian-noise", stddev: 0.5 },
      { type: "gaussian-dropout", rate: 0.3 },
      { type: "alpha-dropout", rate: 0.2 },
      { type: "spatial-dropout-1d", rate: 0.4, seed: 21, inputShape: [4, 3], dataFormat: "channels_last" },
      { type: "dropout", rate: 0.1, noiseShape: [null, 4, 1], inputShape: [4, 3] },
      { type: "selu" },
      { type: "dense", nIn: 12, nOut: 3 },
      { type: "sigmoid" },
    ]);
    expect(maxAbsDifference(model.predict(data.x), tfjsPredict(tfModel, data.x, 2))).toBeLessThan(1e-6);
    model.free();
    tfModel.dispose();
  });

  it("an input of several dims (batch_input_shape [null, 1, 2]) flattened before its Dense: TF.js's predictions", async () => {
    const tfModel = tfl.sequential();
    tfModel.add(tfl.layers.gaussianNoise({ stddev: 0.1, inputShape: [1, 2] }));
    tfModel.add(tfl.layers.flatten());
    tfModel.add(tfl.layers.dense({ units: 3, activation: "softmax", biasInitializer: "randomNormal" }));
    const model = Sequential.fromTfjs(await savedByTfjs(tfModel));
    expect(model.inputSize).toBe(2);
    expect(model.layers.map((l) => l.type)).toEqual(["gaussian-noise", "dense"]);
    const theirs = tf.tidy(
      () => (tfModel.predict(tf.tensor3d(data.x, [data.x.length / 2, 1, 2])) as tf.Tensor).dataSync() as Float32Array,
    );
    expect(maxAbsDifference(model.predict(data.x), theirs)).toBeLessThan(1e-6);
    model.free();
    tfModel.dispose();
  });

  it("a Dense on samples of several dims (no Flatten before it) is an error naming the layer", async () => {
    const tfModel = tfl.sequential();
    tfModel.add(tfl.layers.reshape({ targetShape: [2, 1], inputShape: [2], name: "to_steps" }));
    tfModel.add(tfl.layers.dense({ units: 3, name: "per_step" }));
    const error = await errorOf(async () => Sequential.fromTfjs(await savedByTfjs(tfModel)));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(
      /layer 'per_step' \(class Dense, artifacts\.modelTopology layer 1\): a Dense on samples of shape \[2,1\] works along the last axis/,
    );
    tfModel.dispose();
  });

  it("SpatialDropout1D on flat samples (no Reshape before it) is an error naming the layer", async () => {
    const artifacts = new Sequential([new Dense(2, 4, { seed: 1 })]).toTfjs();
    const layers = (artifacts.modelTopology.config as { layers: unknown[] }).layers;
    layers.push({ class_name: "SpatialDropout1D", config: { name: "channels", rate: 0.5 } });
    const error = await errorOf(() => Sequential.fromTfjs(artifacts));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(
      /layer 'channels' \(class SpatialDropout1D, artifacts\.modelTopology layer 1\): SpatialDropout1D needs samples of shape \[steps, channels\]/,
    );
  });
});

describe("noise layers TF.js lacks", () => {
  it.each([
    ["SpatialDropout2D", () => new SpatialDropout2D(0.2, { inputShape: [2, 2, 3], seed: 1 }), /\(SpatialDropout2D\)/],
    [
      "SpatialDropout3D",
      () => new SpatialDropout3D(0.2, { inputShape: [1, 2, 2, 3], seed: 1 }),
      /\(SpatialDropout3D\)/,
    ],
    [
      "FeatureAlphaDropout",
      () => new FeatureAlphaDropout(0.2, { inputShape: [3, 4], seed: 1 }),
      /\(FeatureAlphaDropout\)/,
    ],
    [
      "SpatialDropout1D channels_first (PyTorch's Dropout1d)",
      () => new Dropout1d(0.2, { inputShape: [3, 4], seed: 1 }),
      /\(SpatialDropout1D\) is channels_first: TF\.js's SpatialDropout1D is channels_last only/,
    ],
  ])("%s is a TypeError naming the layer", async (_name, make, message) => {
    const model = new Sequential([new Dense(2, 12, { seed: 2 }), make(), new Dense(12, 3, { seed: 3 })]);
    const error = await errorOf(() => model.toTfjs());
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^layers\[1\] /);
    expect((error as Error).message).toMatch(message);
    model.free();
  });
});
