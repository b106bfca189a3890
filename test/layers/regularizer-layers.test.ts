// Regularizers and constraints inside models: Dense's weight/bias/activity regularizers and
// constraints, the ActivityRegularization layer, the optimizers' excludeFromWeightDecay and
// proximal L1, against the peers' documented values, float64 references, central differences of
// the model's own loss, and bit-for-bit comparisons with the paths they must equal.
//
// Ported: the examples of keras/src/regularizers/regularizers.py (the Regularizer docstring: 5.25,
// 0.25, 12.5) and keras/src/layers/regularization/activity_regularization_test.py (test_correctness,
// test_activity_regularization_basics), each test citing its source.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ActivityRegularization,
  Adam,
  constraints,
  Dense,
  type DenseOptions,
  init,
  L1,
  L2,
  type Optimizer,
  regularizationLoss,
  regularizers,
  Sequential,
  SGD,
  sparsity,
  spiralData,
  Tanh,
  ReLU,
} from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { allocMatrix, type Matrix } from "../../src/wasm/matrix.js";
import { firstBitDifference, uniform } from "./support.js";

beforeAll(() => init());

const registered: string[] = [];
afterAll(() => {
  for (const type of registered) regularizers.unregister(type);
});

function matrix(rows: number, cols: number, values: ArrayLike<number>): Matrix {
  const m = allocMatrix(rows, cols, defaultInstance());
  m.data.view().set(values);
  return m;
}

function data(rows: number, features: number, classes: number, seed: number) {
  const x = uniform(rows * features, seed, -1, 1);
  const y = Uint32Array.from({ length: rows }, (_, i) => (i * 5 + seed) % classes);
  return { x, y };
}

/** A Dense layer with the given values (weights row-major nIn × nOut) and seed. */
function dense(nIn: number, nOut: number, seed: number, options: DenseOptions = {}, lo = -1, hi = 1): Dense {
  const layer = new Dense(nIn, nOut, { ...options, seed });
  layer.weights.view().set(uniform(nIn * nOut, seed * 7 + 1, lo, hi));
  layer.biases.view().set(uniform(nOut, seed * 7 + 2, -0.5, 0.5));
  return layer;
}

const fillOnes = (layer: Dense) => layer.weights.view().fill(1);

describe("keras regularizers.py docstring examples", () => {
  it("Dense(5, ones, kernel_regularizer=L1(0.01), activity_regularizer=L2(0.01)) on 2·ones(5, 5): losses 5.25", () => {
    const layer = new Dense(5, 5, { kernelRegularizer: new L1(0.01), activityRegularizer: new L2(0.01) });
    fillOnes(layer);
    const input = matrix(5, 5, new Array(25).fill(2));
    layer.forward(input, false, 0, null, 5);
    // kernel 0.01·25 = 0.25; activity 0.01·Σ10² = 25, divided by the batch size 5 = 5.0
    expect(regularizationLoss(layer)).toBeCloseTo(5.25, 12);
    input.data.free();
    layer.free();
  });

  it("a penalty function (l1_reg: 0.25) and a Regularizer subclass (L2Regularizer(0.5): 12.5) as custom regularizers", () => {
    registered.push("l1RegTest", "l2RegularizerTest");
    const l1Reg = regularizers.register("l1RegTest", () => ({
      penalty: (w) => 0.01 * w.reduce((a, v) => a + Math.abs(v), 0),
    }));
    const l2Regularizer = regularizers.register("l2RegularizerTest", ({ l2 }: { l2: number }) => ({
      penalty: (w) => l2 * w.reduce((a, v) => a + v * v, 0),
      gradient: (w, g) => w.forEach((v, i) => (g[i] = 2 * l2 * v)),
    }));
    const a = new Dense(5, 5, { kernelRegularizer: l1Reg() });
    const b = new Dense(5, 5, { kernelRegularizer: l2Regularizer({ l2: 0.5 }) });
    fillOnes(a);
    fillOnes(b);
    expect(regularizationLoss(a)).toBeCloseTo(0.25, 12);
    expect(regularizationLoss(b)).toBe(12.5);
    a.free();
    b.free();
  });
});

