// The MNIST example's TensorFlow.js part (examples/mnist.mjs --tfjs), on TF.js's wasm backend (cpu
// when wasm does not start):
//  1. regwasm's trained model, exported with model.toTfjs(), scored on the test set by TF.js;
//  2. the same model trained by TF.js: regwasm's initial weights (the untrained model's export), its
//     Dropout layers as the plugin's seededDropout with the same seeds and positions (so the same
//     masks), Adam with regwasm's settings, and regwasm's batches in regwasm's shuffled order. Its
//     weights then stay next to regwasm's after each epoch (TF.js's own dropout would draw other masks).
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { SeededDropout } from "../dist/tfjs/index.js";
import { epochOrder, permuteRows } from "../bench/mnist/order.mjs";
import { MNIST_CLASSES, MNIST_FEATURES } from "./mnist-data.mjs";
import { MNIST_MLP } from "./mnist-model.mjs";

/** TF.js's wasm backend if it starts here, else its cpu backend; returns the name. */
export async function startTfjs() {
  tf.env().set("PROD", true); // silences TF.js's hint about tfjs-node (and its debug checks)
  try {
    await import("@tensorflow/tfjs-backend-wasm");
    if (await tf.setBackend("wasm")) return "wasm";
  } catch {
    // the backend package is missing or its binary did not load
  }
  await tf.setBackend("cpu");
  return "cpu";
}

/** Test accuracy of a TF.js model: the share of rows whose arg-max is the label. */
export function tfjsAccuracy(model, test) {
  const probs = tf.tidy(() =>
    model.predict(tf.tensor2d(test.x, [test.rows, MNIST_FEATURES]), { batchSize: 1000 }).dataSync(),
  );
  let correct = 0;
  for (let i = 0; i < test.rows; i++) {
    let best = 0;
    for (let c = 1; c < MNIST_CLASSES; c++)
      if (probs[i * MNIST_CLASSES + c] > probs[i * MNIST_CLASSES + best]) best = c;
    if (best === test.y[i]) correct++;
  }
  return correct / test.rows;
}

/** Exported artifacts whose Dropout layers are the plugin's SeededDropout, drawing regwasm's masks. */
function withSeededDropout(artifacts) {
  const meta = artifacts.userDefinedMetadata.regwasm.layers;
  const layers = artifacts.modelTopology.config.layers.map((layer) => {
    if (layer.class_name !== "Dropout") return layer;
    const { name, rate } = layer.config;
    const index = Number(name.slice("dropout_".length)); // the regwasm layer's position
    const { seed, step } = meta[name];
    return { class_name: SeededDropout.className, config: { name, trainable: true, rate, seed, step, index } };
  });
  return {
    ...artifacts,
    modelTopology: { ...artifacts.modelTopology, config: { ...artifacts.modelTopology.config, layers } },
  };
}

/**
 * Trains `epochs` epochs in TF.js from regwasm's initial model (`initial`, its toTfjs() before
 * fit), on regwasm's batches; calls onEpoch(epoch, weights, testAccuracy) after each.
 */
export async function trainInTfjs(initial, train, test, { epochs, batchSize, seed, onEpoch }) {
  const model = await tfl.loadLayersModel(tf.io.fromMemory(withSeededDropout(initial)));
  model.compile({
    optimizer: tf.train.adam(MNIST_MLP.learningRate, 0.9, 0.999, 1e-7), // regwasm's Adam
    loss: "sparseCategoricalCrossentropy",
  });
  for (let epoch = 0; epoch < epochs; epoch++) {
    const permuted = permuteRows(train.x, train.y, epochOrder(train.rows, seed, epoch), MNIST_FEATURES);
    const xs = tf.tensor2d(permuted.x, [train.rows, MNIST_FEATURES]);
    const ys = tf.tensor1d(permuted.y, "float32");
    await model.fit(xs, ys, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
    tf.dispose([xs, ys]);
    onEpoch(
      epoch,
      model.getWeights().map((w) => w.dataSync()),
      tfjsAccuracy(model, test),
    );
  }
  model.dispose();
}
