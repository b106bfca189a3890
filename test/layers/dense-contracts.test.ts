// Dense's contracts with what it is given: the option names in its errors, the shapes it hands to
// regularizers and constraints (custom ones see them), the activity shorthands each on its own,
// regularizer objects in proximal mode, and Wᵀ transposed once per batch. References: hand values
// (dyadic rationals, exact in f32), computed here from the layer's weights and inputs.
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  Constraint,
  type ConstraintJSON,
  Dense,
  type F32Buffer,
  type F32Data,
  init,
  type Instance,
  L1,
  L1L2,
  Regularizer,
  type RegularizerJSON,
  SGD,
  type Shape,
} from "../../src/index.js";
import { matrixOf, refMatmul, uniform } from "./support.js";

beforeAll(() => init());
afterEach(() => {
  vi.restoreAllMocks();
});

/** A regularizer that records which shapes it is asked about (penalty 0, no gradient). */
class Recording extends Regularizer {
  readonly type = "recording";
  readonly calls: [string, string, number[]][] = [];
  constructor(readonly role: string) {
    super();
  }
  get sumsOverRows(): boolean {
    return true;
  }
  checkShape(name: string, shape: Shape): void {
    this.calls.push(["checkShape", name, [...shape]]);
  }
  penaltyOf(_inst: Instance, _x: F32Data, shape: Shape): number {
    this.calls.push(["penalty", this.role, [...shape]]);
    return 0;
  }
  addGradientOf(_inst: Instance, _grad: F32Data, _x: F32Data, shape: Shape, _scale: number): number {
    this.calls.push(["gradient", this.role, [...shape]]);
    return 0;
  }
  toJSON(): RegularizerJSON {
    return { type: this.type };
  }
}

/** A constraint that records the shape it is checked against (and changes nothing). */
class RecordingConstraint extends Constraint {
  readonly type = "recordingConstraint";
  readonly calls: [string, number[]][] = [];
  checkShape(name: string, shape: Shape): void {
    this.calls.push([name, [...shape]]);
  }
  applyTo(_values: F32Buffer, _shape: Shape): void {}
  toJSON(): ConstraintJSON {
    return { type: this.type };
  }
}

describe("Dense: errors name the option", () => {
  it("activity λ, bias and activity regularizers, bias constraint", () => {
    expect(() => new Dense(2, 2, { activityL1: -1 })).toThrow(/^options\.activityL1 must be a finite number >= 0/);
    // within f32 but 2·λ2 is not: the gradient's bound, named as the option
    expect(() => new Dense(2, 2, { activityL2: 2e38 })).toThrow(/^options\.activityL2 must be at most 1\.7e38/);
    expect(() => new Dense(2, 2, { biasRegularizer: "l3" })).toThrow(
      /^options\.biasRegularizer must name a regularizer/,
    );
    expect(() => new Dense(2, 2, { activityRegularizer: "l3" })).toThrow(
      /^options\.activityRegularizer must name a regularizer/,
    );
    expect(() => new Dense(2, 2, { biasConstraint: "positive" })).toThrow(
      /^options\.biasConstraint must name a constraint/,
    );
  });

  it("a regularizer with either λ of its kind is refused, each λ on its own (not only the pair)", () => {
    for (const kind of ["weight", "bias", "activity"])
      for (const lambda of ["L1", "L2"])
        expect(() => new Dense(2, 2, { [`${kind}${lambda}`]: 0.1, [`${kind}Regularizer`]: "l2" })).toThrow(
          `options.${kind}Regularizer cannot be combined with ${kind}L1/${kind}L2: give one of them`,
        );
  });

  it("a weight regularizer that cannot take the kernel's shape: one input row has no pairs of rows", () => {
    expect(() => new Dense(1, 3, { weightRegularizer: "orthogonal" })).toThrow(
      /^options\.weightRegularizer: OrthogonalRegularizer needs at least 2 rows/,
    );
  });

  it("custom regularizers and constraints are checked against [nIn, nOut] and [nOut], under the option's name", () => {
    const w = new Recording("weights");
    const b = new Recording("biases");
    const wc = new RecordingConstraint();
    const bc = new RecordingConstraint();
    new Dense(3, 2, { weightRegularizer: w, biasRegularizer: b, weightConstraint: wc, biasConstraint: bc }).free();
    expect(w.calls).toEqual([["checkShape", "options.weightRegularizer", [3, 2]]]);
    expect(b.calls).toEqual([["checkShape", "options.biasRegularizer", [2]]]);
    expect(wc.calls).toEqual([["options.weightConstraint", [3, 2]]]);
    expect(bc.calls).toEqual([["options.biasConstraint", [2]]]);
  });
});