describe("ActivityRegularization (keras activity_regularization_test.py)", () => {
  it("test_correctness: l1 0.2, l2 0.3 on 2·ones((1,)): 4·0.3 + 2·0.2", () => {
    const layer = new ActivityRegularization({ l1: 0.2, l2: 0.3 });
    const input = matrix(1, 1, [2]);
    layer.forward(input, true);
    expect(regularizationLoss(layer)).toBeCloseTo(4 * 0.3 + 2 * 0.2, 12);
    input.data.free();
  });

  it("test_activity_regularization_basics: output shape of the input, no weights, one loss; the identity", () => {
    const layer = new ActivityRegularization({ l1: 0.1, l2: 0.2 });
    const values = uniform(6, 5);
    const input = matrix(2, 3, values);
    const out = layer.forward(input, true, 0, null, 2);
    expect([out.rows, out.cols]).toEqual([2, 3]);
    expect(out.data.view()).toEqual(values);
    expect(layer.params()).toEqual([]);
    const ref = values.reduce((a, v) => a + 0.1 * Math.abs(v) + 0.2 * v * v, 0) / 2;
    expect(Math.abs(regularizationLoss(layer) - ref)).toBeLessThan(1e-7 * ref);
    expect(() => new ActivityRegularization({ l1: -1 })).toThrow("options.l1 must be a finite number >= 0");
    expect(ActivityRegularization.fromJSON(layer.toJSON()).toJSON()).toEqual({
      type: "activity-regularization",
      l1: 0.1,
      l2: 0.2,
    });
    input.data.free();
  });
});

