// ReLU: max(x, 0). After a layer that can apply it inside its own kernels (Dense), the model's plan
// fuses it into that layer and this layer does not run.
import { reluBackward, reluForward } from "../kernels/activation.js";
import type { Instance } from "../wasm/instance.js";
import { allocMatrix, type Matrix } from "../wasm/matrix.js";
import { checkOptions } from "../validate.js";
import { RowCache } from "../wasm/row-cache.js";
import { type Activation, Layer, type LayerJSON } from "./layer.js";

export class ReLU extends Layer {
  readonly type = "relu";
  #output: Matrix | null = null;
  #instance: Instance | null = null;
  #work: RowCache<Matrix> | null = null;
  #cols = 0;

  get instance(): Instance | null {
    return this.#instance;
  }

  get activation(): Activation {
    return "relu";
  }

  outputSize(inputSize: number): number {
    return inputSize;
  }

  forward(input: Matrix, _training: boolean, _rowOffset = 0): Matrix {
    // workspaces per (instance, width): a layer may move to another model
    if (!this.#work || this.#instance !== input.instance || this.#cols !== input.cols) {
      this.#work?.clear();
      const inst = input.instance;
      this.#instance = inst;
      this.#cols = input.cols;
      this.#work = new RowCache(
        (rows) => allocMatrix(rows, input.cols, inst),
        (m) => m.data.free(),
      );
    }
    const output = this.#work.get(input.rows);
    reluForward(output, input);
    this.#output = output;
    return output;
  }

  /** dInput = dOutput where the output is > 0, else 0; computed in place in dOutput. */
  backward(dOutput: Matrix, needInputGrad: boolean): Matrix | null {
    const output = this.#output;
    if (!output) throw new Error("ReLU.backward() called before forward()");
    if (dOutput.rows !== output.rows || dOutput.cols !== output.cols)
      throw new RangeError(`dOutput must be ${output.rows} × ${output.cols}, got ${dOutput.rows} × ${dOutput.cols}`);
    if (!needInputGrad) return null;
    reluBackward(dOutput, dOutput, output);
    return dOutput;
  }

  toJSON(): LayerJSON {
    return { type: this.type };
  }

  static fromJSON(json: LayerJSON): ReLU {
    checkOptions("json", json, ["type"]);
    return new ReLU();
  }

  free(): void {
    this.#work?.clear();
    this.#work = null;
    this.#output = null;
  }
}
