// ReLU: max(x, 0). When it follows a Dense layer in a Sequential model, the Dense kernels apply it
// in forward and backward (fused) and this layer passes values and gradients through.
import { allocMatrix, type Matrix } from "../wasm/matrix.js";
import type { Instance } from "../wasm/instance.js";
import { Layer, RowCache, type LayerJSON } from "./layer.js";

export class ReLU extends Layer {
  readonly type = "relu";
  /** Set by Sequential when the previous Dense layer already applied max(x, 0). */
  fused = false;
  #output: Matrix | null = null;
  #instance: Instance | null = null;
  #work: RowCache<Matrix> | null = null;

  get instance(): Instance | null {
    return this.#instance;
  }

  outputSize(inputSize: number): number {
    return inputSize;
  }

  forward(input: Matrix, _training: boolean, _rowOffset = 0): Matrix {
    if (this.fused) {
      this.#output = input;
      return input;
    }
    if (!this.#work || this.#instance !== input.instance) {
      this.#work?.clear();
      const inst = (this.#instance = input.instance);
      this.#work = new RowCache(
        (rows) => allocMatrix(rows, input.cols, inst),
        (m) => m.data.free(),
      );
    }
    const output = this.#work.get(input.rows);
    if (output.cols !== input.cols)
      throw new RangeError(`ReLU input must keep ${output.cols} columns, got ${input.cols}`);
    input.instance.kernels.reluForward(output.ptr, input.ptr, input.data.length);
    this.#output = output;
    return output;
  }

  /** dInput = dOutput where the output is > 0, else 0; computed in place in dOutput (by the Dense before when fused). */
  backward(dOutput: Matrix, needInputGrad: boolean): Matrix | null {
    const output = this.#output;
    if (!output) throw new Error("ReLU.backward() called before forward()");
    if (dOutput.rows !== output.rows || dOutput.cols !== output.cols)
      throw new RangeError(`dOutput must be ${output.rows} × ${output.cols}, got ${dOutput.rows} × ${dOutput.cols}`);
    if (!needInputGrad) return null;
    if (this.fused) return dOutput; // the Dense before applies the mask
    dOutput.instance.kernels.reluBackward(dOutput.ptr, dOutput.ptr, output.ptr, dOutput.data.length);
    return dOutput;
  }

  toJSON(): LayerJSON {
    return { type: this.type };
  }

  static fromJSON(_json: LayerJSON): ReLU {
    return new ReLU();
  }

  free(): void {
    this.#work?.clear();
    this.#work = null;
    this.#output = null;
  }
}
