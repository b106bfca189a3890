// A model under a loss that takes value targets (rows × outputs): fit, evaluate, predict and
// computeGradients take them, checked before anything is placed (type, shape, finite, BCE's [0, 1]);
// one output is enough; accuracy is binary (BCE) or NaN (regression); the model round-trips through
// JSON; and whole trainings (the course's sine regression, a multi-label problem) follow a float64
// reference of the same training: same initial weights, same batches (the shuffled order fit() draws).
import { beforeAll, describe, expect, it } from "vitest";
import {
  Adam,
  BinaryCrossEntropy,
  Dense,
  init,
  type Loss,
  MeanAbsoluteError,
  MeanSquaredError,
  type Optimizer,
  ReLU,
  Sequential,
  SGD,
  Sigmoid,
  SoftmaxCrossEntropy,
  Tanh,
} from "../../src/index.js";
import { permutation } from "../../src/data/permutation.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { refSigmoid, refTanh, refValueLoss, type ValueLossName } from "../kernels/support/activation-reference.js";
import { adamArgs, refAdamUpdate, refMatmul, refSgdUpdate, uniform } from "./support.js";

beforeAll(() => init());

const live = () => defaultInstance().heap.allocations;

/** Outcome of a call: its error's class and message, or "ok". */
function outcome(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
  return "ok";
}

describe("value targets: what the model takes and refuses", () => {
  const x = uniform(4 * 2, 1, -1, 1);
  const bceModel = () =>
    new Sequential([new Dense(2, 3, { seed: 1 }), new Sigmoid()], { loss: new BinaryCrossEntropy() });

  it("a single output is enough for value targets; class labels still need two", () => {
    for (const loss of [new BinaryCrossEntropy(), new MeanSquaredError(), new MeanAbsoluteError()]) {
      const model = new Sequential([new Dense(2, 1, { seed: 2 })], { loss });
      expect(model.classes).toBe(1);
      expect(model.predict(x).length).toBe(4);
      model.free();
    }
    expect(outcome(() => new Sequential([new Dense(2, 1)], { loss: new SoftmaxCrossEntropy() }))).toBe(
      "RangeError: the last Dense layer must have at least 2 outputs (classes) for the class labels of softmax-crossentropy, got 1",
    );
  });

  it.each<[string, unknown, string]>([
    [
      "class labels for BCE",
      Uint32Array.of(0, 1, 2, 1),
      "TypeError: y must be a Float32Array of rows × 3 target values (the loss binary-crossentropy takes values, not class labels), got a Uint32Array",
    ],
    [
      "a length that is not rows × outputs",
      new Float32Array(13),
      "RangeError: y must hold rows × 3 target values (a positive multiple of the 3 outputs), got 13",
    ],
    [
      "no rows",
      new Float32Array(0),
      "RangeError: y must hold rows × 3 target values (a positive multiple of the 3 outputs), got 0",
    ],
    ["rows that do not match x", new Float32Array(15), "RangeError: x must hold y.length / 3 × 2 = 10 values, got 8"],
    [
      "a BCE target above 1",
      Float32Array.of(0, 1, 0, 1, 1, 0, 0.5, 1.5, 0, 0, 0, 0),
      "RangeError: y[7] must be in [0, 1] (targets of binary-crossentropy), got 1.5",
    ],
    [
      "a BCE target below 0",
      [0, 1, 0, 1, 1, -0.25, 0.5, 1, 0, 0, 0, 0],
      "RangeError: y[5] must be in [0, 1] (targets of binary-crossentropy), got -0.25",
    ],
    [
      "a NaN target",
      Float64Array.of(0, 1, 0, 1, 1, 0, 0.5, 1, 0, 0, 0, NaN),
      "RangeError: y[11] must be a finite target value (at most 3.4e38 in size: f32), got NaN",
    ],
    [
      "a target beyond the f32 range",
      Float64Array.of(0, 1, 0, 1e39, 1, 0, 0.5, 1, 0, 0, 0, 0),
      "RangeError: y[3] must be a finite target value (at most 3.4e38 in size: f32), got 1e+39",
    ],
  ])("refuses %s, naming y and the rule, before placing anything", (_, y, message) => {
    const model = bceModel();
    const before = live();
    for (const call of [
      () => model.evaluate(x, y as Float32Array),
      () => model.computeGradients(x, y as Float32Array),
    ]) {
      expect(outcome(call)).toBe(message);
    }
    expect(live()).toBe(before);
    model.free();
  });

  it("fit names validationData's targets; SoftmaxCrossEntropy still refuses values", async () => {
    const model = bceModel();
    const y = new Float32Array(12).fill(1);
    await expect(
      model.fit(x, y, { epochs: 1, optimizer: new SGD(), validationData: [x, Float32Array.of(2, ...y.subarray(1))] }),
    ).rejects.toThrow(
      /^options\.validationData\[1\]\[0\] must be in \[0, 1\] \(targets of binary-crossentropy\), got 2$/,
    );
    model.free();
    const classifier = new Sequential([new Dense(2, 3, { seed: 3 })]);
    expect(outcome(() => classifier.evaluate(x, new Float32Array(4)))).toMatch(
      /^TypeError: y must be a Uint32Array, Int32Array or number\[\] of class labels, got a Float32Array/,
    );
    classifier.free();
  });

  it("MSE and MAE take any finite value; number[] and Float64Array targets are read as f32", () => {
    const model = new Sequential([new Dense(2, 3, { seed: 4 })], { loss: new MeanSquaredError() });
    const y64 = Float64Array.from({ length: 12 }, (_, i) => 1e3 * Math.sin(i) - 7);
    const a = model.evaluate(x, y64);
    expect(model.evaluate(x, Array.from(y64)).dataLoss).toBe(a.dataLoss);
    expect(model.evaluate(x, Float32Array.from(y64)).dataLoss).toBe(a.dataLoss);
    expect(a.acc).toBeNaN(); // regression: no accuracy
    const p = model.predict(x);
    const want = refValueLoss("meanSquaredError", p, Float32Array.from(y64), 4, 3, 1).loss / 4;
    expect(Math.abs(a.dataLoss - want)).toBeLessThanOrEqual(1e-12 * want);
    model.free();
  });
});