describe("Dense: the shapes a regularizer is given", () => {
  it("weights [nIn, nOut], biases [nOut], activities [the chunk's rows, nOut] in forward and backward", () => {
    const w = new Recording("weights");
    const b = new Recording("biases");
    const a = new Recording("activity");
    const d = new Dense(3, 2, { weightRegularizer: w, biasRegularizer: b, activityRegularizer: a, seed: 1 });
    for (const r of [w, b]) r.calls.length = 0; // the constructor's checkShape (tested above)
    const x = uniform(4 * 3, 5);
    // one batch of 4 rows in two chunks, 3 rows then 1
    const chunks = [matrixOf(x.subarray(0, 9), 3, 3), matrixOf(x.subarray(9), 1, 3)];
    d.forward(chunks[0], true, 0, null, 4);
    d.backward(matrixOf(new Float32Array(6), 3, 2), false);
    d.forward(chunks[1], true, 3, null, 4);
    d.backward(matrixOf(new Float32Array(2), 1, 2), false);
    d.finishGradients();
    d.regularizationLoss();
    expect(a.calls).toEqual([
      ["penalty", "activity", [3, 2]],
      ["gradient", "activity", [3, 2]],
      ["penalty", "activity", [1, 2]],
      ["gradient", "activity", [1, 2]],
    ]);
    expect(w.calls).toEqual([
      ["gradient", "weights", [3, 2]],
      ["penalty", "weights", [3, 2]],
    ]);
    expect(b.calls).toEqual([
      ["gradient", "biases", [2]],
      ["penalty", "biases", [2]],
    ]);
    d.free();
  });
});

describe("Dense: activityL1 and activityL2 each on their own", () => {
  // W = [[1, −2], [0.5, 1]], b = [0.25, −0.5], x = [[1, 2], [1, 0]]: z = [[2.25, −0.5], [1.25, −2.5]],
  // Σ|z| = 6.5, Σz² = 13.125; both divided by the batch's 2 rows
  function layer(options: { activityL1?: number; activityL2?: number }): Dense {
    const d = new Dense(2, 2, { ...options, seed: 1 });
    d.weights.view().set([1, -2, 0.5, 1]);
    d.biases.view().set([0.25, -0.5]);
    d.forward(matrixOf([1, 2, 1, 0], 2, 2), true, 0, null, 2);
    d.backward(matrixOf([0, 0, 0, 0], 2, 2), false);
    return d;
  }

  it("activityL1 alone: 0.5·Σ|z| / 2, and db = 0.5/2 · Σ_rows sign(z)", () => {
    const d = layer({ activityL1: 0.5 });
    expect(d.finishGradients()).toBe(1.625);
    expect(d.regularizationLoss()).toBe(1.625);
    expect(Array.from(d.dBiases.view())).toEqual([0.5, -0.5]);
    d.free();
  });

  it("activityL2 alone: 0.25·Σz² / 2, and db = 2·0.25/2 · Σ_rows z", () => {
    const d = layer({ activityL2: 0.25 });
    expect(d.finishGradients()).toBe(1.640625);
    expect(d.regularizationLoss()).toBe(1.640625);
    expect(Array.from(d.dBiases.view())).toEqual([0.875, -0.75]);
    d.free();
  });
});

