// The experiment's model in TensorFlow.js layers 4.22, trained the way a TF.js user would: model.fit
// with one full batch per epoch. Backends: "wasm" (single-threaded SIMD in Node) and "cpu" (plain JS).
// Sizes and hyperparameters come from the shared ExperimentConfig, the initializer seeds from
// experimentSeeds (TF.js draws other numbers from them than regwasm does).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

const require = createRequire(import.meta.url);

/** Selects and initializes a backend once per process ("wasm" needs the path of its .wasm files). */
export async function useBackend(name) {
  if (name === "wasm") {
    const dist = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm")), "/");
    setWasmPaths(dist);
  }
  if (!(await tf.setBackend(name))) throw new Error(`TF.js backend ${name} failed to initialize`);
  await tf.ready();
  tf.enableProdMode(); // skips per-op NaN checks and debug bookkeeping, as a production user would
}

/** Spiral points are 2-D, as the shared builder's Dense(2, hidden). */
const features = 2;

/**
 * @param {import("../../dist/index.js").ExperimentConfig} config
 * @param {import("../../dist/index.js").ExperimentSeeds} seeds
 */
export function createTfjsModel({ hidden, classes, dropout: rate, l1, l2, learningRate, decay }, seeds) {
  // TF.js treats seed 0 as "unseeded" (Math.random), so the seeds must stay above 0: experimentSeeds'
  // layer seeds are config seed + 1 and + 3.
  const init = (seed) => tfl.initializers.randomNormal({ mean: 0, stddev: 0.01, seed });
  const model = tfl.sequential();
  model.add(
    tfl.layers.dense({
      inputShape: [features],
      units: hidden,
      activation: "relu",
      kernelInitializer: init(seeds.hidden),
      // l1l2 skips a zero term, so L1 0 costs nothing
      kernelRegularizer: tfl.regularizers.l1l2({ l1, l2 }),
      biasRegularizer: tfl.regularizers.l1l2({ l1, l2 }),
    }),
  );
  if (rate > 0) model.add(tfl.layers.dropout({ rate }));
  model.add(tfl.layers.dense({ units: classes, activation: "softmax", kernelInitializer: init(seeds.output) }));
  const optimizer = tf.train.adam(learningRate, 0.9, 0.999, 1e-7);
  model.compile({ optimizer, loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
  let iteration = 0;
  // TF.js Adam has no learning-rate decay: apply the course's lr / (1 + decay·iteration) before each
  // step (one step per epoch at full batch). A field write, so it costs nothing measurable.
  const decayCallback = {
    onBatchBegin: () => {
      optimizer.learningRate = learningRate / (1 + decay * iteration++);
    },
  };
  let xs, ys;

  return {
    /** Trains up to `epochs` full-batch epochs; onEpochEnd(now) runs after each and stops training by returning false. */
    async trainEpochs(x, y, n, epochs, onEpochEnd = () => {}) {
      xs ??= tf.tensor2d(x, [n, features]);
      ys ??= tf.tensor1d(Float32Array.from(y), "float32");
      const history = await model.fit(xs, ys, {
        epochs,
        batchSize: n,
        shuffle: false,
        verbose: 0,
        callbacks: [
          decayCallback,
          {
            onEpochEnd: () => {
              if (onEpochEnd(performance.now()) === false) model.stopTraining = true;
            },
          },
        ],
      });
      const last = (k) => history.history[k].at(-1);
      return { loss: last("loss"), acc: last("acc") };
    },
    /** Inference-mode accuracy. */
    evaluate(x, y, n) {
      return tf.tidy(() => {
        const predicted = tf.argMax(model.predict(tf.tensor2d(x, [n, features])), -1).dataSync();
        let correct = 0;
        for (let i = 0; i < n; i++) if (predicted[i] === y[i]) correct++;
        return { acc: correct / n };
      });
    },
  };
}