describe("a model with a value loss round-trips through JSON and toBytes", () => {
  it.each<[string, () => Loss]>([
    ["binary-crossentropy", () => new BinaryCrossEntropy()],
    ["mean-squared-error", () => new MeanSquaredError()],
    ["mean-absolute-error", () => new MeanAbsoluteError()],
  ])("%s: the copy predicts and trains on bit for bit", async (type, make) => {
    const x = uniform(20 * 2, 5, -1, 1);
    const y = Float32Array.from(uniform(20 * 2, 6, 0, 1), Math.round);
    const model = new Sequential(
      [new Dense(2, 4, { seed: 7 }), new Tanh(), new Dense(4, 2, { seed: 8 }), new Sigmoid()],
      {
        loss: make(),
      },
    );
    await model.fit(x, y, { epochs: 2, optimizer: new Adam({ learningRate: 0.05 }), batchSize: 8 });
    const json = JSON.stringify(model.toJSON());
    expect(JSON.parse(json).loss).toEqual({ type });
    const copy = Sequential.fromJSON(json);
    expect(copy.loss.type).toBe(type);
    expect(copy.predict(x)).toEqual(model.predict(x));
    const fromBytes = Sequential.fromBytes(model.toBytes()); // the binary file keeps the loss too
    expect(fromBytes.loss.type).toBe(type);
    const runs = [
      await model.fit(x, y, { epochs: 2 }),
      await copy.fit(x, y, { epochs: 2 }),
      await fromBytes.fit(x, y, { epochs: 2 }),
    ];
    for (const run of runs) expect(run.history.loss).toEqual(runs[0].history.loss);
    expect(copy.predict(x)).toEqual(model.predict(x));
    expect(fromBytes.predict(x)).toEqual(model.predict(x));
    for (const m of [model, copy, fromBytes]) m.free();
  });
});

