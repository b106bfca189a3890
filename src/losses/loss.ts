// What every loss shares: loss sums (and the gradient of the mean loss) of a model's last layer's
// output against labels in WASM memory, predictions from that output, and a JSON form.
import type { U32Buffer } from "../wasm/buffer.js";
import type { Matrix } from "../wasm/matrix.js";

export interface LossSums {
  /** Σ over rows of the per-row loss. */
  lossSum: number;
  /** Rows whose prediction matches the label. */
  correct: number;
}

export interface LossJSON {
  type: string;
  [key: string]: unknown;
}

export abstract class Loss {
  abstract readonly type: string;

  /** Starts new running sums: the rows of the next accumulate() calls, until sums(). */
  abstract resetSums(): void;

  /**
   * Adds the loss of `output` against labels[labelOffset…] (in the same instance) to the running sums,
   * row by row in order, so a batch gives the same sums however it is split into chunks. With
   * `gradient`, returns dLoss/dOutput of the mean loss over `batchRows` rows (these rows may be a
   * chunk of the batch), in a buffer the loss reuses; else null.
   */
  abstract accumulate(
    output: Matrix,
    labels: U32Buffer,
    labelOffset: number,
    gradient: boolean,
    batchRows?: number,
  ): Matrix | null;

  /** The running sums since resetSums(). */
  abstract sums(): LossSums;

  /** The predictions of `output` into `out` (same shape; may be output itself): probabilities for classifiers. */
  abstract probabilities(out: Matrix, output: Matrix): void;

  toJSON(): LossJSON {
    return { type: this.type };
  }

  /** Returns the loss's WASM memory (its reusable gradient buffers and sums). */
  abstract free(): void;
}
