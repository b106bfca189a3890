// BinaryCrossEntropy, MeanSquaredError and MeanAbsoluteError on their own, against the float64
// references of the kernel suites: running sums over chunks, the gradient scaled by the batch's rows,
// accuracy (binary, over all outputs) or none, the targets they take and refuse, their JSON through
// the loss registry, a move to another instance, and free().
import { beforeAll, describe, expect, it } from "vitest";
import {
  allocF32,
  allocU32,
  BinaryCrossEntropy,
  init,
  type Instance,
  instantiate,
  type Loss,
  lossRegistry,
  MeanAbsoluteError,
  MeanSquaredError,
} from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { refValueLoss, type ValueLossName } from "../kernels/support/activation-reference.js";
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

function f32(values: ArrayLike<number>, inst: Instance = defaultInstance()) {
  const buf = allocF32(values.length, inst);
  buf.view().set(values);
  return buf;
}

const LOSSES: [string, () => Loss, ValueLossName, string][] = [
  ["BinaryCrossEntropy", () => new BinaryCrossEntropy(), "binaryCrossEntropy", "binary-crossentropy"],
  ["MeanSquaredError", () => new MeanSquaredError(), "meanSquaredError", "mean-squared-error"],
  ["MeanAbsoluteError", () => new MeanAbsoluteError(), "meanAbsoluteError", "mean-absolute-error"],
];

const rows = 6,
  cols = 3;

describe.each(LOSSES)("%s", (_, make, kernel, type) => {
  const bce = kernel === "binaryCrossEntropy";
  const p = uniform(rows * cols, 51, bce ? 0.02 : -2, bce ? 0.98 : 2);
  const y = Float32Array.from(uniform(rows * cols, 52, bce ? 0 : -2, bce ? 1 : 2), (v, i) =>
    bce && i % 2 ? Math.round(v) : v,
  );

  it("takes value targets; BCE's must lie in [0, 1]", () => {
    const loss = make();
    expect(loss.targetKind).toBe("values");
    expect(loss.targetRange).toEqual(bce ? [0, 1] : null);
  });

  it("accumulates a batch in two chunks: sums and gradient (of the mean over rows) against float64", () => {
    const loss = make();
    const want = refValueLoss(kernel, p, y, rows, cols, 1 / rows);
    const targets = f32(y);
    loss.resetSums();
    const first = loss.accumulate(matrix(p.subarray(0, 4 * cols), 4, cols), targets, 0, true, rows)!;
    const firstGrad = first.toArray();
    const second = loss.accumulate(matrix(p.subarray(4 * cols), 2, cols), targets, 4, true, rows)!;
    const grad = [...firstGrad, ...second.toArray()];
    // one f32 rounding of each float64 gradient
    grad.forEach((v, i) => expect(Math.abs(v - want.dp[i])).toBeLessThanOrEqual(2 ** -24 * Math.abs(want.dp[i])));
    const sums = loss.sums();
    expect(Math.abs(sums.lossSum - want.loss)).toBeLessThanOrEqual(1e-12 * want.loss);
    // accuracy = correct / rows: BCE's outputs predicted right over all outputs; none for regression
    if (bce) expect(sums.correct).toBe(want.hits / cols);
    else expect(sums.correct).toBeNaN();
    // in one piece, batchRows defaulting to the chunk's rows: the same bits
    loss.resetSums();
    const whole = loss.accumulate(matrix(p, rows, cols), targets, 0, true)!;
    expect(whole.toArray()).toEqual(Float32Array.from(grad));
    expect(loss.sums().lossSum).toBe(sums.lossSum);
    // without a gradient: sums only
    expect(loss.accumulate(matrix(p, rows, cols), targets, 0, false)).toBeNull();
    expect(loss.sums().lossSum).toBe(2 * sums.lossSum);
    loss.free();
  });

  it("sums are 0 before anything is accumulated; predictions are the output itself", () => {
    const loss = make();
    const { lossSum, correct } = loss.sums();
    expect(lossSum).toBe(0);
    expect(bce ? correct === 0 : Number.isNaN(correct)).toBe(true);
    const out = matrix(new Float32Array(rows * cols), rows, cols);
    const output = matrix(p, rows, cols);
    loss.probabilities(out, output);
    expect(out.toArray()).toEqual(p);
    loss.probabilities(output, output); // in place: unchanged
    expect(output.toArray()).toEqual(p);
  });

  it("refuses targets of the wrong kind, instance or length before the kernel runs", () => {
    const loss = make();
    const output = matrix(p, rows, cols);
    expect(() => loss.accumulate(output, allocU32(rows * cols), 0, true)).toThrow(
      /^targets must be an F32Buffer of the output's instance, got a U32Buffer/,
    );
    expect(() => loss.accumulate(output, f32(y, other), 0, true)).toThrow(TypeError);
    expect(() => loss.accumulate(output, f32(y.subarray(1)), 0, true)).toThrow(
      /^targets must hold \(targetRow \+ 6\) × 3 = 18 values, got 17$/,
    );
    expect(() => loss.accumulate(output, f32(y), 1, true)).toThrow(
      /^targets must hold \(targetRow \+ 6\) × 3 = 21 values, got 18$/,
    );
    expect(loss.sums().lossSum).toBe(0); // nothing accumulated
  });

  it("round-trips through the loss registry, which refuses unknown keys", () => {
    const loss = make();
    expect(loss.toJSON()).toEqual({ type });
    expect(lossRegistry.fromJSON(JSON.parse(JSON.stringify(loss.toJSON())), "json.loss")).toBeInstanceOf(
      loss.constructor,
    );
    const options = type === "binary-crossentropy" ? "type, labelSmoothing" : "type";
    expect(() => lossRegistry.fromJSON({ type, fromLogits: true }, "json.loss")).toThrow(
      `json.loss: json.fromLogits is not a known option; the options are ${options}`,
    );
  });

  it("follows its output to another instance and another width, with fresh sums, and frees everything", () => {
    const live = () => [defaultInstance().heap.allocations, other.heap.allocations];
    const loss = make();
    const want = refValueLoss(kernel, p, y, rows, cols, 1 / rows);
    const inputs = [matrix(p, rows, cols), f32(y), matrix(p, rows, cols, other), f32(y, other)] as const;
    const before = live();
    loss.accumulate(inputs[0], inputs[1], 0, true);
    const d = loss.accumulate(inputs[2], inputs[3], 0, true)!;
    expect(d.instance).toBe(other);
    expect(Math.abs(loss.sums().lossSum - want.loss)).toBeLessThanOrEqual(1e-12 * want.loss); // not 2×
    expect(live()).toEqual([before[0], before[1] + 2]); // accumulator + one gradient buffer
    // another width (rows × cols read as (rows·cols) × 1)
    const narrow = loss.accumulate(new Matrix(inputs[2].data, rows * cols, 1), inputs[3], 0, true)!;
    expect([narrow.rows, narrow.cols]).toEqual([rows * cols, 1]);
    loss.free();
    expect(live()).toEqual(before);
  });
});
