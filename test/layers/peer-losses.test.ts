// The value losses against a peer: TF.js's own binaryCrossentropy, meanSquaredError,
// meanAbsoluteError and binaryAccuracy (tfjs-layers metrics, Keras's formulas, on its cpu backend),
// their batch means and their gradients (tf.grad) against what BinaryCrossEntropy, MeanSquaredError
// and MeanAbsoluteError sum and return. Node only: TF.js runs in the test process.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, BinaryCrossEntropy, init, type Loss, MeanAbsoluteError, MeanSquaredError } from "../../src/index.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { uniform } from "./support.js";

beforeAll(async () => {
  await init();
  tf.enableProdMode();
  await tf.setBackend("cpu");
});

const rows = 12,
  cols = 5;

const PEERS: [string, () => Loss, (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor, boolean][] = [
  ["BinaryCrossEntropy", () => new BinaryCrossEntropy(), tfl.metrics.binaryCrossentropy, true],
  ["MeanSquaredError", () => new MeanSquaredError(), tfl.metrics.meanSquaredError, false],
  ["MeanAbsoluteError", () => new MeanAbsoluteError(), tfl.metrics.meanAbsoluteError, false],
];

describe.each(PEERS)("%s against TF.js", (_, make, peer, probabilities) => {
  it("batch mean loss, its gradient, and binary accuracy", () => {
    // probabilities inside TF.js's clip range (its gradient is 0 where p is clipped, the course's is not)
    const p = uniform(rows * cols, 7, probabilities ? 0.01 : -2, probabilities ? 0.99 : 2);
    const y = Float32Array.from(uniform(rows * cols, 8, probabilities ? 0 : -2, probabilities ? 1 : 2), (v, i) =>
      probabilities && i % 3 ? Math.round(v) : v,
    );
    const loss = make();
    const out = allocF32(rows * cols);
    out.view().set(p);
    const targets = allocF32(rows * cols);
    targets.view().set(y);
    loss.resetSums();
    const grad = loss.accumulate(new Matrix(out, rows, cols), targets, 0, true)!.toArray();
    const { lossSum, correct } = loss.sums();

    const [yTrue, yPred] = [tf.tensor2d(y, [rows, cols]), tf.tensor2d(p, [rows, cols])];
    const mean = (yp: tf.Tensor) => tf.mean(peer(yTrue, yp));
    const wantLoss = mean(yPred).dataSync()[0];
    const wantGrad = tf.grad(mean)(yPred).dataSync();
    // TF.js sums f32 terms in f32: ~1e-6 relative on a mean of 60 terms
    expect(Math.abs(lossSum / rows - wantLoss)).toBeLessThanOrEqual(1e-5 * wantLoss);
    // TF.js's f32 BCE gradient, (p − y)/(p(1 − p)) through the logit, cancels where p ≈ y: its error
    // is f32 rounding of the terms' size (the largest gradient), not of the small difference
    const scale = Math.max(...Array.from(wantGrad, Math.abs));
    grad.forEach((g, i) =>
      expect(Math.abs(g - wantGrad[i]), `grad[${i}]`).toBeLessThanOrEqual(1e-5 * Math.abs(wantGrad[i]) + 1e-6 * scale),
    );
    // the same count of outputs right; TF.js divides in f32
    if (probabilities)
      expect(Math.fround(correct / rows)).toBe(tf.mean(tfl.metrics.binaryAccuracy(yTrue, yPred)).dataSync()[0]);
    else expect(correct).toBeNaN();
    loss.free();
    out.free();
    targets.free();
  });
});
