// BinaryCrossEntropy({ labelSmoothing }) fed a batch in row chunks, as a training loop does: each
// chunk reads its own rows of the targets (targetRow), so the sums and gradient are those of one call
// and of Keras's formula. Runtime-neutral (no node:* imports).
import { beforeAll, describe, expect, it } from "vitest";
import { BinaryCrossEntropy, type Instance } from "../../src/index.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds, put } from "./support/builds.js";
import { uniformF32 } from "./support/data.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

const CLIP = 1e-7;

/** Keras's binary cross-entropy (from probabilities) with label smoothing in float64: Σ row losses, dLoss/dp. */
function refBinary(p: Float32Array, y: Float32Array, rows: number, n: number, eps: number) {
  let lossSum = 0;
  const grad = new Float64Array(rows * n);
  for (let k = 0; k < rows * n; k++) {
    const t = (1 - eps) * y[k] + 0.5 * eps;
    const q = Math.min(Math.max(p[k], CLIP), 1 - CLIP);
    lossSum -= (t * Math.log(q) + (1 - t) * Math.log(1 - q)) / n;
    grad[k] = -(t / q - (1 - t) / (1 - q)) / n / rows;
  }
  return { lossSum, grad };
}

/** The whole batch through `accumulate` in chunks of `chunk` rows, the targets in one buffer. */
function chunked(inst: Instance, p: Float32Array, y: Float32Array, rows: number, n: number, chunk: number) {
  const loss = new BinaryCrossEntropy({ labelSmoothing: 0.2 });
  const targets = put(inst, y);
  const grad = new Float32Array(rows * n);
  loss.resetSums();
  for (let r = 0; r < rows; r += chunk) {
    const m = Math.min(chunk, rows - r);
    const part = new Matrix(put(inst, p.subarray(r * n, (r + m) * n)), m, n);
    grad.set(loss.accumulate(part, targets, r, true, rows)!.data.view(), r * n);
    part.data.free();
  }
  const { lossSum } = loss.sums();
  loss.free();
  targets.free();
  return { grad, lossSum };
}

describe("BinaryCrossEntropy({ labelSmoothing: 0.2 }) over row chunks", () => {
  const rows = 11;
  const n = 3;
  const p = uniformF32(rows * n, 41, 0.01, 0.99);
  // soft targets, different in every row: a chunk reading another row's targets shows
  const y = uniformF32(rows * n, 42, 0, 1);

  it.each([1, 2, 4])(
    "chunks of %i rows: the sums and gradient of one call, bit for bit, and Keras's formula",
    (chunk) => {
      const ref = refBinary(p, y, rows, n, 0.2);
      for (const inst of [builds.tested, builds.other]) {
        const whole = chunked(inst, p, y, rows, n, rows);
        const parts = chunked(inst, p, y, rows, n, chunk);
        expect(describeDifference(parts.grad, whole.grad), inst.build).toBe("identical");
        expect(parts.lossSum).toBe(whole.lossSum);
        expect(Math.abs(parts.lossSum - ref.lossSum)).toBeLessThan(1e-12 * ref.lossSum);
        for (let k = 0; k < rows * n; k++)
          expect(Math.abs(parts.grad[k] - ref.grad[k]), `[${k}]`).toBeLessThanOrEqual(2 ** -24 * Math.abs(ref.grad[k]));
      }
    },
  );
});
