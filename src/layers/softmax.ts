// Softmax over each row: probabilities that sum to 1 (max-subtracted, in f64; the same kernel as the
// probabilities of SoftmaxCrossEntropy). Backward from the output, per row, the Jacobian-vector
// product y ⊙ (dy − Σ dy ⊙ y). For classification, SoftmaxCrossEntropy takes the logits and applies
// softmax itself: this layer is for other losses on probabilities, or inside a network.
import { softmaxBackward, softmaxForward } from "../kernels/softmax.js";
import type { Matrix } from "../wasm/matrix.js";
import { checkOptions } from "../validate.js";
import { ActivationLayer } from "./activation-layer.js";
import type { LayerJSON } from "./layer.js";

export class Softmax extends ActivationLayer {
  readonly type = "softmax";
  protected readonly label = "Softmax";

  protected apply(output: Matrix, input: Matrix): void {
    softmaxForward(output, input);
  }

  protected applyBackward(dInput: Matrix, dOutput: Matrix, output: Matrix): void {
    softmaxBackward(dInput, dOutput, output);
  }

  static fromJSON(json: LayerJSON): Softmax {
    checkOptions("json", json, ["type"]);
    return new Softmax();
  }
}