describe("Dense with regularizer objects", () => {
  it("weightRegularizer l1l2 and biasRegularizer l2 train bit for bit as weightL1/weightL2/biasL2", async () => {
    const train = spiralData(30, 3, { seed: 4 });
    const build = (options: [DenseOptions, DenseOptions]) =>
      new Sequential([
        new Dense(2, 16, { ...options[0], seed: 1 }),
        new ReLU(),
        new Dense(16, 3, { ...options[1], seed: 2 }),
      ]);
    const a = build([{ weightL1: 3e-3, weightL2: 5e-3, biasL2: 1e-3 }, { weightL2: 1e-2 }]);
    const b = build([
      { weightRegularizer: regularizers.l1l2({ l1: 3e-3, l2: 5e-3 }), biasRegularizer: regularizers.l2(1e-3) },
      { kernelRegularizer: "l2" },
    ]);
    const ha = await a.fit(train.x, train.y, { epochs: 5, batchSize: 16, optimizer: new Adam({ learningRate: 0.01 }) });
    const hb = await b.fit(train.x, train.y, { epochs: 5, batchSize: 16, optimizer: new Adam({ learningRate: 0.01 }) });
    expect(hb.history.regLoss).toEqual(ha.history.regLoss);
    a.getWeights().forEach((w, i) => expect(firstBitDifference(b.getWeights()[i], w)).toBe(-1));
    a.free();
    b.free();
  });

  it("analytic gradients of weight, bias and activity regularizers match central differences of the model's loss", () => {
    registered.push("quarticRowsTest");
    const quartic = regularizers.register("quarticRowsTest", ({ k }: { k: number }) => ({
      penalty: (w) => k * w.reduce((a, v) => a + v ** 4, 0), // a sum over elements: over rows too
      sumsOverRows: true, // gradient by finite differences
    }));
    const { x, y } = data(6, 3, 3, 7);
    const model = new Sequential([
      dense(3, 4, 31, {
        weightRegularizer: regularizers.orthogonal({ factor: 0.5, mode: "columns" }),
        activityL2: 0.3,
      }),
      new Tanh(),
      new ActivityRegularization({ l2: 0.2 }),
      dense(4, 3, 32, { biasRegularizer: quartic({ k: 0.1 }), activityRegularizer: quartic({ k: 0.05 }) }),
    ]);
    expect(checkGradients(model, x, y)).toBe(3 * 4 + 4 + 4 * 3 + 3);
    model.free();
  });

  it("L1 activity penalties (outputs kept ≥ 1 away from their kink at 0)", () => {
    const { x, y } = data(5, 2, 3, 8);
    const first = dense(2, 3, 41, { activityL1: 0.2 }, -0.3, 0.3);
    first.biases.view().fill(2); // outputs in [1.4, 2.6]
    const model = new Sequential([
      first,
      new ActivityRegularization({ l1: 0.1 }),
      dense(3, 3, 42, { activityL1: 0.05 }),
    ]);
    model.layers[2].params()[1].value.view().fill(3); // the second layer's outputs: 3 ± 2.6·… stay ≥ 0.5
    expect(checkGradients(model, x, y)).toBe(2 * 3 + 3 + 3 * 3 + 3);
    model.free();
  });

  it("the activity penalty is divided by the batch's rows and independent of chunking (gradients bit for bit)", () => {
    const { x, y } = data(11, 3, 3, 9);
    const make = (chunkRows: number) =>
      new Sequential([dense(3, 5, 51, { activityL2: 0.1, activityL1: 0.02 }), new ReLU(), dense(5, 3, 52)], {
        chunkRows,
      });
    const a = make(2);
    const b = make(64);
    const ea = a.computeGradients(x, y);
    const eb = b.computeGradients(x, y);
    // the penalty's f32 lane sums are formed per chunk: equal to the kernels' 64·2^-24 relative bound
    expect(Math.abs(ea.regLoss - eb.regLoss)).toBeLessThan(64 * 2 ** -24 * eb.regLoss);
    a.params().forEach((p, i) => expect(firstBitDifference(p.grad.view(), b.params()[i].grad.view())).toBe(-1));
    // the penalty is on the Dense output before the ReLU (the ReLU is not fused into a layer with one)
    const first = a.layers[0] as Dense;
    const w = first.weights.view();
    const bias = first.biases.view();
    let ref = 0;
    for (let r = 0; r < 11; r++)
      for (let j = 0; j < 5; j++) {
        let z = bias[j];
        for (let k = 0; k < 3; k++) z += x[r * 3 + k] * w[k * 5 + j];
        ref += 0.1 * z * z + 0.02 * Math.abs(z);
      }
    expect(Math.abs(ea.regLoss - ref / 11)).toBeLessThan(1e-6 * (ref / 11));
    a.free();
    b.free();
  });

  it("options and JSON: every new option survives toJSON/fromJSON, and the copy trains on bit for bit", async () => {
    registered.push("centeredJsonTest");
    const centered = regularizers.register("centeredJsonTest", ({ k }: { k: number }) => ({
      penalty: (w) => k * w.reduce((a, v) => a + v, 0) ** 2,
      gradient: (w, g) => g.fill(2 * k * w.reduce((a, v) => a + v, 0)),
      sumsOverRows: false,
    }));
    const train = spiralData(20, 3, { seed: 5 });
    const model = new Sequential([
      new Dense(2, 8, {
        seed: 3,
        weightRegularizer: centered({ k: 0.01 }),
        biasRegularizer: "l1",
        activityRegularizer: { className: "L1L2", config: { l1: 0.001, l2: 0.002 } },
        weightConstraint: constraints.maxNorm({ maxValue: 1.5 }),
        biasConstraint: "nonNeg",
        l1Method: "proximal",
      }),
      new ReLU(),
      new ActivityRegularization({ l2: 1e-3 }),
      new Dense(8, 3, {
        seed: 4,
        weightL1: 1e-3,
        activityL2: 1e-3,
        kernelConstraint: "unitNorm",
        l1Method: "proximal",
      }),
    ]);
    await model.fit(train.x, train.y, { epochs: 3, optimizer: new SGD({ learningRate: 0.2 }) });
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    expect(json.layers[0]).toMatchObject({
      weightRegularizer: { type: "centeredJsonTest", k: 0.01 },
      biasRegularizer: { type: "l1", l1: 0.01 },
      activityRegularizer: { type: "l1l2", l1: 0.001, l2: 0.002 },
      weightConstraint: { type: "maxNorm", maxValue: 1.5, axis: 0 },
      biasConstraint: { type: "nonNeg" },
      l1Method: "proximal",
    });
    expect(json.layers[3]).toMatchObject({ activityL2: 1e-3, weightConstraint: { type: "unitNorm", axis: 0 } });
    expect(json.layers[3].activityRegularizer).toBeUndefined(); // the shorthand is saved as such
    const copy = Sequential.fromJSON(json);
    expect(copy.toJSON()).toEqual(model.toJSON());
    const fromBytes = Sequential.fromBytes(model.toBytes()); // the binary form carries them too
    expect(fromBytes.toJSON()).toEqual(model.toJSON());
    fromBytes.free();
    await model.fit(train.x, train.y, { epochs: 3 });
    await copy.fit(train.x, train.y, { epochs: 3 });
    model.getWeights().forEach((w, i) => expect(firstBitDifference(copy.getWeights()[i], w)).toBe(-1));
    // a Dense without any of them writes the JSON it wrote before they existed
    expect(Object.keys(new Dense(2, 2, { seed: 0 }).toJSON())).toEqual([
      "type",
      "nIn",
      "nOut",
      "weightL1",
      "weightL2",
      "biasL1",
      "biasL2",
      "convention",
      "weightInit",
      "biasInit",
      "seed",
      "weights",
      "biases",
    ]);
    model.free();
    copy.free();
  });

  it("bad combinations and values are refused before anything is allocated", () => {
    expect(() => new Dense(2, 2, { weightL2: 0.1, weightRegularizer: "l2" })).toThrow(
      "options.weightRegularizer cannot be combined with weightL1/weightL2: give one of them",
    );
    expect(() => new Dense(2, 2, { biasL1: 0.1, biasRegularizer: "l1" })).toThrow(/biasRegularizer cannot be combined/);
    expect(() => new Dense(2, 2, { activityL1: 0.1, activityRegularizer: "l1" })).toThrow(
      /activityRegularizer cannot be combined/,
    );
    expect(() => new Dense(2, 2, { weightRegularizer: "l2", kernelRegularizer: "l2" })).toThrow(
      "options.weightRegularizer and options.kernelRegularizer are the same option: give one of them",
    );
    expect(() => new Dense(2, 2, { weightConstraint: "nonNeg", kernelConstraint: "nonNeg" })).toThrow(
      /weightConstraint and options\.kernelConstraint are the same option/,
    );
    expect(() => new Dense(2, 2, { activityRegularizer: "orthogonal" })).toThrow(
      "options.activityRegularizer must be a penalty that sums over rows (L1, L2, L1L2, or a custom one with sumsOverRows), got 'orthogonal'",
    );
    expect(() => new Dense(2, 2, { biasRegularizer: "orthogonal" })).toThrow(
      "options.biasRegularizer: OrthogonalRegularizer takes a matrix [rows, cols], got a tensor of shape [2]",
    );
    expect(() => new Dense(2, 2, { biasConstraint: constraints.maxNorm({ axis: 1 }) })).toThrow(
      "options.biasConstraint: axis 1 is out of range for a tensor of rank 1 ([n])",
    );
    expect(() => new Dense(2, 2, { weightRegularizer: "l3" })).toThrow(
      /options\.weightRegularizer must name a regularizer/,
    );
    expect(() => new Dense(2, 2, { weightConstraint: "positive" })).toThrow(
      /options\.weightConstraint must name a constraint/,
    );
    expect(() => new Dense(2, 2, { activityL2: -1 })).toThrow(/options\.activityL2 must be a finite number >= 0/);
    expect(() => new Dense(2, 2, { l1Method: "prox" as never })).toThrow(
      "options.l1Method must be 'subgradient' or 'proximal', got string prox",
    );
  });
});

