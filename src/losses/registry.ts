// The loss types that Sequential.fromJSON can rebuild. A new loss: its file, plus one line here.
import { Registry } from "../registry.js";
import { BinaryCrossEntropy } from "./binary-cross-entropy.js";
import type { Loss, LossJSON } from "./loss.js";
import { MeanAbsoluteError } from "./mean-absolute-error.js";
import { MeanSquaredError } from "./mean-squared-error.js";
import { SoftmaxCrossEntropy } from "./softmax-cross-entropy.js";

export const lossRegistry = new Registry<Loss, LossJSON>("loss")
  .register("softmax-crossentropy", SoftmaxCrossEntropy.fromJSON)
  .register("binary-crossentropy", BinaryCrossEntropy.fromJSON)
  .register("mean-squared-error", MeanSquaredError.fromJSON)
  .register("mean-absolute-error", MeanAbsoluteError.fromJSON);

/** The loss of a model built without one: softmax + cross-entropy, as in the course. */
export const defaultLoss = (): Loss => new SoftmaxCrossEntropy();
