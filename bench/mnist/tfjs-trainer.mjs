// TF.js layers 4.22 (backend "wasm" or "cpu") in the MNIST benchmark's trainer interface: the same
// model as examples/mnist-model.mjs, started from regwasm's initial weights, fed regwasm's batches
// in regwasm's order (each epoch's rows permuted as regwasm's fit() visits them, then model.fit with
// shuffle: false), one fit() call per epoch. Permuting the rows is not timed.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { init } from "../../dist/index.js";
import { MNIST_CLASSES, MNIST_FEATURES } from "../../examples/mnist-data.mjs";
import { MNIST_MLP, mnistModel } from "../../examples/mnist-model.mjs";
import { useBackend } from "../epoch/tfjs-model.mjs";
import { epochOrder, permuteRows } from "./order.mjs";

/** Keras's clipping of probabilities in the cross-entropy. */
const EPSILON = 1e-7;

/** The example's model in TF.js layers (Keras's l2 is λ·Σw², as regwasm's default convention). */
function tfjsModel({ dropout, l2, hidden, learningRate }) {
  const model = tfl.sequential();
  const regularizer = () => tfl.regularizers.l2({ l2 });
  model.add(
    tfl.layers.dense({
      inputShape: [MNIST_FEATURES],
      units: hidden,
      activation: "relu",
      kernelRegularizer: regularizer(),
    }),
  );
  model.add(tfl.layers.dropout({ rate: dropout }));
  model.add(tfl.layers.dense({ units: hidden, activation: "relu", kernelRegularizer: regularizer() }));
  model.add(tfl.layers.dropout({ rate: dropout }));
  model.add(tfl.layers.dense({ units: MNIST_CLASSES, activation: "softmax" }));
  model.compile({
    optimizer: tf.train.adam(learningRate, 0.9, 0.999, 1e-7),
    loss: "sparseCategoricalCrossentropy",
    metrics: ["accuracy"],
  });
  return model;
}

export async function createTrainer({
  seed,
  batchSize = MNIST_MLP.batchSize,
  dropout = MNIST_MLP.dropout,
  weightInit,
  backend,
}) {
  await init();
  await useBackend(backend);
  // regwasm's initial weights for the same seed: W (in × out, row-major, as TF.js kernels) and b per layer
  const reference = mnistModel({ seed, dropout, weightInit });
  const initial = reference.model.getWeights();
  reference.model.free();
  const model = tfjsModel({ ...MNIST_MLP, dropout });
  const shapes = model.getWeights().map((w) => w.shape);
  model.setWeights(initial.map((w, i) => tf.tensor(w, shapes[i])));
  const weights = () => model.getWeights().map((w) => w.dataSync().slice());

  /** Test loss (data loss, clipped as Keras) and accuracy of the current model, in inference mode. */
  function evaluate(test) {
    const probs = tf.tidy(() =>
      model.predict(tf.tensor2d(test.x, [test.rows, MNIST_FEATURES]), { batchSize: 1000 }).dataSync(),
    );
    let loss = 0,
      correct = 0;
    for (let i = 0; i < test.rows; i++) {
      const row = probs.subarray(i * MNIST_CLASSES, (i + 1) * MNIST_CLASSES);
      let best = 0;
      for (let c = 1; c < MNIST_CLASSES; c++) if (row[c] > row[best]) best = c;
      if (best === test.y[i]) correct++;
      loss -= Math.log(Math.min(Math.max(row[test.y[i]], EPSILON), 1 - EPSILON));
    }
    return { testLoss: loss / test.rows, testAcc: correct / test.rows };
  }

  return {
    initialWeights: () => initial,
    weights,
    /**
     * Trains `epochs` epochs, each on regwasm's order of that epoch; with `maxBatches` only the first
     * maxBatches batches of each epoch (a timing sample: no test evaluation then). clock() is read at
     * each epoch's start, after its last batch, and after the test evaluation.
     */
    async train(train, test, epochs, clock, { maxBatches = Infinity } = {}) {
      const records = [];
      const batches = Math.ceil(train.rows / batchSize);
      const trainedBatches = Math.min(batches, maxBatches);
      const rows = Math.min(train.rows, trainedBatches * batchSize);
      for (let epoch = 0; epoch < epochs; epoch++) {
        const order = epochOrder(train.rows, seed, epoch).subarray(0, rows);
        const permuted = permuteRows(train.x, train.y, order, MNIST_FEATURES);
        const xs = tf.tensor2d(permuted.x, [rows, MNIST_FEATURES]);
        const ys = tf.tensor1d(permuted.y, "float32");
        const begin = clock();
        const history = await model.fit(xs, ys, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
        const trained = clock();
        xs.dispose();
        ys.dispose();
        const metrics = trainedBatches === batches ? evaluate(test) : { testLoss: null, testAcc: null };
        const evaluated = clock();
        const [loss, acc] = [history.history.loss[0], history.history.acc[0]];
        records.push({
          begin,
          trained,
          evaluated,
          batches: trainedBatches,
          epochBatches: batches,
          loss,
          acc,
          ...metrics,
        });
      }
      return records;
    },
    free: () => model.dispose(),
  };
}
