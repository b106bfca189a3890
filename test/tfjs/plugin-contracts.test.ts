// regwasm/tfjs contracts beyond the numbers (cpu backend): AdamW's slot variables (not trainable,
// freed by dispose, restored by setWeights as saved), a null gradient skipped as PyTorch and TF.js's
// Adam do, the arguments named in errors; SeededDropout's 32-bit bounds (the last step, 2^32 elements
// per batch), rate 0 drawing nothing (as regwasm's Dropout), and the input mask passed on.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { allocF32, Dropout, init } from "../../src/index.js";
import { type AdamW, adamw, SeededDropout, seededDropout } from "../../src/tfjs/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { uniform } from "../layers/support.js";
import { refDropout } from "../reference.js";
import { tf, tfjsReady, tfl, torchAdamW } from "./support.js";

await init();
beforeAll(() => tfjsReady());
afterEach(() => vi.restoreAllMocks());

const bitsOf = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
const bitsOfTensor = (t: tf.Tensor) => bitsOf(t.dataSync() as Float32Array);
/** A variable without its initial value left behind (tf.variable keeps that tensor alive). */
const variableOf = (values: Float32Array) => tf.tidy(() => tf.variable(tf.tensor1d(values)));
const trainableNames = () =>
  Object.values(tf.engine().registeredVariables)
    .filter((v) => v.trainable)
    .map((v) => v.name)
    .sort();

