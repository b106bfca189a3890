// What the activation layers (ReLU, Sigmoid, Tanh, Softmax) share: no parameters, an output of the
// input's shape in a workspace per (instance, width, rows), and a backward computed in place in
// dOutput from the layer's own output.
import type { Instance } from "../wasm/instance.js";
import { allocMatrix, type Matrix } from "../wasm/matrix.js";
import { RowCache } from "../wasm/row-cache.js";
import { Layer, type LayerJSON } from "./layer.js";

export abstract class ActivationLayer extends Layer {
  #output: Matrix | null = null;
  #instance: Instance | null = null;
  #work: RowCache<Matrix> | null = null;
  #cols = 0;

  /** The class name, for messages (constructor names do not survive minifiers). */
  protected abstract readonly label: string;

  /** output = f(input), same shape. */
  protected abstract apply(output: Matrix, input: Matrix): void;

  /** dInput = dOutput ⊙ f′, from the layer's output; dInput is dOutput itself. */
  protected abstract applyBackward(dInput: Matrix, dOutput: Matrix, output: Matrix): void;

  get instance(): Instance | null {
    return this.#instance;
  }

  get replayable(): boolean {
    return true;
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
    this.apply(output, input);
    this.#output = output;
    return output;
  }

  /** dInput computed in place in dOutput. */
  backward(dOutput: Matrix, needInputGrad: boolean): Matrix | null {
    const output = this.#output;
    if (!output) throw new Error(`${this.label}.backward() called before forward()`);
    if (dOutput.rows !== output.rows || dOutput.cols !== output.cols)
      throw new RangeError(`dOutput must be ${output.rows} × ${output.cols}, got ${dOutput.rows} × ${dOutput.cols}`);
    if (!needInputGrad) return null;
    this.applyBackward(dOutput, dOutput, output);
    return dOutput;
  }

  toJSON(): LayerJSON {
    return { type: this.type };
  }

  free(): void {
    this.#work?.clear();
    this.#work = null;
    this.#output = null;
  }
}
