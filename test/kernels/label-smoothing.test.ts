// Label smoothing in SoftmaxCrossEntropy and BinaryCrossEntropy (assembly/label-smoothing.ts):
// losses and gradients against float64 references of Keras's formulas (targets (1 − ε)·onehot +
// ε/classes and (1 − ε)·y + ε/2, probabilities clipped to [1e-7, 1 − 1e-7] as Keras does without
// from_logits), the inputs of Keras's own tests, chunking, both builds bit for bit, JSON and bad input.
//
// Ported: keras/losses_test.py (tf.keras) CategoricalCrossentropyTest.test_label_smoothing and
// BinaryCrossentropyTest.test_label_smoothing (logits [100, −100, −100]); their expected values
// assume from_logits=True, which does not clip, so the clipped value is derived in the test.
import { beforeAll, describe, expect, it } from "vitest";
import { allocU32, BinaryCrossEntropy, type Instance, lossRegistry, SoftmaxCrossEntropy } from "../../src/index.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds, onBoth, put } from "./support/builds.js";
import { uniformF32 } from "./support/data.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

const CLIP = 1e-7;
const clipLog = (p: number) => Math.log(Math.min(Math.max(p, CLIP), 1 - CLIP));

/** Keras's categorical cross-entropy with label smoothing in float64: mean loss and dLoss/dlogits. */
function refSoftmax(z: Float32Array, labels: Uint32Array, rows: number, n: number, eps: number) {
  let loss = 0;
  const grad = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) {
    const row = Array.from(z.subarray(i * n, (i + 1) * n));
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    for (let j = 0; j < n; j++) {
      const t = (j === labels[i] ? 1 - eps : 0) + eps / n;
      loss -= t * clipLog(e[j] / sum);
      grad[i * n + j] = (e[j] / sum - t) / rows;
    }
  }
  return { loss: loss / rows, grad };
}

/** Keras's binary cross-entropy (from probabilities) with label smoothing in float64. */
function refBinary(p: Float32Array, y: Float32Array, rows: number, n: number, eps: number) {
  let loss = 0;
  const grad = new Float64Array(rows * n);
  for (let k = 0; k < rows * n; k++) {
    const t = (1 - eps) * y[k] + 0.5 * eps;
    const q = Math.min(Math.max(p[k], CLIP), 1 - CLIP);
    loss -= t * Math.log(q) + (1 - t) * Math.log(1 - q);
    grad[k] = -(t / q - (1 - t) / (1 - q)) / n / rows;
  }
  return { loss: loss / (rows * n), grad };
}

/** dLoss/dx of the batch x (rows × n) fed to `accumulate` in chunks of `chunk` rows, as a training loop does. */
function gradInChunks(
  inst: Instance,
  loss: SoftmaxCrossEntropy | BinaryCrossEntropy,
  x: Float32Array,
  targets: Parameters<SoftmaxCrossEntropy["accumulate"]>[1],
  rows: number,
  n: number,
  chunk: number,
): Float32Array {
  const grad = new Float32Array(rows * n);
  loss.resetSums();
  for (let r = 0; r < rows; r += chunk) {
    const m = Math.min(chunk, rows - r);
    const part = new Matrix(put(inst, x.subarray(r * n, (r + m) * n)), m, n);
    grad.set(loss.accumulate(part, targets, r, true, rows)!.data.view(), r * n);
    part.data.free();
  }
  return grad;
}

function softmaxRun(
  inst: Instance,
  z: Float32Array,
  labels: Uint32Array,
  rows: number,
  n: number,
  eps: number,
  chunk = rows,
) {
  const loss = new SoftmaxCrossEntropy({ labelSmoothing: eps });
  const y = allocU32(rows, inst);
  y.view().set(labels);
  const grad = gradInChunks(inst, loss, z, y, rows, n, chunk);
  const sums = loss.sums();
  loss.free();
  y.free();
  return { grad, ...sums };
}

