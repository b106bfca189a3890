// The bridge and the plugin on TF.js's wasm backend (in Node, offline: the backend's .wasm ships in
// its package): exported predictions, imported TF.js models, seededDropout's masks and gradient,
// and adamw's step, against the same references as on the cpu backend.
import { beforeAll, describe, expect, it } from "vitest";
import { Adam, Dense, Dropout, init, ReLU, Sequential, spiralData } from "../../src/index.js";
import { adamw, seededDropout } from "../../src/tfjs/index.js";
import { uniform } from "../layers/support.js";
import { refApplyMask, refDropout } from "../reference.js";
import { loadInTfjs, maxAbsDifference, savedByTfjs, tf, tfjsPredict, tfjsReady, tfl, torchAdamW } from "./support.js";

await init();
beforeAll(() => tfjsReady("wasm"));

const bitsOf = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe("TF.js wasm backend", () => {
  it("runs on wasm", () => {
    expect(tf.getBackend()).toBe("wasm");
  });

  it("an exported model predicts as regwasm; a TF.js model imports with TF.js's predictions", async () => {
    const data = spiralData(30, 3, { seed: 2 });
    const model = new Sequential([
      new Dense(2, 16, { weightL2: 1e-3, seed: 1 }),
      new ReLU(),
      new Dropout(0.2, { seed: 2 }),
      new Dense(16, 3, { seed: 3 }),
    ]);
    await model.fit(data.x, data.y, { epochs: 3, batchSize: 30, optimizer: new Adam({ learningRate: 0.03 }) });
    const exported = await loadInTfjs(model.toTfjs());
    expect(maxAbsDifference(tfjsPredict(exported, data.x, 2), model.predict(data.x))).toBeLessThan(1e-6);
    const imported = Sequential.fromTfjs(await savedByTfjs(exported));
    expect(bitsOf(imported.predict(data.x))).toEqual(bitsOf(model.predict(data.x)));
    for (const m of [model, imported]) m.free();
    exported.dispose();
  });

  it("seededDropout: regwasm's masks each training call, and their gradient", () => {
    const [rows, cols, rate, seed] = [5, 33, 0.4, 17];
    const x = uniform(rows * cols, 4);
    const dy = uniform(rows * cols, 5);
    const layer = seededDropout({ rate, seed });
    for (let step = 0; step < 3; step++) {
      const want = refDropout(x, rate, seed, step); // index 0 mixes nothing into the seed
      const input = tf.tensor2d(x, [rows, cols]);
      const out = tf.tidy(() => (layer.apply(input, { training: true }) as tf.Tensor).dataSync() as Float32Array);
      expect(bitsOf(out)).toEqual(bitsOf(want.output));
      // the gradient of the next call (step + 1's mask): replayed by a layer made at that step
      const next = refDropout(x, rate, seed, step + 1);
      const grad = tf.tidy(() => {
        const f = (t: tf.Tensor) =>
          tf.sum(tf.mul(layer.apply(t, { training: true }) as tf.Tensor, tf.tensor2d(dy, [rows, cols])));
        return tf.grad(f)(input).dataSync() as Float32Array;
      });
      expect(bitsOf(grad)).toEqual(bitsOf(refApplyMask(dy, next.keep, rate)));
      const inference = tf.tidy(
        () => (layer.apply(input, { training: false }) as tf.Tensor).dataSync() as Float32Array,
      );
      expect(bitsOf(inference)).toEqual(bitsOf(x));
      input.dispose();
      // rewind: the next round replays, forward, the mask this gradient used
      layer.step = step + 1;
    }
  });

  it("adamw: PyTorch's AdamW step to f32 rounding", () => {
    const w0 = uniform(7, 1);
    const grads = Array.from({ length: 8 }, (_, k) => uniform(7, 50 + k));
    const optimizer = adamw({ learningRate: 0.02, weightDecay: 0.2 });
    const w = tf.variable(tf.tensor1d(w0));
    for (const g of grads) tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.tensor1d(g) }));
    const want = torchAdamW(w0, grads, { lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8, wd: 0.2 });
    (w.dataSync() as Float32Array).forEach((v, i) =>
      expect(Math.abs(v - want[i])).toBeLessThan(2e-6 * Math.max(1, Math.abs(want[i]))),
    );
    w.dispose();
    optimizer.dispose();
    expect(tfl).toBeDefined();
  });
});
