// SELU (Klambauer et al. 2017; Keras 'selu', PyTorch nn.SELU): scale·x for x > 0, else
// scale·alpha·(e^x − 1), the self-normalising activation AlphaDropout is made for. Backward from
// the output: dy·scale where y > 0, else dy·(y + scale·alpha).
import { seluBackward, seluForward } from "../kernels/activation.js";
import type { Matrix } from "../wasm/matrix.js";
import { checkOptions } from "../validate.js";
import { ActivationLayer } from "./activation-layer.js";
import type { LayerJSON } from "./layer.js";

export class Selu extends ActivationLayer {
  readonly type = "selu";
  protected readonly label = "Selu";

  protected apply(output: Matrix, input: Matrix): void {
    seluForward(output, input);
  }

  protected applyBackward(dInput: Matrix, dOutput: Matrix, output: Matrix): void {
    seluBackward(dInput, dOutput, output);
  }

  static fromJSON(json: LayerJSON): Selu {
    checkOptions("json", json, ["type"]);
    return new Selu();
  }
}