function binaryRun(
  inst: Instance,
  p: Float32Array,
  y: Float32Array,
  rows: number,
  n: number,
  eps: number,
  chunk = rows,
) {
  const loss = new BinaryCrossEntropy({ labelSmoothing: eps });
  const targets = put(inst, y);
  const grad = gradInChunks(inst, loss, p, targets, rows, n, chunk);
  const sums = loss.sums();
  loss.free();
  targets.free();
  return { grad, ...sums };
}

const expectClose = (actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number) => {
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i] - expected[i]), `[${i}]`).toBeLessThanOrEqual(rel * Math.abs(expected[i]) + 1e-12);
};

describe("SoftmaxCrossEntropy({ labelSmoothing })", () => {
  const rows = 9;
  const n = 4;
  const z = uniformF32(rows * n, 21, -3, 3);
  const labels = Uint32Array.from({ length: rows }, (_, i) => (i * 3) % n);

  for (const eps of [0.1, 0.35, 1]) {
    it(`ε = ${eps}: loss and gradient as Keras's formula (f64 terms, f32 gradient: 2^-24 relative), both builds bit for bit`, () => {
      const ref = refSoftmax(z, labels, rows, n, eps);
      const grad = onBoth(builds, (inst) => softmaxRun(inst, z, labels, rows, n, eps).grad);
      const { lossSum, correct } = softmaxRun(builds.tested, z, labels, rows, n, eps);
      expect(Math.abs(lossSum / rows - ref.loss)).toBeLessThan(1e-12 * ref.loss);
      expectClose(grad, ref.grad, 2 ** -24);
      // accuracy compares the arg-max with the labels themselves
      const argmax = Array.from({ length: rows }, (_, i) => {
        const row = Array.from(z.subarray(i * n, (i + 1) * n));
        return row.indexOf(Math.max(...row));
      });
      expect(correct).toBe(argmax.filter((a, i) => a === labels[i]).length);
    });
  }

  it("row chunks give the same sums and gradient, bit for bit", () => {
    const whole = softmaxRun(builds.tested, z, labels, rows, n, 0.2);
    const chunked = softmaxRun(builds.tested, z, labels, rows, n, 0.2, 2);
    expect(chunked.lossSum).toBe(whole.lossSum);
    expect(chunked.grad).toEqual(whole.grad);
  });

  it("keras test_label_smoothing (logits [100, −100, −100], label 0, L = 0.1): 400·L/n with 200 → −ln 1e-7 (the clip)", () => {
    const { lossSum } = softmaxRun(builds.tested, new Float32Array([100, -100, -100]), new Uint32Array([0]), 1, 3, 0.1);
    // Keras's derivation: −(1 − L + L/n)·log q0 + (L/n)·(−log q1) + (L/n)·(−log q2); q1 = q2 clipped to 1e-7
    const expected = 2 * (0.1 / 3) * -Math.log(1e-7) - (1 - 0.1 + 0.1 / 3) * Math.log(1 - 1e-7);
    expect(Math.abs(lossSum - expected)).toBeLessThan(1e-12 * expected);
  });
});