describe("constraints after every update", () => {
  it("the update, then the constraint: bit for bit the unconstrained step projected by the same constraint", async () => {
    const train = spiralData(20, 3, { seed: 6 });
    const weightConstraint = constraints.maxNorm({ maxValue: 0.4 });
    const biasConstraint = constraints.nonNeg();
    const a = new Sequential([new Dense(2, 3, { seed: 9, weightConstraint, biasConstraint })]);
    const b = new Sequential([new Dense(2, 3, { seed: 9 })]);
    await a.fit(train.x, train.y, { epochs: 1, optimizer: new SGD({ learningRate: 0.5, momentum: 0.5 }) });
    await b.fit(train.x, train.y, { epochs: 1, optimizer: new SGD({ learningRate: 0.5, momentum: 0.5 }) });
    const [w, bias] = b.getWeights();
    weightConstraint.apply(w, [2, 3]);
    biasConstraint.apply(bias);
    expect(firstBitDifference(a.getWeights()[0], w)).toBe(-1);
    expect(firstBitDifference(a.getWeights()[1], bias)).toBe(-1);
    // and over many updates the projection holds at every step's end
    await a.fit(train.x, train.y, { epochs: 20, batchSize: 8 });
    const [wa, ba] = a.getWeights();
    for (let j = 0; j < 3; j++) expect(Math.hypot(wa[j], wa[3 + j])).toBeLessThanOrEqual(0.4 + 1e-6);
    expect(ba.every((v) => v >= 0)).toBe(true);
    a.free();
    b.free();
  });
});

