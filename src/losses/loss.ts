// What every loss shares: loss sums (and the gradient of the mean loss) of a model's last layer's
// output against targets in WASM memory, predictions from that output, the kind of targets it takes,
// and a JSON form.
import type { F32Buffer, U32Buffer } from "../wasm/buffer.js";
import type { Matrix } from "../wasm/matrix.js";

export interface LossSums {
  /** Σ over rows of the per-row loss (for value targets: the mean over the row's outputs). */
  lossSum: number;
  /**
   * Σ over rows of the fraction of the row predicted right, so correct / rows is the accuracy: rows
   * whose arg-max is the label (class labels); outputs whose (p > 0.5) equals the target, per row
   * (binary cross-entropy); NaN for losses without an accuracy (regression).
   */
  correct: number;
}

/**
 * What a loss compares the output with: 'labels', one integer class label per row (a U32Buffer in
 * WASM memory); 'values', rows × outputs numbers (an F32Buffer, row-major).
 */
export type TargetKind = "labels" | "values";

export interface LossJSON {
  type: string;
  [key: string]: unknown;
}

export abstract class Loss {
  abstract readonly type: string;
  /** The targets the loss takes (see TargetKind). */
  abstract readonly targetKind: TargetKind;

  /** For value targets: the closed range every target must lie in, or null for any finite number. */
  get targetRange(): readonly [number, number] | null {
    return null;
  }

  /** Starts new running sums: the rows of the next accumulate() calls, until sums(). */
  abstract resetSums(): void;

  /**
   * Adds the loss of `output` against the targets from row `targetRow` on (in the same instance: a
   * U32Buffer of labels or an F32Buffer of rows × outputs values, as targetKind says) to the running
   * sums, row by row in order, so a batch gives the same sums however it is split into chunks. With
   * `gradient`, returns dLoss/dOutput of the mean loss over `batchRows` rows (these rows may be a
   * chunk of the batch), in a buffer the loss reuses; else null. `group`: the chunk's row group within
   * its batch (wasm/row-groups.ts); a replayable loss sums each group's rows into its sum slot and
   * sums() adds the slots in order, others may sum every row into one running sum.
   */
  abstract accumulate(
    output: Matrix,
    targets: U32Buffer | F32Buffer,
    targetRow: number,
    gradient: boolean,
    batchRows?: number,
    group?: number,
  ): Matrix | null;

  /**
   * Whether accumulate only hands work to kernels (see Layer.replayable) and keeps sums per sum slot,
   * so that a batch's slots can run as lanes on several threads at once.
   */
  get replayable(): boolean {
    return false;
  }

  /** The running sums since resetSums(). */
  abstract sums(): LossSums;

  /**
   * The predictions of `output` into `out` (same shape; may be output itself): class probabilities
   * for softmax cross-entropy, the output itself for the value-target losses.
   */
  abstract probabilities(out: Matrix, output: Matrix): void;

  toJSON(): LossJSON {
    return { type: this.type };
  }

  /** Returns the loss's WASM memory (its reusable gradient buffers and sums). */
  abstract free(): void;
}
