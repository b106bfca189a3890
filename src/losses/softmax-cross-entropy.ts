// Softmax activation + categorical cross-entropy, combined: numerically stable (max-subtracted),
// mean over the batch, and a one-line gradient (p − onehot)/rows.
import type { U32Buffer } from "../wasm/buffer.js";
import { RowCache } from "../layers/layer.js";
import { allocMatrix, type Matrix } from "../wasm/matrix.js";
import type { Instance } from "../wasm/instance.js";

export interface LossSums {
  /** Σ over rows of −ln(clip(p[label])), clip to [1e-7, 1 − 1e-7] as in the course. */
  lossSum: number;
  /** Rows whose arg-max matches the label. */
  correct: number;
}

export class SoftmaxCrossEntropy {
  readonly type = "softmax-crossentropy";
  #dz: RowCache<Matrix> | null = null;
  #instance: Instance | null = null;

  /**
   * Loss sums of logits against labels[labelOffset…] (u32 in the same instance). With `gradient`,
   * also returns dLoss/dLogits of the mean loss over `batchRows` rows (these rows may be a chunk of
   * the batch), in a reused buffer.
   */
  forwardBackward(
    logits: Matrix,
    labels: U32Buffer,
    labelOffset: number,
    gradient: boolean,
    batchRows = logits.rows,
  ): LossSums & { dLogits: Matrix | null } {
    const inst = logits.instance;
    let dLogits: Matrix | null = null;
    if (gradient) {
      if (!this.#dz || this.#instance !== inst) {
        this.#dz?.clear();
        this.#instance = inst;
        const cols = logits.cols;
        this.#dz = new RowCache(
          (rows) => allocMatrix(rows, cols, inst),
          (m) => m.data.free(),
        );
      }
      dLogits = this.#dz.get(logits.rows);
      if (dLogits.cols !== logits.cols)
        throw new RangeError(`logits must keep ${dLogits.cols} columns, got ${logits.cols}`);
    }
    inst.clearAcc();
    inst.kernels.softmaxCrossEntropy(
      dLogits ? dLogits.ptr : 0,
      0,
      inst.accPtr,
      logits.ptr,
      labels.ptr + labelOffset * 4,
      logits.rows,
      logits.cols,
      1 / batchRows,
    );
    const [lossSum, correct] = inst.readAcc();
    return { lossSum, correct, dLogits };
  }

  /** Softmax probabilities of logits into probs (same shape; may be logits itself). */
  probabilities(probs: Matrix, logits: Matrix): void {
    const inst = logits.instance;
    inst.kernels.softmaxCrossEntropy(0, probs.ptr, inst.accPtr, logits.ptr, 0, logits.rows, logits.cols, 0);
  }

  toJSON(): { type: string } {
    return { type: this.type };
  }

  free(): void {
    this.#dz?.clear();
    this.#dz = null;
  }
}