describe("weight decay that skips parameters (excludeFromWeightDecay)", () => {
  for (const [name, make] of [
    ["SGD", (o: object) => new SGD({ learningRate: 0.3, ...o })],
    ["Adam", (o: object) => new Adam({ learningRate: 0.05, ...o })],
  ] as [string, (o: object) => Optimizer][]) {
    it(`${name}: excluded biases step as without decay, the weights as with it (bit for bit)`, async () => {
      const train = spiralData(20, 3, { seed: 7 });
      const run = async (options: object) => {
        const model = new Sequential([new Dense(2, 3, { seed: 10, biasInit: "ones" })]);
        await model.fit(train.x, train.y, { epochs: 1, optimizer: make(options) }); // one step: no feedback between them
        const weights = model.getWeights();
        const json = model.toJSON();
        model.free();
        return { weights, json };
      };
      const masked = await run({ weightDecay: 0.2, excludeFromWeightDecay: ["bias"] });
      const decayed = await run({ weightDecay: 0.2 });
      const plain = await run({});
      expect(firstBitDifference(masked.weights[0], decayed.weights[0])).toBe(-1);
      expect(firstBitDifference(masked.weights[1], plain.weights[1])).toBe(-1);
      expect(firstBitDifference(masked.weights[1], decayed.weights[1])).not.toBe(-1);
      expect(masked.json.optimizer!.config.excludeFromWeightDecay).toEqual(["bias"]);
      expect("excludeFromWeightDecay" in decayed.json.optimizer!.config).toBe(false);
      const copy = Sequential.fromJSON(masked.json);
      expect(copy.optimizer!.excludeFromWeightDecay).toEqual(["bias"]);
      copy.free();
    });
  }

  it("bad input", () => {
    expect(() => new SGD({ excludeFromWeightDecay: "biases" as never })).toThrow(
      "options.excludeFromWeightDecay must be an array of non-empty strings (parameter names such as 'biases'), got string biases",
    );
    expect(() => new Adam({ excludeFromWeightDecay: [""] })).toThrow(/must be an array of non-empty strings/);
  });
});

