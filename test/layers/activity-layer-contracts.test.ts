// The ActivityRegularization layer's contracts: λ1·Σ|x| + λ2·Σx² of its input, divided by the
// batch's rows (README: "divided by the batch's rows as Keras"), summed over every chunk of a batch;
// its backward's refusals; the option names in its errors; its instance and free(). (The shape it hands its L1L2 reaches nothing public: L1L2's penalty is
// per element.) References: hand
// values on dyadic inputs (exact in f32), worked out in the comments.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ActivityRegularization, init } from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import type { Matrix } from "../../src/wasm/matrix.js";
import { matrixOf } from "./support.js";

beforeAll(() => init());
const made: Matrix[] = [];
afterEach(() => {
  for (const m of made.splice(0)) m.data.free();
});

function matrix(values: ArrayLike<number>, rows: number, cols: number): Matrix {
  const m = matrixOf(values, rows, cols);
  made.push(m);
  return m;
}

const values = (m: Matrix) => Array.from(m.data.view());

// A batch of 4 rows × 2 cols in two chunks of 2 rows, λ1 = 0.5, λ2 = 0.25:
//   chunk A [1, -2, 0.5, 3]:  Σ|x| 6.5, Σx² 14.25 → 0.5·6.5 + 0.25·14.25 = 6.8125
//   chunk B [-1, 0, 2, -0.5]: Σ|x| 3.5, Σx² 5.25  → 0.5·3.5 + 0.25·5.25  = 3.0625
//   batch: 9.875, divided by its 4 rows = 2.46875
const chunkA = [1, -2, 0.5, 3];
const chunkB = [-1, 0, 2, -0.5];

describe("ActivityRegularization: the penalty of a batch", () => {
  it("sums over every chunk of the batch, divided by the batch's rows; a new batch starts at row 0", () => {
    const layer = new ActivityRegularization({ l1: 0.5, l2: 0.25 });
    const a = matrix(chunkA, 2, 2);
    const b = matrix(chunkB, 2, 2);
    expect(layer.forward(a, true, 0, null, 4)).toBe(a); // the identity
    expect(layer.forward(b, true, 2, null, 4)).toBe(b);
    expect(layer.regularizationLoss()).toBe(2.46875);
    expect(layer.finishGradients()).toBe(2.46875);
    // the whole batch in one chunk: the same
    const whole = new ActivityRegularization({ l1: 0.5, l2: 0.25 });
    whole.forward(matrix([...chunkA, ...chunkB], 4, 2), true);
    expect(whole.finishGradients()).toBe(2.46875);
    // a new batch (row 0) of chunk B alone, 2 rows: 3.0625 / 2
    layer.forward(b, true, 0, null, 2);
    expect(layer.finishGradients()).toBe(1.53125);
  });

  it("backward: dInput = dOutput + (λ1·sign(x) + 2λ2·x)/(the batch's rows), sign(0) = +1, in place", () => {
    const layer = new ActivityRegularization({ l1: 0.5, l2: 0.25 });
    layer.forward(matrix(chunkA, 2, 2), true, 0, null, 4);
    layer.forward(matrix(chunkB, 2, 2), true, 2, null, 4);
    // chunk B: 0.5·[-1, 1, 1, -1] + 0.5·[-1, 0, 2, -0.5] = [-1, 0.5, 1.5, -0.75]; / 4; + 1
    const d = matrix([1, 1, 1, 1], 2, 2);
    expect(layer.backward(d, true)).toBe(d);
    expect(values(d)).toEqual([0.75, 1.125, 1.375, 0.8125]);
  });
});

describe("ActivityRegularization: backward's refusals", () => {
  it("refuses a backward before any forward, naming the layer", () => {
    const layer = new ActivityRegularization({ l1: 0.5 });
    expect(() => layer.backward(matrix([1], 1, 1), true)).toThrow(
      /^ActivityRegularization\.backward\(\) called before forward\(\)$/,
    );
  });

  it("refuses a dOutput whose rows or whose columns differ from the input's, either alone", () => {
    const layer = new ActivityRegularization({ l1: 0.5, l2: 0.25 });
    layer.forward(matrix([1, 2, 3, 4, 5, 6], 2, 3), true);
    const rows = matrix(new Float32Array(9), 3, 3);
    expect(() => layer.backward(rows, true)).toThrow(/^dOutput must be 2 × 3, got 3 × 3$/);
    const cols = matrix(new Float32Array(8), 2, 4);
    expect(() => layer.backward(cols, true)).toThrow(/^dOutput must be 2 × 3, got 2 × 4$/);
    // refused before anything is written
    expect(values(rows)).toEqual(Array(9).fill(0));
    expect(values(cols)).toEqual(Array(8).fill(0));
  });

  it("no input gradient asked: null, and dOutput left as it was", () => {
    const layer = new ActivityRegularization({ l1: 0.5, l2: 0.25 });
    layer.forward(matrix([1, -2, 3, -4], 2, 2), true);
    const d = matrix([0.5, 0.5, 0.5, 0.5], 2, 2);
    expect(layer.backward(d, false)).toBeNull();
    expect(values(d)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });
});

describe("ActivityRegularization: errors name the option", () => {
  it("an l2 whose 2·l2 overflows f32 is named as the constructor's option", () => {
    expect(() => new ActivityRegularization({ l2: 2e38 })).toThrow(/^options\.l2 must be at most 1\.7e38/);
  });

  it("fromJSON names its argument json", () => {
    expect(() => ActivityRegularization.fromJSON({ type: "activity-regularization", l1: -1 })).toThrow(
      /^json\.l1 must be a finite number >= 0/,
    );
    expect(() => ActivityRegularization.fromJSON({ type: "activity-regularization", l3: 1 })).toThrow(
      /^json\.l3 is not a known option/,
    );
  });
});

describe("ActivityRegularization: instance and free()", () => {
  it("no instance until its first forward, then the input's", () => {
    const layer = new ActivityRegularization({ l1: 0.5 });
    expect(layer.instance).toBeNull();
    layer.forward(matrix([1, 2], 1, 2), true);
    expect(layer.instance).toBe(defaultInstance());
  });

  it("holds no memory; free() forgets the input (the layer before's), so a backward after it is refused", () => {
    const live = () => defaultInstance().heap.allocations;
    const x = matrix([1, -2, 3, -4], 2, 2);
    const d = matrix([1, 1, 1, 1], 2, 2);
    const before = live();
    const layer = new ActivityRegularization({ l1: 0.5, l2: 0.25 });
    layer.forward(x, true);
    expect(live()).toBe(before);
    layer.free();
    expect(live()).toBe(before);
    expect(() => layer.backward(d, true)).toThrow(/^ActivityRegularization\.backward\(\) called before forward\(\)$/);
    expect(values(d)).toEqual([1, 1, 1, 1]);
  });
});