describe("adamw: slot variables", () => {
  const n = 7;
  const grads = Array.from({ length: 6 }, (_, k) => tf.tensor1d(uniform(n, 200 + k)));
  const step = (optimizer: AdamW, w: tf.Variable, k: number) =>
    tf.tidy(() => optimizer.applyGradients({ [w.name]: grads[k] }));

  it("are registered but not trainable, as TF.js's Adam's: the engine's trainable variables stay the model's", async () => {
    const w = variableOf(uniform(n, 1));
    const trainable = trainableNames();
    const registered = Object.keys(tf.engine().registeredVariables).length;
    const optimizer = adamw();
    step(optimizer, w, 0);
    expect(Object.keys(tf.engine().registeredVariables).length).toBe(registered + 2); // m and v
    expect(trainableNames()).toEqual(trainable);
    // restored ones too
    const saved = await optimizer.getWeights();
    const restored = adamw();
    await restored.setWeights(saved.map(({ name, tensor }) => ({ name, tensor: tensor.clone() })));
    expect(Object.keys(tf.engine().registeredVariables).length).toBe(registered + 4);
    expect(trainableNames()).toEqual(trainable);
    for (const o of [optimizer, restored]) o.dispose();
    tf.dispose([w, saved[0].tensor]);
  });

  it("dispose() frees m and v; the optimizer then starts again from zero moments", async () => {
    const w = variableOf(uniform(n, 1));
    const before = tf.memory().numTensors;
    const optimizer = adamw({ learningRate: 0.05 });
    step(optimizer, w, 0);
    expect(tf.memory().numTensors).toBe(before + 2);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const state = await optimizer.getWeights();
    expect(state.map((s) => s.name)).toEqual(["iter"]); // no slot left behind
    tf.dispose(state.map((s) => s.tensor));
    // a step after dispose() starts from zero moments, at t = 2: as an optimizer restored with no slots
    const w1 = Float32Array.from(w.dataSync());
    step(optimizer, w, 1);
    const fresh = variableOf(w1);
    const reference = adamw({ learningRate: 0.05 });
    const iter = tf.scalar(1, "int32");
    await reference.setWeights([{ name: "iter", tensor: iter }]);
    step(reference, fresh, 1);
    expect(bitsOfTensor(w)).toEqual(bitsOfTensor(fresh));
    reference.dispose();
    tf.dispose([fresh, iter]);
    optimizer.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
  });

  it("getWeights/setWeights restore m and v as saved (names, order, count); training continues bit for bit", async () => {
    const a = variableOf(uniform(n, 1));
    const b = variableOf(uniform(n, 2));
    const twoSteps = (optimizer: AdamW, k: number) =>
      tf.tidy(() => optimizer.applyGradients({ [a.name]: grads[k], [b.name]: tf.mul(grads[k + 1], -3) }));
    const a0 = a.clone();
    const b0 = b.clone();
    const straight = adamw({ learningRate: 0.03, beta1: 0.5, beta2: 0.9 });
    for (let k = 0; k < 4; k++) twoSteps(straight, k);
    const want = [bitsOfTensor(a), bitsOfTensor(b)];
    a.assign(a0);
    b.assign(b0);

    const first = adamw({ learningRate: 0.03, beta1: 0.5, beta2: 0.9 });
    for (let k = 0; k < 2; k++) twoSteps(first, k);
    const saved = (await first.getWeights()).map(({ name, tensor }) => ({ name, tensor: tensor.clone() }));
    const names = ["iter", `${a.name}/m`, `${b.name}/m`, `${a.name}/v`, `${b.name}/v`];
    expect(saved.map((s) => s.name)).toEqual(names);
    // m and v differ (else a swap of the two would go unseen)
    expect(bitsOfTensor(saved[1].tensor)).not.toEqual(bitsOfTensor(saved[3].tensor));
    first.dispose();

    const before = tf.memory().numTensors;
    const resumed = adamw({ learningRate: 0.03, beta1: 0.5, beta2: 0.9 });
    await resumed.setWeights(saved);
    expect(resumed.iterations).toBe(2);
    expect(tf.memory().numTensors).toBe(before + 4); // one variable per saved slot, no more
    const state = await resumed.getWeights();
    expect(state.map((s) => s.name)).toEqual(names);
    state.slice(1).forEach((s, i) => expect(bitsOfTensor(s.tensor)).toEqual(bitsOfTensor(saved[i + 1].tensor)));
    tf.dispose(state[0].tensor);
    for (let k = 2; k < 4; k++) twoSteps(resumed, k);
    expect([bitsOfTensor(a), bitsOfTensor(b)]).toEqual(want);
    for (const o of [straight, resumed]) o.dispose();
    tf.dispose([a, b, a0, b0, ...saved.map((s) => s.tensor)]);
  });

  it("a null gradient skips its variable (no decay, no step), as PyTorch's AdamW and TF.js's Adam do", () => {
    const w0 = uniform(n, 1);
    const u0 = uniform(n, 5);
    const w = variableOf(w0);
    const u = variableOf(u0);
    const optimizer = adamw({ learningRate: 0.1, weightDecay: 0.2 });
    tf.tidy(() => optimizer.applyGradients({ [u.name]: null as unknown as tf.Tensor, [w.name]: grads[0] }));
    expect(bitsOfTensor(u)).toEqual(bitsOf(u0));
    const want = torchAdamW(w0, [grads[0].dataSync()], { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, wd: 0.2 });
    (w.dataSync() as Float32Array).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(2e-6));
    optimizer.dispose();
    tf.dispose([w, u]);
  });

  it.each([
    [{ beta2: 1 }, /^options\.beta2 must be in \[0, 1\)/],
    [{ epsilon: 0 }, /^options\.epsilon must be a finite number > 0/],
  ])("bad options are named: %j", (options, message) => {
    expect(() => adamw(options)).toThrow(message);
  });
});

