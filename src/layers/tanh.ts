// Tanh: tanh(x), each output in [−1, 1] (a zero-centred hidden activation). Backward from the
// output: dy·(1 − y²).
import { tanhBackward, tanhForward } from "../kernels/activation.js";
import type { Matrix } from "../wasm/matrix.js";
import { checkOptions } from "../validate.js";
import { ActivationLayer } from "./activation-layer.js";
import type { LayerJSON } from "./layer.js";

export class Tanh extends ActivationLayer {
  readonly type = "tanh";
  protected readonly label = "Tanh";

  protected apply(output: Matrix, input: Matrix): void {
    tanhForward(output, input);
  }

  protected applyBackward(dInput: Matrix, dOutput: Matrix, output: Matrix): void {
    tanhBackward(dInput, dOutput, output);
  }

  static fromJSON(json: LayerJSON): Tanh {
    checkOptions("json", json, ["type"]);
    return new Tanh();
  }
}