// ---------------------------------------------------------------- training against float64

type RefLayer =
  | { kind: "dense"; nIn: number; nOut: number; w: Float64Array; b: Float64Array }
  | { kind: "relu" | "tanh" | "sigmoid" };

const ACTIVATION = {
  relu: { f: (v: number) => Math.max(v, 0), df: (y: number) => (y > 0 ? 1 : 0) },
  tanh: { f: refTanh, df: (y: number) => 1 - y * y },
  sigmoid: { f: refSigmoid, df: (y: number) => y * (1 - y) },
};

/** The model's layers as float64 copies (weights and biases as they are now). */
function refLayers(model: Sequential): RefLayer[] {
  return model.layers.map((layer) => {
    if (layer instanceof Dense)
      return {
        kind: "dense",
        nIn: layer.nIn,
        nOut: layer.nOut,
        w: Float64Array.from(layer.weights.view()),
        b: Float64Array.from(layer.biases.view()),
      };
    return { kind: layer.type as "relu" | "tanh" | "sigmoid" };
  });
}

/** Activations of every layer for `rows` rows of x (acts[0] = x). */
function refForward(layers: RefLayer[], x: Float64Array, rows: number): Float64Array[] {
  const acts = [x];
  let cols = x.length / rows;
  for (const layer of layers) {
    const a = acts[acts.length - 1];
    if (layer.kind === "dense") {
      acts.push(refMatmul(a, layer.w, rows, cols, layer.nOut, layer.b));
      cols = layer.nOut;
    } else acts.push(a.map(ACTIVATION[layer.kind].f));
  }
  return acts;
}

/** dLoss/d(weights, biases) of every Dense layer, in params() order, from dLoss/dOutput. */
function refBackward(layers: RefLayer[], acts: Float64Array[], dOut: Float64Array, rows: number): Float64Array[] {
  const grads: Float64Array[] = [];
  let d = dOut;
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    const input = acts[i];
    if (layer.kind === "dense") {
      const { nIn, nOut, w } = layer;
      const dw = new Float64Array(nIn * nOut),
        db = new Float64Array(nOut),
        dx = new Float64Array(rows * nIn);
      for (let r = 0; r < rows; r++)
        for (let o = 0; o < nOut; o++) {
          const g = d[r * nOut + o];
          db[o] += g;
          for (let k = 0; k < nIn; k++) {
            dw[k * nOut + o] += input[r * nIn + k] * g;
            dx[r * nIn + k] += w[k * nOut + o] * g;
          }
        }
      grads.unshift(dw, db);
      d = dx;
    } else {
      const y = acts[i + 1];
      d = d.map((g, j) => g * ACTIVATION[layer.kind].df(y[j]));
    }
  }
  return grads;
}

interface RefRun {
  /** Mean data loss of each epoch's training forward passes (before each batch's update). */
  dataLoss: number[];
  /** Binary accuracy of each epoch (BCE), else NaN. */
  acc: number[];
  /** Validation data loss after each epoch. */
  valLoss: number[];
  layers: RefLayer[];
}

/**
 * The training fit() runs, in float64: per batch (rows in fit()'s order), forward, the loss's
 * gradient of the batch mean, backward, one optimizer step per parameter (the optimizers' float64
 * references, learning rate lr/(1 + decay·t)).
 */
