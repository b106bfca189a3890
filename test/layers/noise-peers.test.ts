// The dropout family against TF.js (tfjs-core on its cpu backend, tfjs-layers): SELU values,
// noise-shape broadcasting (TF.js's own broadcasting multiply applied to our keep bits), alpha
// dropout's constants and the Gaussian layers' spread. Node only: TF.js runs in the test process.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { AlphaDropout, dropout, GaussianDropout, GaussianNoise, init, Selu } from "../../src/index.js";
import { alphaDropoutConstants, SELU_ALPHA, SELU_SCALE } from "../../src/layers/alpha-dropout.js";
import { allocF32 } from "../../src/wasm/buffer.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { normalF32 } from "../kernels/support/data.js";
import { refUnpackBits } from "../reference.js";

beforeAll(async () => {
  await init();
  tf.enableProdMode();
  await tf.setBackend("cpu");
});

function run(layer: { forward(m: Matrix, training: boolean): Matrix }, x: Float32Array, rows: number, cols: number) {
  const buf = allocF32(x.length);
  buf.view().set(x);
  const out = layer.forward(new Matrix(buf, rows, cols), true).toArray();
  buf.free();
  return out;
}

const std = (a: ArrayLike<number>) => {
  const values = Array.from(a);
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
};

describe("against TF.js", () => {
  it("selu: tf.selu's values within 4 f32 ulp (TF.js computes e^x − 1 in f32, so it loses digits near 0; |x| ≥ 0.01 here)", () => {
    const x = normalF32(4096, 5).map((v) => (Math.abs(v) < 0.01 ? 0.01 : v) * 3);
    const ours = run(new Selu(), x, 1, x.length);
    const theirs = tf.selu(tf.tensor1d(x)).dataSync();
    for (let i = 0; i < x.length; i++) {
      const ulp = 2 ** (Math.floor(Math.log2(Math.abs(theirs[i]))) - 23);
      expect(Math.abs(ours[i] - theirs[i]), `selu(${x[i]})`).toBeLessThanOrEqual(4 * ulp);
    }
  });

  it("noise shapes broadcast as TF.js's broadcasting multiply does (our keep bits as a tensor of the noise shape)", () => {
    for (const [shape, noiseShape] of [
      [
        [4, 5, 6],
        [4, 1, 6],
      ],
      [
        [3, 7, 2, 5],
        [1, 7, 1, 5],
      ],
      [
        [6, 9],
        [6, 1],
      ],
    ] as const) {
      const n = shape.reduce((a: number, b: number) => a * b, 1);
      const noiseLength = noiseShape.reduce((a: number, b: number) => a * b, 1);
      const x = normalF32(n, 3);
      const { output, mask } = dropout(x, { rate: 0.4, seed: 21, noiseShape: [...noiseShape], shape: [...shape] });
      const keep = Float32Array.from(refUnpackBits(mask!, noiseLength));
      const scale = Math.fround(1 / 0.6);
      const theirs = tf
        .mul(tf.tensor(x, [...shape]), tf.mul(tf.tensor(keep, [...noiseShape]), tf.scalar(scale)))
        .dataSync();
      // TF.js gives −0 for a dropped negative value, regwasm +0
      expect(Array.from(output, (v) => v + 0)).toEqual(Array.from(theirs, (v) => v + 0));
    }
  });

  it("AlphaDropout: TF.js's kept value a·x + b equals ours; its dropped value is a·(−α′) + b where Keras's and PyTorch's (and ours) is a·α′ + b", () => {
    const rate = 0.3;
    const ones = tf.ones([20, 500]);
    const theirs = (tfl.layers.alphaDropout({ rate }).apply(ones, { training: true }) as tf.Tensor).dataSync();
    const values = [...new Set(theirs)].sort((p, q) => p - q);
    expect(values.length).toBe(2);
    const { a, b, dropped } = alphaDropoutConstants(rate);
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    // kept: a·1 + b; dropped: TF.js's sign slip (keptIdx − 1 = −1 where dropped) gives a·(−α′) + b
    expect(values[0]).toBeCloseTo(a + b, 6);
    expect(values[1]).toBeCloseTo(a * -alphaP + b, 5);
    const ours = new Set(run(new AlphaDropout(rate, { seed: 1 }), new Float32Array(10_000).fill(1), 20, 500));
    expect([...ours].sort((p, q) => p - q)).toEqual([dropped, Math.fround(Math.fround(a) + b)]);
  });

  it("GaussianNoise and GaussianDropout: the same spread as TF.js's layers on ones(20, 500) (each within 0.02 of the exact value)", () => {
    const ones = new Float32Array(10_000).fill(1);
    const t = tf.ones([20, 500]);
    const tfNoise = (tfl.layers.gaussianNoise({ stddev: 0.3 }).apply(t, { training: true }) as tf.Tensor).dataSync();
    const tfDrop = (tfl.layers.gaussianDropout({ rate: 0.3 }).apply(t, { training: true }) as tf.Tensor).dataSync();
    // sd of a sample std over 10^4 normals: σ/√(2·10^4) ≈ 0.0071σ; 0.02 is ≥ 4σ for both
    expect(Math.abs(std(tfNoise) - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(std(run(new GaussianNoise(0.3, { seed: 2 }), ones, 20, 500)) - 0.3)).toBeLessThan(0.02);
    const s = Math.sqrt(0.3 / 0.7);
    expect(Math.abs(std(tfDrop) - s)).toBeLessThan(0.02);
    expect(Math.abs(std(run(new GaussianDropout(0.3, { seed: 2 }), ones, 20, 500)) - s)).toBeLessThan(0.02);
  });
});
