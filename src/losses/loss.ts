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

  /**
   * Loss sums of `output` against labels[labelOffset…] (in the same instance). With `gradient`, also
   * returns dLoss/dOutput of the mean loss over `batchRows` rows (these rows may be a chunk of the
   * batch), in a buffer the loss reuses.
   */
  abstract forwardBackward(
    output: Matrix,
    labels: U32Buffer,
    labelOffset: number,
    gradient: boolean,
    batchRows?: number,
  ): LossSums & { dLogits: Matrix | null };

  /** The predictions of `output` into `out` (same shape; may be output itself): probabilities for classifiers. */
  abstract probabilities(out: Matrix, output: Matrix): void;

  toJSON(): LossJSON {
    return { type: this.type };
  }

  /** Returns the loss's WASM memory (its reusable gradient buffers). */
  abstract free(): void;
}
