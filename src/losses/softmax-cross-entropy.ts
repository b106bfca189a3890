// Softmax activation + categorical cross-entropy, combined: numerically stable (max-subtracted),
// mean over the batch, and a one-line gradient (p − onehot)/rows; with label smoothing ε (Keras's
// label_smoothing), against (1 − ε)·onehot + ε/classes, gradient (p − that)/rows.
import { softmaxCrossEntropySmoothed } from "../kernels/label-smoothing.js";
import { softmaxCrossEntropy, softmaxForward } from "../kernels/softmax.js";
import type { U32Buffer } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import { allocMatrix, type Matrix } from "../wasm/matrix.js";
import { RowCache } from "../wasm/row-cache.js";
import { checkOptions, checkUnitInterval } from "../validate.js";
import { GroupSums } from "./group-sums.js";
import { Loss, type LossJSON, type LossSums, type TargetKind } from "./loss.js";

export interface CrossEntropyOptions {
  /**
   * ε in [0, 1]: the targets become (1 − ε)·onehot + ε/classes (softmax) or (1 − ε)·y + ε/2
   * (binary), as Keras's label_smoothing. Default 0. Accuracy still compares with the labels.
   */
  labelSmoothing?: number;
}

export class SoftmaxCrossEntropy extends Loss {
  readonly type = "softmax-crossentropy";
  readonly labelSmoothing: number;
  /** One integer class label per row. */
  readonly targetKind: TargetKind = "labels";
  #dz: RowCache<Matrix> | null = null;
  #cols = 0;
  #instance: Instance | null = null;
  /** Running Σ loss and correct rows per sum slot (f64, in WASM memory: the kernel adds row by row). */
  #acc: GroupSums | null = null;

  constructor(options: CrossEntropyOptions = {}) {
    super();
    checkOptions("options", options, ["labelSmoothing"]);
    const { labelSmoothing = 0 } = options;
    checkUnitInterval("options.labelSmoothing", labelSmoothing);
    this.labelSmoothing = labelSmoothing;
  }

  resetSums(): void {
    this.#acc?.clear();
  }

  get replayable(): boolean {
    return true;
  }

  /**
   * Adds Σ over rows of −ln(clip(p[label])) (clip to [1e-7, 1 − 1e-7] as in the course) and the rows
   * whose arg-max is the label; with `gradient`, returns dLoss/dLogits = (p − onehot)/batchRows.
   */
  accumulate(
    logits: Matrix,
    labels: U32Buffer,
    labelOffset: number,
    gradient: boolean,
    batchRows = logits.rows,
    group = 0,
  ): Matrix | null {
    const inst = logits.instance;
    if (this.#instance !== inst) {
      this.free();
      this.#instance = inst;
      this.#acc = new GroupSums(inst.heap);
    }
    // gradient workspaces per width: a loss may move to a model with other outputs
    if (!this.#dz || this.#cols !== logits.cols) {
      this.#dz?.clear();
      const cols = logits.cols;
      this.#cols = cols;
      this.#dz = new RowCache(
        (rows) => allocMatrix(rows, cols, inst),
        (m) => m.data.free(),
      );
    }
    const dLogits = gradient ? this.#dz.get(logits.rows) : null;
    const sumsPtr = this.#acc!.ptr(group);
    if (this.labelSmoothing === 0) softmaxCrossEntropy(sumsPtr, dLogits, logits, labels, labelOffset, 1 / batchRows);
    else softmaxCrossEntropySmoothed(sumsPtr, dLogits, logits, labels, labelOffset, 1 / batchRows, this.labelSmoothing);
    return dLogits;
  }

  sums(): LossSums {
    const [lossSum, correct] = this.#acc ? this.#acc.read() : [0, 0];
    return { lossSum, correct };
  }

  /** Softmax probabilities of logits into probs (same shape; may be logits itself). */
  probabilities(probs: Matrix, logits: Matrix): void {
    softmaxForward(probs, logits);
  }

  /** `{ type }`, plus labelSmoothing when it is not 0 (the JSON before it existed). */
  toJSON(): LossJSON {
    return this.labelSmoothing === 0 ? { type: this.type } : { type: this.type, labelSmoothing: this.labelSmoothing };
  }

  static fromJSON(json: LossJSON): SoftmaxCrossEntropy {
    checkOptions("json", json, ["type", "labelSmoothing"]);
    const { labelSmoothing } = json as CrossEntropyOptions;
    return new SoftmaxCrossEntropy({ labelSmoothing });
  }

  free(): void {
    this.#dz?.clear();
    this.#dz = null;
    this.#acc?.free();
    this.#acc = null;
    this.#instance = null;
  }
}
