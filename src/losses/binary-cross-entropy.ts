// Binary cross-entropy on sigmoid outputs, multi-label: each output is its own yes/no probability.
// The course's formula and gradient, probabilities clipped to [1e-7, 1 − 1e-7]; accuracy as Keras's
// binary accuracy (prediction p > 0.5, over all outputs).
import { binaryCrossEntropy } from "../kernels/loss.js";
import { checkOptions } from "../validate.js";
import type { LossJSON } from "./loss.js";
import { ValueLoss } from "./value-loss.js";

export class BinaryCrossEntropy extends ValueLoss {
  readonly type = "binary-crossentropy";
  protected readonly kernel = binaryCrossEntropy;
  protected readonly hasAccuracy = true;

  /** Targets are probabilities: every one in [0, 1]. */
  get targetRange(): readonly [number, number] {
    return [0, 1];
  }

  static fromJSON(json: LossJSON): BinaryCrossEntropy {
    checkOptions("json", json, ["type"]);
    return new BinaryCrossEntropy();
  }
}
