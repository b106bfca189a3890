// ActivityRegularization (Keras): the identity, adding λ1·Σ|x| + λ2·Σx² of its input, divided by
// the batch's rows, to the regularization loss, and that penalty's gradient to dInput.
import { L1L2 } from "../regularizers/l1l2.js";
import { readLambdas } from "../kernels/penalty.js";
import { checkGradientL2 } from "../validate.js";
import type { Instance } from "../wasm/instance.js";
import type { Matrix } from "../wasm/matrix.js";
import { Layer, type LayerJSON } from "./layer.js";

export interface ActivityRegularizationOptions {
  /** λ1, default 0 (Keras's). */
  l1?: number;
  /** λ2, default 0. */
  l2?: number;
}

export class ActivityRegularization extends Layer {
  readonly type = "activity-regularization";
  readonly l1: number;
  readonly l2: number;
  readonly #penalty: L1L2;
  #instance: Instance | null = null;
  #input: Matrix | null = null;
  /** Σ over the current batch's chunks of the penalty, and 1/(the batch's rows). */
  #sum = 0;
  #scale = 1;

  constructor(options: ActivityRegularizationOptions = {}) {
    super();
    const { l1, l2 } = readLambdas(options);
    checkGradientL2("options.l2", l2);
    this.l1 = l1;
    this.l2 = l2;
    this.#penalty = new L1L2({ l1, l2 });
  }

  get instance(): Instance | null {
    return this.#instance;
  }

  outputSize(inputSize: number): number {
    return inputSize;
  }

  /** The input itself; its penalty is added to the batch's. */
  forward(input: Matrix, _training: boolean, rowOffset = 0, _fused = null, batchRows = input.rows): Matrix {
    this.#instance = input.instance;
    if (rowOffset === 0) {
      this.#sum = 0;
      this.#scale = 1 / batchRows;
    }
    this.#sum += this.#penalty.penaltyOf(input.instance, input.data, [input.rows, input.cols]);
    this.#input = input;
    return input;
  }

  /** dInput = dOutput + (λ1·sign(x) + 2λ2·x)/rows, in place in dOutput. */
  backward(dOutput: Matrix, needInputGrad: boolean): Matrix | null {
    const input = this.#input;
    if (!input) throw new Error("ActivityRegularization.backward() called before forward()");
    if (dOutput.rows !== input.rows || dOutput.cols !== input.cols)
      throw new RangeError(`dOutput must be ${input.rows} × ${input.cols}, got ${dOutput.rows} × ${dOutput.cols}`);
    if (!needInputGrad) return null;
    this.#penalty.addGradientOf(dOutput.instance, dOutput.data, input.data, [input.rows, input.cols], this.#scale);
    return dOutput;
  }

  /** The batch's penalty (the model sums it into the batch's regularization loss). */
  finishGradients(): number {
    return this.#sum * this.#scale;
  }

  /** The penalty of the last forward batch (Keras's layer.losses). */
  regularizationLoss(): number {
    return this.#sum * this.#scale;
  }

  toJSON(): LayerJSON {
    return { type: this.type, l1: this.l1, l2: this.l2 };
  }

  static fromJSON(json: LayerJSON): ActivityRegularization {
    const { l1, l2 } = readLambdas(json, ["type"], "json");
    return new ActivityRegularization({ l1, l2 });
  }

  free(): void {
    this.#input = null;
  }
}
