// SoftmaxCrossEntropy on its own, against the float64 reference of the kernel suites: running sums
// over chunks, the gradient scaled by the batch's rows, a move to another instance, and free().
import { beforeAll, describe, expect, it } from "vitest";
import {
  allocF32,
  allocU32,
  init,
  type Instance,
  instantiate,
  lossRegistry,
  SoftmaxCrossEntropy,
} from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { refSoftmaxCrossEntropy } from "../kernels/support/layer-reference.js";
import { uniform } from "./support.js";

let other: Instance;
beforeAll(async () => {
  await init();
  other = await instantiate();
});

function matrix(values: ArrayLike<number>, rows: number, cols: number, inst: Instance = defaultInstance()): Matrix {
  const buf = allocF32(rows * cols, inst);
  buf.view().set(values);
  return new Matrix(buf, rows, cols);
}

function labelsOf(values: number[], inst: Instance = defaultInstance()) {
  const buf = allocU32(values.length, inst);
  buf.view().set(values);
  return buf;
}

const rows = 6,
  cols = 4;
const z = uniform(rows * cols, 31, -3, 3);
const y = [0, 3, 1, 2, 2, 0];

describe("SoftmaxCrossEntropy", () => {
  it("is registered under its type and saves only that", () => {
    expect(lossRegistry.types).toEqual([
      "softmax-crossentropy",
      "binary-crossentropy",
      "mean-squared-error",
      "mean-absolute-error",
    ]);
    expect(new SoftmaxCrossEntropy().toJSON()).toEqual({ type: "softmax-crossentropy" });
    expect(lossRegistry.fromJSON({ type: "softmax-crossentropy" }, "json.loss")).toBeInstanceOf(SoftmaxCrossEntropy);
    expect(() => lossRegistry.fromJSON({ type: "softmax-crossentropy", from_logits: true }, "json.loss")).toThrow(
      /^json\.loss: json\.from_logits is not a known option; the options are type, labelSmoothing$/,
    );
  });

  it("sums are 0 before anything is accumulated", () => {
    expect(new SoftmaxCrossEntropy().sums()).toEqual({ lossSum: 0, correct: 0 });
  });

  it("accumulates a batch given in two chunks; the gradient is (p − onehot) / batch rows", () => {
    const loss = new SoftmaxCrossEntropy();
    const want = refSoftmaxCrossEntropy(z, y, rows, cols, 1 / rows);
    loss.resetSums();
    const labels = labelsOf(y);
    const first = loss.accumulate(matrix(z.subarray(0, 4 * cols), 4, cols), labels, 0, true, rows)!;
    Array.from(first.data.view()).forEach((v, i) => expect(v).toBeCloseTo(want.dz[i], 6));
    const second = loss.accumulate(matrix(z.subarray(4 * cols), 2, cols), labels, 4, true, rows)!;
    Array.from(second.data.view()).forEach((v, i) => expect(v).toBeCloseTo(want.dz[4 * cols + i], 6));
    const sums = loss.sums();
    // f32 probabilities, logged in f64: 1e-5 of a loss sum of ~6
    expect(sums.lossSum).toBeCloseTo(want.loss, 5);
    expect(sums.correct).toBe(want.correct);
    // without a gradient: sums only; batchRows defaults to the chunk's rows
    expect(loss.accumulate(matrix(z, rows, cols), labels, 0, false)).toBeNull();
    expect(loss.sums().correct).toBe(2 * want.correct);
    loss.resetSums();
    const whole = loss.accumulate(matrix(z, rows, cols), labels, 0, true)!;
    Array.from(whole.data.view()).forEach((v, i) => expect(v).toBeCloseTo(want.dz[i], 6));
    expect(loss.sums().lossSum).toBeCloseTo(want.loss, 5);
    loss.free();
  });

  it("probabilities() writes the softmax of each row", () => {
    const loss = new SoftmaxCrossEntropy();
    const want = refSoftmaxCrossEntropy(z, y, rows, cols, 1);
    const out = matrix(new Float32Array(rows * cols), rows, cols);
    loss.probabilities(out, matrix(z, rows, cols));
    Array.from(out.data.view()).forEach((v, i) => expect(v).toBeCloseTo(want.probs[i], 6));
  });

  it("takes logits of another width (a loss moved to another model): the gradient has that width", () => {
    const loss = new SoftmaxCrossEntropy();
    loss.accumulate(matrix(z, rows, cols), labelsOf(y), 0, true);
    const narrow = new Float32Array(rows * 3); // all logits 0: p = 1/3 everywhere
    const labels = y.map((v) => v % 3);
    const d = loss.accumulate(matrix(narrow, rows, 3), labelsOf(labels), 0, true)!;
    expect([d.rows, d.cols]).toEqual([rows, 3]);
    const got = d.data.view();
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < 3; c++) expect(got[r * 3 + c]).toBeCloseTo((1 / 3 - (c === labels[r] ? 1 : 0)) / rows, 7);
    loss.free();
  });

  it("follows its logits to another instance, with fresh sums there, and frees everything", () => {
    const live = () => [defaultInstance().heap.allocations, other.heap.allocations];
    const loss = new SoftmaxCrossEntropy();
    const want = refSoftmaxCrossEntropy(z, y, rows, cols, 1 / rows);
    const inputs = [matrix(z, rows, cols), labelsOf(y), matrix(z, rows, cols, other), labelsOf(y, other)] as const;
    const before = live();
    loss.accumulate(inputs[0], inputs[1], 0, true);
    expect(loss.sums().correct).toBe(want.correct);
    const dz = loss.accumulate(inputs[2], inputs[3], 0, true)!;
    expect(dz.instance).toBe(other);
    expect(loss.sums().correct).toBe(want.correct); // not 2×: the sums live with the instance
    Array.from(dz.data.view()).forEach((v, i) => expect(v).toBeCloseTo(want.dz[i], 6));
    expect(live()).toEqual([before[0], before[1] + 2]); // accumulator + one gradient buffer
    loss.free();
    expect(live()).toEqual(before);
    expect(loss.sums()).toEqual({ lossSum: 0, correct: 0 });
  });
});
