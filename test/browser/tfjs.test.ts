// The TF.js bridge and the regwasm/tfjs plugin in Chromium, on TF.js's cpu and wasm backends: an
// exported model predicts as regwasm and imports back bit for bit, a model of the noise layers and
// selu predicts as regwasm, seededDropout draws regwasm Dropout's masks (the independent
// reference's), seededGaussianNoise/Dropout regwasm's noise kernels' bits, and adamw takes
// PyTorch's AdamW step.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import {
  Adam,
  AlphaDropout,
  Dense,
  Dropout,
  GaussianNoise,
  gaussianDropout,
  gaussianNoise,
  init,
  ReLU,
  Selu,
  Sequential,
  spiralData,
} from "../../src/index.js";
import type { TfjsArtifacts } from "../../src/model/tfjs-format.js";
import { adamw, seededDropout, seededGaussianDropout, seededGaussianNoise } from "../../src/tfjs/index.js";
import { uniformF32 as uniform } from "../kernels/support/data.js";
import { refDropout } from "../reference.js";
import { torchAdamW } from "../tfjs/support.js";

const bitsOf = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

beforeAll(async () => {
  await init();
  tf.env().set("IS_TEST", true);
  // the wasm backend's binaries, as the dev server serves the package's files
  setWasmPaths("/node_modules/@tensorflow/tfjs-backend-wasm/dist/");
});

describe.each(["cpu", "wasm"])("TF.js %s backend in Chromium", (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    await tf.ready();
    expect(tf.getBackend()).toBe(backend);
  });

  it("an exported model predicts as regwasm and imports back bit for bit", async () => {
    const data = spiralData(30, 3, { seed: 2 });
    const model = new Sequential([
      new Dense(2, 16, { weightL2: 1e-3, seed: 1 }),
      new ReLU(),
      new Dropout(0.2, { seed: 2 }),
      new Dense(16, 3, { seed: 3 }),
    ]);
    await model.fit(data.x, data.y, { epochs: 3, batchSize: 30, optimizer: new Adam({ learningRate: 0.03 }) });
    const tfModel = await tfl.loadLayersModel(tf.io.fromMemory(model.toTfjs() as unknown as tf.io.ModelArtifacts));
    const theirs = tf.tidy(
      () => (tfModel.predict(tf.tensor2d(data.x, [90, 2])) as tf.Tensor).dataSync() as Float32Array,
    );
    const ours = model.predict(data.x);
    expect(Math.max(...ours.map((p, i) => Math.abs(p - theirs[i])))).toBeLessThan(1e-6);
    let saved: tf.io.ModelArtifacts | null = null;
    await tfModel.save(
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
      }),
    );
    const back = Sequential.fromTfjs(saved as unknown as TfjsArtifacts);
    expect(bitsOf(back.predict(data.x))).toEqual(bitsOf(ours));
    for (const m of [model, back]) m.free();
    tfModel.dispose();
  });

  it("seededDropout: regwasm's masks, a new one each training call; identity at inference", () => {
    const [rows, cols, rate, seed] = [4, 45, 0.3, 99];
    const x = uniform(rows * cols, 6);
    const layer = seededDropout({ rate, seed });
    const input = tf.tensor2d(x, [rows, cols]);
    for (let step = 0; step < 3; step++) {
      const out = tf.tidy(() => (layer.apply(input, { training: true }) as tf.Tensor).dataSync() as Float32Array);
      expect(bitsOf(out)).toEqual(bitsOf(refDropout(x, rate, seed, step).output));
    }
    const inference = tf.tidy(() => (layer.apply(input, { training: false }) as tf.Tensor).dataSync() as Float32Array);
    expect(bitsOf(inference)).toEqual(bitsOf(x));
    input.dispose();
  });

  it("seededGaussianNoise and seededGaussianDropout: regwasm's noise kernels' bits, a new draw each training call", () => {
    const [rows, cols, seed] = [3, 41, 17];
    const x = uniform(rows * cols, 7);
    const noise = seededGaussianNoise({ stddev: 0.3, seed });
    const drop = seededGaussianDropout({ rate: 0.2, seed });
    const input = tf.tensor2d(x, [rows, cols]);
    const train = (layer: tfl.layers.Layer) =>
      tf.tidy(() => (layer.apply(input, { training: true }) as tf.Tensor).dataSync() as Float32Array);
    for (let step = 0; step < 2; step++) {
      // layer position 0: the seed itself (regwasm's layers mix in the position)
      expect(bitsOf(train(noise))).toEqual(bitsOf(gaussianNoise(x, { stddev: 0.3, seed, stream: step })));
      expect(bitsOf(train(drop))).toEqual(bitsOf(gaussianDropout(x, { rate: 0.2, seed, stream: step })));
    }
    input.dispose();
  });

  it("a model of Selu, GaussianNoise, AlphaDropout and a channel Dropout predicts in TF.js as in regwasm", async () => {
    const data = spiralData(30, 3, { seed: 4 });
    const model = new Sequential([
      new Dense(2, 12, { seed: 1 }),
      new Selu(),
      new GaussianNoise(0.2, { seed: 2 }),
      new AlphaDropout(0.1, { seed: 3 }),
      new Dropout(0.2, { noiseShape: [null, 1, null], inputShape: [3, 4], seed: 4 }),
      new Dense(12, 3, { seed: 5 }),
    ]);
    await model.fit(data.x, data.y, { epochs: 2, batchSize: 30, optimizer: new Adam({ learningRate: 0.03 }) });
    const tfModel = await tfl.loadLayersModel(tf.io.fromMemory(model.toTfjs() as unknown as tf.io.ModelArtifacts));
    const theirs = tf.tidy(
      () => (tfModel.predict(tf.tensor2d(data.x, [90, 2])) as tf.Tensor).dataSync() as Float32Array,
    );
    const ours = model.predict(data.x);
    expect(Math.max(...ours.map((p, i) => Math.abs(p - theirs[i])))).toBeLessThan(1e-6);
    model.free();
    tfModel.dispose();
  });

  it("adamw: PyTorch's AdamW step to f32 rounding", () => {
    const w0 = uniform(7, 1);
    const grads = Array.from({ length: 8 }, (_, k) => uniform(7, 50 + k));
    const optimizer = adamw({ learningRate: 0.02, weightDecay: 0.2 });
    const w = tf.variable(tf.tensor1d(w0));
    for (const g of grads) tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.tensor1d(g) }));
    const want = torchAdamW(w0, grads, { lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8, wd: 0.2 });
    const got = w.dataSync() as Float32Array;
    got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(2e-6 * Math.max(1, Math.abs(want[i]))));
    w.dispose();
    optimizer.dispose();
  });
});

it("saveTfjs and loadTfjs reject in a browser, pointing to toTfjs/fromTfjs and TF.js's handlers", async () => {
  const model = new Sequential([new Dense(2, 3, { seed: 1 })]);
  await expect(model.saveTfjs("dir")).rejects.toThrow(
    /^model\.saveTfjs\(path\) needs Node's file system, which this runtime lacks: pass model\.toTfjs\(\) to a TF\.js save handler/,
  );
  await expect(Sequential.loadTfjs("dir/model.json")).rejects.toThrow(
    /^Sequential\.loadTfjs\(path\) needs Node's file system, .*Sequential\.fromTfjs/,
  );
  model.free();
});