describe("Dense: proximal L1 from λ options and from regularizer objects", () => {
  // W = [0.125, −1], b = [0.0625], a zero data gradient; λ1 = 0.25, λ2 = 0.5, SGD lr 0.5.
  // The gradient holds only 2λ2·w = [0.125, −1]: w − 0.5·g = [0.0625, −0.5], then soft-thresholding
  // by lr·λ1 = 0.125 gives [0, −0.375]; the bias (λ1 only) 0.0625 → 0. The penalty at the
  // parameters before the step: 0.25·(1.125 + 0.0625) + 0.5·(0.015625 + 1) = 0.8046875.
  it.each([
    ["weightL1/weightL2/biasL1", { weightL1: 0.25, weightL2: 0.5, biasL1: 0.25 }],
    ["L1L2 and L1 objects", { weightRegularizer: new L1L2({ l1: 0.25, l2: 0.5 }), biasRegularizer: new L1(0.25) }],
  ])("%s: one SGD step soft-thresholds, and the penalty counts both terms", (_, options) => {
    const d = new Dense(2, 1, { ...options, l1Method: "proximal", seed: 1 });
    d.weights.view().set([0.125, -1]);
    d.biases.view().set([0.0625]);
    d.forward(matrixOf([0, 0], 1, 2), true);
    d.backward(matrixOf([0], 1, 1), false);
    expect(d.finishGradients()).toBe(0.8046875);
    expect(Array.from(d.dWeights.view())).toEqual([0.125, -1]);
    expect(Array.from(d.dBiases.view())).toEqual([0]);
    new SGD({ learningRate: 0.5 }).step(d.params());
    expect(Array.from(d.weights.view())).toEqual([0, -0.375]);
    expect(Array.from(d.biases.view())).toEqual([0]);
    d.free();
  });

  it("params(): the objects' λ go to the kernels; only a parameter with an L1 term is marked proximal", () => {
    const summary = (d: Dense) => d.params().map((p) => [p.name, p.l1, p.l2, p.regularizer, p.proximal]);
    const objects = new Dense(2, 1, { weightRegularizer: new L1L2({ l1: 0.25, l2: 0.5 }), l1Method: "proximal" });
    const weightsOnly = new Dense(2, 1, { weightL1: 0.25, l1Method: "proximal" });
    const subgradient = new Dense(2, 1, { weightL1: 0.25, biasL1: 0.25 });
    expect(summary(objects)).toEqual([
      ["weights", 0.25, 0.5, null, true],
      ["biases", 0, 0, null, false],
    ]);
    expect(summary(weightsOnly)).toEqual([
      ["weights", 0.25, 0, null, true],
      ["biases", 0, 0, null, false],
    ]);
    expect(summary(subgradient)).toEqual([
      ["weights", 0.25, 0, null, false],
      ["biases", 0.25, 0, null, false],
    ]);
    for (const d of [objects, weightsOnly, subgradient]) d.free();
  });
});

describe("Dense: Wᵀ", () => {
  it("a narrow layer transposes W once per batch, for every chunk's forward and dX; again after W changes", () => {
    // 20 → 3: the forward's dot form and dX's row form both read Wᵀ
    const nIn = 20,
      nOut = 3;
    const d = new Dense(nIn, nOut, { seed: 2 });
    const inst = d.instance;
    const run = vi.spyOn(inst, "run");
    const transposesOfW = () =>
      run.mock.calls.filter(([kernel, parts]) => kernel === "transpose" && parts[0][1] === d.weights.ptr).length;
    const x = uniform(5 * nIn, 7);
    const batch = () => {
      d.forward(matrixOf(x.subarray(0, 3 * nIn), 3, nIn), true, 0, null, 5);
      d.backward(matrixOf(uniform(3 * nOut, 8), 3, nOut), true);
      d.forward(matrixOf(x.subarray(3 * nIn), 2, nIn), true, 3, null, 5);
      d.backward(matrixOf(uniform(2 * nOut, 9), 2, nOut), true);
      d.finishGradients();
    };
    batch();
    expect(transposesOfW()).toBe(1);
    // new weights: the next batch uses them, through a new Wᵀ
    const w = uniform(nIn * nOut, 10);
    d.weights.view().set(w);
    const out = d.forward(matrixOf(x.subarray(0, 3 * nIn), 3, nIn), true, 0, null, 3);
    expect(transposesOfW()).toBe(2);
    const want = refMatmul(x.subarray(0, 3 * nIn), w, 3, nIn, nOut, d.biases.view());
    // f32 sums of 20 products of values in [−1, 1]
    Array.from(out.data.view()).forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
    d.free();
  });
});