describe("BinaryCrossEntropy({ labelSmoothing })", () => {
  const rows = 6;
  const n = 3;
  const p = uniformF32(rows * n, 22, 0.01, 0.99);
  const y = Float32Array.from(uniformF32(rows * n, 23, 0, 1), (v, i) => (i % 4 ? Math.round(v) : v));

  for (const eps of [0.1, 0.5]) {
    it(`ε = ${eps}: loss and gradient as Keras's formula, both builds bit for bit, accuracy against the unsmoothed y`, () => {
      const ref = refBinary(p, y, rows, n, eps);
      const grad = onBoth(builds, (inst) => binaryRun(inst, p, y, rows, n, eps).grad);
      const { lossSum, correct } = binaryRun(builds.tested, p, y, rows, n, eps);
      expect(Math.abs(lossSum / rows - ref.loss)).toBeLessThan(1e-12 * ref.loss);
      expectClose(grad, ref.grad, 2 ** -24);
      const hits = Array.from(p).filter((v, k) => (v > 0.5 ? 1 : 0) === y[k]).length;
      expect(correct * n).toBeCloseTo(hits, 9); // sums().correct: Σ over rows of the fraction right
    });
  }

  // soft targets, different in every row: a chunk reading another row's targets shows
  it.each([1, 2, 4])(
    "chunks of %i rows: the sums and gradient of one call, bit for bit, and Keras's formula",
    (chunk) => {
      const [rows, n] = [11, 3];
      const p = uniformF32(rows * n, 41, 0.01, 0.99);
      const y = uniformF32(rows * n, 42, 0, 1);
      const ref = refBinary(p, y, rows, n, 0.2);
      for (const inst of [builds.tested, builds.other]) {
        const whole = binaryRun(inst, p, y, rows, n, 0.2);
        const parts = binaryRun(inst, p, y, rows, n, 0.2, chunk);
        expect(describeDifference(parts.grad, whole.grad), inst.build).toBe("identical");
        expect(parts.lossSum).toBe(whole.lossSum);
        expect(Math.abs(parts.lossSum / rows - ref.loss)).toBeLessThan(1e-12 * ref.loss);
        for (let k = 0; k < rows * n; k++)
          expect(Math.abs(parts.grad[k] - ref.grad[k]), `[${k}]`).toBeLessThanOrEqual(2 ** -24 * Math.abs(ref.grad[k]));
      }
    },
  );

  it("keras test_label_smoothing (y [1, 0, 1], logits [100, −100, −100] as sigmoid outputs, L = 0.1), clipped", () => {
    const probs = new Float32Array([1 / (1 + Math.exp(-100)), 1 / (1 + Math.exp(100)), 1 / (1 + Math.exp(100))]);
    const { lossSum } = binaryRun(builds.tested, probs, new Float32Array([1, 0, 1]), 1, 3, 0.1);
    // targets 0.95, 0.05, 0.95 against q = 1 − 1e-7, 1e-7, 1e-7
    const bce = (t: number, q: number) => -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
    const expected = (bce(0.95, 1 - 1e-7) + bce(0.05, 1e-7) + bce(0.95, 1e-7)) / 3;
    expect(Math.abs(lossSum - expected)).toBeLessThan(1e-12 * expected);
  });
});

describe("JSON and bad input", () => {
  it("labelSmoothing round-trips; 0 writes the JSON from before it existed", () => {
    expect(new SoftmaxCrossEntropy().toJSON()).toEqual({ type: "softmax-crossentropy" });
    expect(new BinaryCrossEntropy({ labelSmoothing: 0 }).toJSON()).toEqual({ type: "binary-crossentropy" });
    for (const loss of [
      new SoftmaxCrossEntropy({ labelSmoothing: 0.1 }),
      new BinaryCrossEntropy({ labelSmoothing: 0.2 }),
    ]) {
      const copy = lossRegistry.fromJSON(JSON.parse(JSON.stringify(loss.toJSON())), "json") as SoftmaxCrossEntropy;
      expect(copy.constructor).toBe(loss.constructor);
      expect(copy.labelSmoothing).toBe(loss.labelSmoothing);
    }
  });

  it("ε outside [0, 1], not a number, or an unknown option", () => {
    for (const make of [(o: object) => new SoftmaxCrossEntropy(o), (o: object) => new BinaryCrossEntropy(o)]) {
      expect(() => make({ labelSmoothing: -0.1 })).toThrow("options.labelSmoothing must be in [0, 1], got number -0.1");
      expect(() => make({ labelSmoothing: 1.5 })).toThrow(RangeError);
      expect(() => make({ labelSmoothing: Number.NaN })).toThrow(RangeError);
      expect(() => make({ labelSmoothing: "0.1" })).toThrow("options.labelSmoothing must be in [0, 1], got string 0.1");
      expect(() => make({ label_smoothing: 0.1 })).toThrow(/options\.label_smoothing is not a known option/);
    }
  });
});
