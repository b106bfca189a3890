// Label smoothing against a peer and through a model: TF.js's tf.losses.softmaxCrossEntropy and
// sigmoidCrossEntropy with labelSmoothing (on its cpu backend) and their gradients (tf.grad), and
// central differences of a model's loss. Node only: TF.js runs in the test process.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { beforeAll, describe, expect, it } from "vitest";
import {
  allocF32,
  allocU32,
  BinaryCrossEntropy,
  Dense,
  init,
  Sequential,
  Sigmoid,
  SoftmaxCrossEntropy,
} from "../../src/index.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { uniform } from "./support.js";

beforeAll(async () => {
  await init();
  tf.enableProdMode();
  await tf.setBackend("cpu");
});

const rows = 8;
const n = 5;

describe("against TF.js (moderate logits: the 1e-7 clip is inactive, so the formulas coincide)", () => {
  it("softmaxCrossEntropy(onehot, logits, undefined, ε): the batch mean and d/dlogits", () => {
    const eps = 0.15;
    const z = uniform(rows * n, 31, -3, 3);
    const labels = Uint32Array.from({ length: rows }, (_, i) => (i * 2) % n);
    const loss = new SoftmaxCrossEntropy({ labelSmoothing: eps });
    const logits = allocF32(rows * n);
    logits.view().set(z);
    const y = allocU32(rows);
    y.view().set(labels);
    loss.resetSums();
    const grad = loss
      .accumulate(new Matrix(logits, rows, n), y, 0, true)!
      .data.view()
      .slice();
    const { lossSum } = loss.sums();
    const onehot = tf.oneHot(tf.tensor1d(Array.from(labels), "int32"), n);
    const f = (x: tf.Tensor) => tf.losses.softmaxCrossEntropy(onehot, x, undefined, eps) as tf.Scalar;
    const zt = tf.tensor2d(z, [rows, n]);
    const want = f(zt).dataSync()[0];
    const wantGrad = tf.grad(f)(zt).dataSync();
    // TF.js computes in f32: ~1e-6 relative on the mean; its gradient to f32 rounding of its terms
    expect(Math.abs(lossSum / rows - want)).toBeLessThanOrEqual(2e-6 * want);
    grad.forEach((g, i) =>
      expect(Math.abs(g - wantGrad[i]), `grad[${i}]`).toBeLessThanOrEqual(1e-6 / rows + 1e-5 * Math.abs(wantGrad[i])),
    );
    loss.free();
    logits.free();
    y.free();
  });

  it("sigmoidCrossEntropy(labels, logits, undefined, ε) on p = sigmoid(logits): the mean, and the gradient through the sigmoid", () => {
    const eps = 0.2;
    const logitsValues = uniform(rows * n, 32, -3, 3);
    const p = logitsValues.map((v) => 1 / (1 + Math.exp(-v)));
    const yv = Float32Array.from(uniform(rows * n, 33, 0, 1), (v) => Math.round(v));
    const loss = new BinaryCrossEntropy({ labelSmoothing: eps });
    const out = allocF32(rows * n);
    out.view().set(p);
    const targets = allocF32(rows * n);
    targets.view().set(yv);
    loss.resetSums();
    const dp = loss
      .accumulate(new Matrix(out, rows, n), targets, 0, true)!
      .data.view()
      .slice();
    const { lossSum } = loss.sums();
    const f = (x: tf.Tensor) =>
      tf.losses.sigmoidCrossEntropy(tf.tensor2d(yv, [rows, n]), x, undefined, eps) as tf.Scalar;
    const xt = tf.tensor2d(logitsValues, [rows, n]);
    const want = f(xt).dataSync()[0];
    const wantGrad = tf.grad(f)(xt).dataSync();
    // p is f32(sigmoid): the loss moves by ~|∂L/∂p|·2^-24·p, ≤ 1e-6 relative here
    expect(Math.abs(lossSum / rows - want)).toBeLessThanOrEqual(2e-6 * want);
    dp.forEach((g, i) => {
      const dLogit = g * p[i] * (1 - p[i]); // d/dlogit = d/dp · p(1 − p)
      expect(Math.abs(dLogit - wantGrad[i]), `grad[${i}]`).toBeLessThanOrEqual(1e-5 * Math.abs(wantGrad[i]) + 1e-8);
    });
    loss.free();
    out.free();
    targets.free();
  });
});

describe("through a model: analytic gradients against central differences of its loss", () => {
  // as gradients.test.ts: steps of 1e-2, 2e-3 relative + 5e-5 absolute
  function check(model: Sequential, x: Float32Array, y: Uint32Array | Float32Array): number {
    model.computeGradients(x, y);
    const params = model.params();
    const analytic = params.map((p) => p.grad.view().slice());
    let checked = 0;
    params.forEach((p, k) => {
      for (let i = 0; i < p.value.length; i++) {
        const w = p.value.view()[i];
        const up = Math.fround(w + 1e-2);
        const down = Math.fround(w - 1e-2);
        p.value.view()[i] = up;
        const lossUp = model.evaluate(x, y).loss;
        p.value.view()[i] = down;
        const lossDown = model.evaluate(x, y).loss;
        p.value.view()[i] = w;
        const numeric = (lossUp - lossDown) / (up - down);
        const a = analytic[k][i];
        expect(Math.abs(a - numeric), `${p.name}[${i}]`).toBeLessThanOrEqual(
          2e-3 * Math.max(Math.abs(a), Math.abs(numeric)) + 5e-5,
        );
        checked++;
      }
    });
    return checked;
  }

  it("softmax cross-entropy with ε = 0.2", () => {
    const x = uniform(7 * 3, 34, -1, 1);
    const y = Uint32Array.from({ length: 7 }, (_, i) => i % 4);
    const model = new Sequential([new Dense(3, 4, { seed: 1 })], {
      loss: new SoftmaxCrossEntropy({ labelSmoothing: 0.2 }),
    });
    expect(check(model, x, y)).toBe(3 * 4 + 4);
    model.free();
  });

  it("binary cross-entropy with ε = 0.3 after a sigmoid", () => {
    const x = uniform(6 * 3, 35, -1, 1);
    const y = Float32Array.from(uniform(6 * 2, 36, 0, 1), Math.round);
    const model = new Sequential([new Dense(3, 2, { seed: 2 }), new Sigmoid()], {
      loss: new BinaryCrossEntropy({ labelSmoothing: 0.3 }),
    });
    expect(check(model, x, y)).toBe(3 * 2 + 2);
    model.free();
  });
});