describe("seededDropout: bounds and pass-through", () => {
  const rows = 3;
  const cols = 11;
  const x = uniform(rows * cols, 3);
  const trainCall = (layer: tfl.layers.Layer) =>
    tf.tidy(
      () => (layer.apply(tf.tensor2d(x, [rows, cols]), { training: true }) as tf.Tensor).dataSync() as Float32Array,
    );

  it("step 2^32 − 2 draws its stream; at 2^32 − 1 a training call is refused and the step stays saveable", () => {
    const seed = 9;
    const layer = seededDropout({ rate: 0.5, seed, step: 2 ** 32 - 2, name: "last" });
    // index 0: the training seed is the seed itself
    expect(bitsOf(trainCall(layer))).toEqual(bitsOf(refDropout(x, 0.5, seed, 2 ** 32 - 2).output));
    expect(layer.step).toBe(2 ** 32 - 1);
    expect(() => trainCall(layer)).toThrow(
      new RangeError("SeededDropout 'last': step 4294967295 has no stream left (the counter is 32-bit)"),
    );
    expect(layer.step).toBe(2 ** 32 - 1);
    const { rate, step } = layer.getConfig() as { rate: number; step: number };
    expect(seededDropout({ rate, seed, step }).step).toBe(2 ** 32 - 1);
  });

  it("a batch may hold 2^32 elements, not one more (checked before any mask is drawn)", () => {
    // a tensor-like: a real one of 2^32 floats is 16 GiB; call() reads only its size before drawing
    const layer = seededDropout({ rate: 0.5, seed: 1, name: "big" });
    const draw = vi.spyOn(layer, "maskFactors").mockImplementation(() => {
      throw new Error("mask drawn");
    });
    const ofSize = (size: number) => ({ size, shape: [size] }) as unknown as tf.Tensor;
    expect(() => layer.call(ofSize(2 ** 32 + 1), { training: true })).toThrow(
      new RangeError("SeededDropout 'big': a batch may hold at most 2^32 elements (one stream)"),
    );
    expect(draw).not.toHaveBeenCalled();
    expect(() => layer.call(ofSize(2 ** 32), { training: true })).toThrow("mask drawn");
    expect(draw).toHaveBeenCalledWith(2 ** 32);
    expect(layer.step).toBe(0);
  });

  it("rate 0 in training is the identity and draws nothing: the step stays, as regwasm Dropout's", () => {
    const layer = seededDropout({ rate: 0, seed: 4, step: 2 ** 32 - 1 });
    expect(bitsOf(trainCall(layer))).toEqual(bitsOf(x));
    expect(layer.step).toBe(2 ** 32 - 1);
    const regwasm = new Dropout(0, { seed: 4 });
    const buf = allocF32(rows * cols, defaultInstance());
    buf.view().set(x);
    regwasm.forward(new Matrix(buf, rows, cols), true);
    expect(regwasm.step).toBe(0);
    buf.free();
    regwasm.free();
  });

  it("passes an input mask on (computeMask gives the Embedding's); at inference an RNN after it predicts as without it", () => {
    const make = (withDropout: boolean) => {
      const model = tfl.sequential();
      model.add(tfl.layers.embedding({ inputDim: 6, outputDim: 4, maskZero: true, inputLength: 5 }));
      if (withDropout) model.add(seededDropout({ rate: 0.5, seed: 3 }));
      model.add(tfl.layers.simpleRNN({ units: 3, recurrentInitializer: "glorotUniform" }));
      return model;
    };
    const masked = make(true);
    expect(masked.layers[1]).toBeInstanceOf(SeededDropout);
    const plain = make(false);
    plain.setWeights(masked.getWeights());
    const tokens = tf.tensor2d([1, 2, 0, 0, 0, 3, 0, 4, 5, 0], [2, 5]);
    const predict = (m: tfl.LayersModel) => tf.tidy(() => bitsOfTensor(m.predict(tokens) as tf.Tensor));
    expect(predict(masked)).toEqual(predict(plain));
    // the mask matters here: without it the RNN also reads the zero tokens' embedding
    const unmasked = tfl.sequential();
    unmasked.add(tfl.layers.embedding({ inputDim: 6, outputDim: 4, inputLength: 5 }));
    unmasked.add(tfl.layers.simpleRNN({ units: 3, recurrentInitializer: "glorotUniform" }));
    unmasked.setWeights(masked.getWeights());
    expect(predict(unmasked)).not.toEqual(predict(plain));
    // TF.js's predict() hands a mask on to later layers whatever this layer says; a model's own
    // computeMask asks every layer: ending at SeededDropout, it gives the Embedding's mask
    const input = tfl.input({ shape: [5] });
    const embedded = tfl.layers.embedding({ inputDim: 6, outputDim: 4, maskZero: true }).apply(input);
    const dropped = seededDropout({ rate: 0.5, seed: 3 }).apply(embedded) as tfl.SymbolicTensor;
    const upToDropout = tfl.model({ inputs: input, outputs: dropped });
    const mask = tf.tidy(() => Array.from((upToDropout.computeMask(tokens) as tf.Tensor[])[0].dataSync()));
    expect(mask).toEqual([1, 1, 0, 0, 0, 1, 0, 1, 1, 0]);
    for (const m of [masked, plain, unmasked, upToDropout]) m.dispose();
    tokens.dispose();
  });

  it.each([
    [undefined, /^args must be an object like \{ rate, seed \}, got undefined/],
    [{ rate: 0.5, seed: 1, index: 2 ** 32 }, /^args\.index must be an integer in \[0, 2\^32 - 1\]/],
  ])("bad arguments are named: %j", (args, message) => {
    expect(() => seededDropout(args as never)).toThrow(message);
  });
});
