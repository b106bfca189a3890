// ReLU: max(x, 0). After a layer that can apply it inside its own kernels (Dense), the model's plan
// fuses it into that layer and this layer does not run.
import { reluBackward, reluForward } from "../kernels/activation.js";
import type { Matrix } from "../wasm/matrix.js";
import { checkOptions } from "../validate.js";
import { ActivationLayer } from "./activation-layer.js";
import type { Activation, LayerJSON } from "./layer.js";

export class ReLU extends ActivationLayer {
  readonly type = "relu";
  protected readonly label = "ReLU";

  get activation(): Activation {
    return "relu";
  }

  protected apply(output: Matrix, input: Matrix): void {
    reluForward(output, input);
  }

  /** dInput = dOutput where the output is > 0, else 0. */
  protected applyBackward(dInput: Matrix, dOutput: Matrix, output: Matrix): void {
    reluBackward(dInput, dOutput, output);
  }

  static fromJSON(json: LayerJSON): ReLU {
    checkOptions("json", json, ["type"]);
    return new ReLU();
  }
}
