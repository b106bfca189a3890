// regwasm/tfjs adamw in TF.js (cpu backend): PyTorch's AdamW step (torch.optim.AdamW, written here
// in float64), the decay decoupled from the moments, and its save/load through TF.js's model files
// with the optimizer's state (training then resumes bit for bit).
import { beforeAll, describe, expect, it } from "vitest";
import { AdamW, adamw } from "../../src/tfjs/index.js";
import { uniform } from "../layers/support.js";
import { loadInTfjsLayers, savedModel, tf, tfjsReady, tfl, torchAdamW } from "./support.js";

beforeAll(() => tfjsReady());

function runAdamW(
  w0: Float32Array,
  grads: Float32Array[],
  options: ConstructorParameters<typeof AdamW>[0],
): Float32Array {
  const optimizer = adamw(options);
  const w = tf.variable(tf.tensor1d(w0));
  for (const g of grads) tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.tensor1d(g) }));
  const out = w.dataSync() as Float32Array;
  w.dispose();
  optimizer.dispose();
  return out;
}

describe("adamw", () => {
  const n = 9;
  const w0 = uniform(n, 1);
  const grads = Array.from({ length: 12 }, (_, k) => uniform(n, 100 + k));

  it.each([
    [{ lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, wd: 0.1 }],
    [{ lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-6, wd: 0.5 }],
  ])("12 steps equal PyTorch's AdamW in float64 to f32 rounding: %j", (h) => {
    const got = runAdamW(w0, grads, {
      learningRate: h.lr,
      beta1: h.beta1,
      beta2: h.beta2,
      epsilon: h.eps,
      weightDecay: h.wd,
    });
    const want = torchAdamW(w0, grads, h);
    got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(2e-6 * Math.max(1, Math.abs(want[i]))));
  });

  it("PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01", () => {
    const optimizer = adamw();
    expect(optimizer.getConfig()).toEqual({
      learningRate: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      weightDecay: 0.01,
    });
    const got = runAdamW(w0, grads.slice(0, 3), {});
    const want = torchAdamW(w0, grads.slice(0, 3), { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, wd: 0.01 });
    got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(2e-6));
    optimizer.dispose();
  });

  it("the decay is decoupled: a zero gradient only shrinks the weights, w·f32(1 − lr·λ), bit for bit", () => {
    const zero = new Float32Array(n);
    const got = runAdamW(w0, [zero, zero], { learningRate: 0.1, weightDecay: 0.3 });
    const keep = Math.fround(1 - 0.1 * 0.3);
    expect(Array.from(got)).toEqual(Array.from(w0, (w) => Math.fround(Math.fround(w * keep) * keep)));
  });

  it("compiles into a TF.js model, saves with its state (config and moments) and resumes bit for bit", async () => {
    const make = () => {
      const model = tfl.sequential();
      model.add(
        tfl.layers.dense({
          units: 8,
          inputShape: [4],
          activation: "relu",
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
        }),
      );
      model.add(tfl.layers.dense({ units: 2, kernelInitializer: tfl.initializers.glorotUniform({ seed: 4 }) }));
      model.compile({ optimizer: adamw({ learningRate: 0.02, weightDecay: 0.05 }), loss: "meanSquaredError" });
      return model;
    };
    const xs = tf.tensor2d(uniform(40, 7), [10, 4]);
    const ys = tf.tensor2d(uniform(20, 8), [10, 2]);
    const options = { batchSize: 5, shuffle: false, verbose: 0 };
    const straight = make();
    await straight.fit(xs, ys, { ...options, epochs: 4 });
    const first = make();
    await first.fit(xs, ys, { ...options, epochs: 2 });
    const artifacts = await savedModel(first, true);
    expect((artifacts.trainingConfig!.optimizer_config as { class_name: string }).class_name).toBe("AdamW");
    const resumed = await loadInTfjsLayers(artifacts);
    expect(resumed.optimizer).toBeInstanceOf(AdamW);
    expect((resumed.optimizer as AdamW).getConfig()).toEqual((first.optimizer as AdamW).getConfig());
    expect(resumed.optimizer.iterations).toBe(4);
    await resumed.fit(xs, ys, { ...options, epochs: 2 });
    const bits = (m: tfl.LayersModel) =>
      m.getWeights().map((w) => Array.from(new Uint32Array((w.dataSync() as Float32Array).buffer)));
    expect(bits(resumed)).toEqual(bits(straight));
    for (const m of [straight, first, resumed]) m.dispose();
    tf.dispose([xs, ys]);
  });

  it.each([
    [{ learningRate: 0 }, /options\.learningRate/],
    [{ beta1: 1 }, /options\.beta1 must be in \[0, 1\)/],
    [{ weightDecay: -1 }, /options\.weightDecay/],
    [{ weight_decay: 0.1 }, /options\.weight_decay is not a known option/],
  ])("bad options are named: %j", (options, message) => {
    expect(() => adamw(options as never)).toThrow(message);
  });
});