describe("proximal L1 (l1Method: 'proximal')", () => {
  it("one SGD step: the step without the L1 term, then soft-thresholding by lr·λ1 (reference, bit for bit)", async () => {
    const train = spiralData(20, 3, { seed: 8 });
    const lr = 0.5;
    const l1 = 0.05;
    const a = new Sequential([new Dense(2, 4, { seed: 11, weightL1: l1, biasL1: l1, l1Method: "proximal" })]);
    const b = new Sequential([new Dense(2, 4, { seed: 11 })]);
    const before = a.getWeights();
    const ha = await a.fit(train.x, train.y, { epochs: 1, optimizer: new SGD({ learningRate: lr }) });
    await b.fit(train.x, train.y, { epochs: 1, optimizer: new SGD({ learningRate: lr }) });
    // the kernel's rule: |w| − f32(lr·λ1) in f32, kept with w's sign when ≥ 2^-126, else +0
    const t = Math.fround(lr * l1);
    const threshold = (v: number) => {
      const shrunk = Math.fround(Math.abs(v) - t);
      return shrunk >= 2 ** -126 ? Math.sign(v) * shrunk : 0;
    };
    b.getWeights().forEach((w, i) => expect(firstBitDifference(a.getWeights()[i], w.map(threshold))).toBe(-1));
    // the reported penalty still counts λ1·Σ|w| (of the weights before the step)
    const refPenalty = before.reduce((s, w) => s + w.reduce((q, v) => q + l1 * Math.abs(v), 0), 0);
    expect(Math.abs(ha.history.regLoss[0] - refPenalty)).toBeLessThan(1e-6 * refPenalty);
    a.free();
    b.free();
  });

  it("gives exact zeros that the subgradient form does not, reported by sparsity()", async () => {
    const train = spiralData(30, 3, { seed: 9 });
    const run = async (l1Method: "proximal" | "subgradient") => {
      const model = new Sequential([
        new Dense(2, 32, { seed: 12, weightL1: 2e-3, l1Method }),
        new ReLU(),
        new Dense(32, 3, { seed: 13, weightL1: 2e-3, l1Method }),
      ]);
      await model.fit(train.x, train.y, { epochs: 100, batchSize: 30, optimizer: new SGD({ learningRate: 0.5 }) });
      const zeros = model
        .getWeights()
        .filter((_, i) => i % 2 === 0)
        .reduce((n, w) => n + w.filter((v) => v === 0).length, 0);
      const result = { fraction: sparsity(model, "weights"), zeros, all: sparsity(model) };
      model.free();
      return result;
    };
    const proximal = await run("proximal");
    const subgradient = await run("subgradient");
    expect(proximal.fraction).toBe(proximal.zeros / (2 * 32 + 32 * 3));
    expect(proximal.fraction).toBeGreaterThan(0.2);
    expect(subgradient.fraction).toBe(0);
    expect(() => sparsity(3 as never)).toThrow("layerOrModel must be a layer or a model, got number 3");
  });
});

// Central differences of the model's loss (evaluate: data loss + regularization loss, including the
// activity penalties of that forward). Steps of 1e-2 on f32 values; the loss carries ~1e-7 relative
// rounding, ≤ 1e-5 over 2e-2; truncation O(h²) ≈ 1e-4 relative. Tolerance as gradients.test.ts:
// 2e-3 relative + 5e-5; a dropped 1/rows or factor 2 exceeds it by far.
function checkGradients(model: Sequential, x: Float32Array, y: Uint32Array): number {
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
      expect(Math.abs(a - numeric), `param ${k} (${p.name})[${i}]: ${a} vs ${numeric}`).toBeLessThanOrEqual(
        2e-3 * Math.max(Math.abs(a), Math.abs(numeric)) + 5e-5,
      );
      checked++;
    }
  });
  return checked;
}
