// Binary cross-entropy on sigmoid outputs, multi-label: each output is its own yes/no probability.
// The course's formula and gradient, probabilities clipped to [1e-7, 1 − 1e-7]; accuracy as Keras's
// binary accuracy (prediction p > 0.5, over all outputs). Label smoothing ε (Keras's) trains against
// (1 − ε)·y + ε/2.
import { binaryCrossEntropySmoothed } from "../kernels/label-smoothing.js";
import { binaryCrossEntropy, type ValueLossKernel } from "../kernels/loss.js";
import { checkOptions, checkUnitInterval } from "../validate.js";
import type { LossJSON } from "./loss.js";
import type { CrossEntropyOptions } from "./softmax-cross-entropy.js";
import { ValueLoss } from "./value-loss.js";

export class BinaryCrossEntropy extends ValueLoss {
  readonly type = "binary-crossentropy";
  protected readonly kernel: ValueLossKernel;
  protected readonly hasAccuracy = true;
  readonly labelSmoothing: number;

  constructor(options: CrossEntropyOptions = {}) {
    super();
    checkOptions("options", options, ["labelSmoothing"]);
    const { labelSmoothing = 0 } = options;
    checkUnitInterval("options.labelSmoothing", labelSmoothing);
    this.labelSmoothing = labelSmoothing;
    this.kernel =
      labelSmoothing === 0 ? binaryCrossEntropy : (...args) => binaryCrossEntropySmoothed(...args, labelSmoothing);
  }

  /** Targets are probabilities: every one in [0, 1]. */
  get targetRange(): readonly [number, number] {
    return [0, 1];
  }

  /** `{ type }`, plus labelSmoothing when it is not 0 (the JSON before it existed). */
  toJSON(): LossJSON {
    return this.labelSmoothing === 0 ? { type: this.type } : { type: this.type, labelSmoothing: this.labelSmoothing };
  }

  static fromJSON(json: LossJSON): BinaryCrossEntropy {
    checkOptions("json", json, ["type", "labelSmoothing"]);
    const { labelSmoothing } = json as CrossEntropyOptions;
    return new BinaryCrossEntropy({ labelSmoothing });
  }
}