function refTrain(
  model: Sequential,
  loss: ValueLossName,
  x: Float32Array,
  y: Float32Array,
  val: [Float32Array, Float32Array] | null,
  options: { epochs: number; batchSize: number; shuffle: boolean; adam: boolean; lr: number; decay: number },
): RefRun {
  const layers = refLayers(model);
  const nIn = model.inputSize,
    nOut = model.classes;
  const rows = x.length / nIn;
  const params = () => layers.flatMap((l) => (l.kind === "dense" ? [l.w, l.b] : []));
  const state = params().map((p) => [new Float64Array(p.length), new Float64Array(p.length)]);
  const run: RefRun = { dataLoss: [], acc: [], valLoss: [], layers };
  let t = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const shuffled = options.shuffle && options.batchSize < rows;
    const order = shuffled
      ? permutation(rows, 0, epoch, defaultInstance())
      : Uint32Array.from({ length: rows }, (_, i) => i);
    let lossSum = 0,
      hits = 0;
    for (let start = 0; start < rows; start += options.batchSize) {
      const idx = order.subarray(start, Math.min(start + options.batchSize, rows));
      const n = idx.length;
      const bx = new Float64Array(n * nIn),
        by = new Float64Array(n * nOut);
      idx.forEach((row, r) => {
        bx.set(x.subarray(row * nIn, (row + 1) * nIn), r * nIn);
        by.set(y.subarray(row * nOut, (row + 1) * nOut), r * nOut);
      });
      const acts = refForward(layers, bx, n);
      const out = refValueLoss(loss, acts[acts.length - 1], by, n, nOut, 1 / n);
      lossSum += out.loss;
      hits += out.hits;
      const grads = refBackward(layers, acts, out.dp, n);
      const lr = options.lr / (1 + options.decay * t);
      params().forEach((p, k) => {
        if (options.adam) refAdamUpdate(p, grads[k], state[k][0], state[k][1], adamArgs(lr, t), false);
        else refSgdUpdate(p, grads[k], null, { lr, momentum: 0, keep: 1 }, false);
      });
      t++;
    }
    run.dataLoss.push(lossSum / rows);
    // as the model reports it: outputs right per row (hits / outputs), over rows
    run.acc.push(loss === "binaryCrossEntropy" ? hits / nOut / rows : Number.NaN);
    if (val) {
      const vRows = val[0].length / nIn;
      const acts = refForward(layers, Float64Array.from(val[0]), vRows);
      run.valLoss.push(refValueLoss(loss, acts[acts.length - 1], val[1], vRows, nOut, 1).loss / vRows);
    }
  }
  return run;
}

/** O(1) initial weights (the default 0.01·N(0, 1) barely moves a three-layer ReLU network in a few epochs). */
function setInitialWeights(model: Sequential, seed: number): void {
  model.setWeights(
    model.params().map((p, i) => uniform(p.value.length, seed + i, -1, 1).map((v) => v * (i % 2 ? 0.1 : 0.8))),
  );
}

/** The course's sine data: x = i/samples, y = sin(2πx). */
function sineData(samples: number) {
  const x = Float32Array.from({ length: samples }, (_, i) => i / samples);
  return { x, y: x.map((v) => Math.sin(2 * Math.PI * v)) };
}

