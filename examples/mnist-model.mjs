// The Keras MLP example's model for MNIST, in regwasm: 784 → 512 ReLU → Dropout(0.2) → 512 ReLU →
// Dropout(0.2) → 10, softmax cross-entropy, Adam (lr 1e-3), batches of 128, 20 epochs, with L2 1e-5
// on the hidden layers' weights. Shared by examples/mnist.mjs and the MNIST benchmark.
import { Adam, Dense, Dropout, ReLU, Sequential } from "../dist/index.js";
import { MNIST_CLASSES, MNIST_FEATURES } from "./mnist-data.mjs";

export const MNIST_MLP = Object.freeze({
  hidden: 512,
  dropout: 0.2,
  l2: 1e-5,
  learningRate: 1e-3,
  batchSize: 128,
  epochs: 20,
});

/**
 * The model, its layers seeded seed, seed + 1, … in order (Dense, Dropout, Dense, Dropout, Dense), and
 * a fresh Adam. `dropout`, `l2` and `weightInit` (Keras's glorotUniform by default) override the
 * example's (the benchmark's tests train without dropout); `instance` (an `instantiate()` result)
 * holds the weights instead of init()'s instance.
 */
export function mnistModel({
  seed = 0,
  dropout = MNIST_MLP.dropout,
  l2 = MNIST_MLP.l2,
  weightInit = "glorotUniform",
  instance,
} = {}) {
  const { hidden, learningRate } = MNIST_MLP;
  const on = instance === undefined ? {} : { instance };
  const model = new Sequential([
    new Dense(MNIST_FEATURES, hidden, { weightL2: l2, seed, weightInit, ...on }),
    new ReLU(),
    new Dropout(dropout, { seed: seed + 1 }),
    new Dense(hidden, hidden, { weightL2: l2, seed: seed + 2, weightInit, ...on }),
    new ReLU(),
    new Dropout(dropout, { seed: seed + 3 }),
    new Dense(hidden, MNIST_CLASSES, { seed: seed + 4, weightInit, ...on }),
  ]);
  return { model, optimizer: new Adam({ learningRate }) };
}

/** Trainable parameters: 669,706, as Keras's model.summary() prints for this model. */
export function parameterCount(model) {
  return model.params().reduce((sum, p) => sum + p.value.length, 0);
}
