// Sigmoid: σ(x) = 1/(1 + e^-x), each output in [0, 1] (the output layer of a multi-label model under
// binary cross-entropy, or a hidden activation). Backward from the output: dy·σ·(1 − σ).
import { sigmoidBackward, sigmoidForward } from "../kernels/activation.js";
import type { Matrix } from "../wasm/matrix.js";
import { checkOptions } from "../validate.js";
import { ActivationLayer } from "./activation-layer.js";
import type { LayerJSON } from "./layer.js";

export class Sigmoid extends ActivationLayer {
  readonly type = "sigmoid";
  protected readonly label = "Sigmoid";

  protected apply(output: Matrix, input: Matrix): void {
    sigmoidForward(output, input);
  }

  protected applyBackward(dInput: Matrix, dOutput: Matrix, output: Matrix): void {
    sigmoidBackward(dInput, dOutput, output);
  }

  static fromJSON(json: LayerJSON): Sigmoid {
    checkOptions("json", json, ["type"]);
    return new Sigmoid();
  }
}