describe("training against a float64 reference of the same training", () => {
  it.each<
    [string, () => Loss, ValueLossName, () => Optimizer, { adam: boolean; lr: number; decay: number }, number, boolean]
  >([
    [
      "the course's sine regression, MSE, Adam, shuffled batches of 50",
      () => new MeanSquaredError(),
      "meanSquaredError",
      () => new Adam({ learningRate: 0.005, decay: 1e-3 }),
      { adam: true, lr: 0.005, decay: 1e-3 },
      50,
      true,
    ],
    [
      "the same with MAE and SGD, batches of 64 in order",
      () => new MeanAbsoluteError(),
      "meanAbsoluteError",
      () => new SGD({ learningRate: 0.2, decay: 1e-2 }),
      { adam: false, lr: 0.2, decay: 1e-2 },
      64,
      false,
    ],
  ])("%s", async (_, makeLoss, lossName, makeOptimizer, ref, batchSize, shuffle) => {
    const { x, y } = sineData(200);
    const model = new Sequential(
      [
        new Dense(1, 16, { seed: 1 }),
        new ReLU(),
        new Dense(16, 16, { seed: 2 }),
        new ReLU(),
        new Dense(16, 1, { seed: 3 }),
      ],
      {
        loss: makeLoss(),
      },
    );
    setInitialWeights(model, 40);
    const epochs = 25;
    const want = refTrain(model, lossName, x, y, null, { epochs, batchSize, shuffle, ...ref });
    const history = await model.fit(x, y, { epochs, batchSize, shuffle, optimizer: makeOptimizer() });
    // f32 activations and updates against float64: each step's result differs by ~1e-7 relative,
    // and these ~100 steps of a contracting training keep the losses within 1e-5 of each other
    // (measured ≤ 4e-7); a wrong gradient, a skipped or doubled update, a wrong row or target
    // gathered, all move the loss by far more
    history.history.dataLoss.forEach((l, e) =>
      expect(Math.abs(l - want.dataLoss[e]), `epoch ${e}`).toBeLessThanOrEqual(1e-5 * want.dataLoss[e]),
    );
    expect(history.history.acc.every(Number.isNaN)).toBe(true);
    // it learned: the last epoch's loss is well below the first's
    expect(want.dataLoss[epochs - 1]).toBeLessThan(0.5 * want.dataLoss[0]);
    const p = model.predict(x);
    const acts = refForward(want.layers, Float64Array.from(x), 200);
    // outputs of size ~1 after the same training: within 1e-5 (measured ≤ 1e-6)
    acts[acts.length - 1].forEach((v, i) => expect(Math.abs(p[i] - v)).toBeLessThanOrEqual(1e-5));
    model.free();
  });

  it("multi-label: three sigmoid outputs under BCE, Adam, shuffled batches of 32, validationSplit 0.25", async () => {
    const rows = 256;
    const x = uniform(rows * 2, 50, -1, 1);
    const y = new Float32Array(rows * 3);
    for (let r = 0; r < rows; r++) {
      const [a, b] = [x[2 * r], x[2 * r + 1]];
      y.set([a > 0 ? 1 : 0, b > 0 ? 1 : 0, a * b > 0 ? 1 : 0], 3 * r);
    }
    const model = new Sequential(
      [new Dense(2, 16, { seed: 4 }), new Tanh(), new Dense(16, 3, { seed: 5 }), new Sigmoid()],
      {
        loss: new BinaryCrossEntropy(),
      },
    );
    setInitialWeights(model, 60);
    const epochs = 20;
    // validationSplit holds out the last quarter of the rows (before shuffling)
    const train: [Float32Array, Float32Array] = [x.subarray(0, 192 * 2), y.subarray(0, 192 * 3)];
    const val: [Float32Array, Float32Array] = [x.subarray(192 * 2), y.subarray(192 * 3)];
    const want = refTrain(model, "binaryCrossEntropy", train[0], train[1], val, {
      epochs,
      batchSize: 32,
      shuffle: true,
      adam: true,
      lr: 0.02,
      decay: 0,
    });
    const history = await model.fit(x, y, {
      epochs,
      batchSize: 32,
      validationSplit: 0.25,
      optimizer: new Adam({ learningRate: 0.02 }),
    });
    const { dataLoss, acc, valLoss, valAcc } = history.history;
    // as above: within 1e-5 (measured ≤ 4e-7)
    dataLoss.forEach((l, e) =>
      expect(Math.abs(l - want.dataLoss[e]), `epoch ${e}`).toBeLessThanOrEqual(1e-5 * want.dataLoss[e]),
    );
    valLoss!.forEach((l, e) =>
      expect(Math.abs(l - want.valLoss[e]), `epoch ${e}`).toBeLessThanOrEqual(1e-5 * want.valLoss[e]),
    );
    // binary accuracy over all 3 × 192 outputs: the same predictions on each side of 0.5
    expect(acc).toEqual(want.acc);
    expect(want.acc[epochs - 1]).toBeGreaterThan(want.acc[0]);
    expect(valAcc!.every((v) => v >= 0 && v <= 1)).toBe(true);
    const evaluation = model.evaluate(val[0], val[1]);
    expect(evaluation.dataLoss).toBe(valLoss![epochs - 1]);
    expect(evaluation.acc).toBe(valAcc![epochs - 1]);
    model.free();
  });
});
