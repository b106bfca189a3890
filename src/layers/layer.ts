// What every layer shares: a forward and a backward over matrices in WASM memory, trainable
// parameters with their gradients, and a JSON form.
import type { Constraint } from "../constraints/constraint.js";
import type { Regularizer } from "../regularizers/regularizer.js";
import type { F32Buffer } from "../wasm/buffer.js";
import type { Matrix } from "../wasm/matrix.js";
import type { Instance } from "../wasm/instance.js";

/** A trainable tensor, its gradient (same length) and the strengths of its penalties. */
export interface Param {
  /** "weights" or "biases". */
  readonly name: string;
  readonly value: F32Buffer;
  readonly grad: F32Buffer;
  /** λ1 of λ1·Σ|x|. */
  readonly l1: number;
  /** The λ2 handed to the kernels, which compute λ2·Σx² with gradient 2λ2·x (halved for 'torch'). */
  readonly l2: number;
  /** [n] for a vector (biases), [rows, cols] for a matrix (a Dense kernel nIn × nOut); default [length]. */
  readonly shape?: readonly number[];
  /** A penalty other than λ1/λ2 (OrthogonalRegularizer, a custom one), or null. */
  readonly regularizer?: Regularizer | null;
  /** Projects the values after every optimizer update (MaxNorm, NonNeg, …), or null. */
  readonly constraint?: Constraint | null;
  /**
   * The L1 term is applied by the optimizer as soft-thresholding after each update (proximal L1:
   * exact zeros) instead of as λ1·sign(x) in the gradient; the penalty still counts λ1·Σ|x|.
   */
  readonly proximal?: boolean;
}

/**
 * An activation that a layer can apply inside its own kernels, absorbing the activation layer that
 * follows it (see plan.ts): Dense + ReLU then costs no extra pass over the activations.
 */
export type Activation = "relu";

export interface LayerJSON {
  type: string;
  [key: string]: unknown;
}

export abstract class Layer {
  abstract readonly type: string;
  /** Position in its model (set by Sequential); keeps the random streams of equal seeds apart. */
  index = 0;

  /** Columns of the input the layer requires, or null when it takes any width (activations, dropout). */
  get inputSize(): number | null {
    return null;
  }

  /** Columns of the output for an input with `inputSize` columns; throws when they do not fit. */
  abstract outputSize(inputSize: number): number;

  /** For an activation layer: the activation it applies, which the layer before it may absorb. */
  get activation(): Activation | null {
    return null;
  }

  /**
   * Whether a training forward and backward may run as lanes (wasm/tape.ts: a batch's sum slots on
   * several threads at once, most of them recorded and replayed later): they read no kernel result,
   * take their workspaces from a RowCache (one set per lane), sum gradients per sum slot
   * (wasm/row-groups.ts), and write WASM memory from JavaScript only where no other lane reads or
   * writes. A subclass that overrides forward or backward must declare it again.
   */
  get replayable(): boolean {
    return false;
  }

  /** Whether the layer can apply `activation` to its output inside its own kernels. */
  canFuse(_activation: Activation): boolean {
    return false;
  }

  /**
   * Computes the output for `input` (rows × inputSize); valid until the next forward. A batch may
   * come as consecutive row chunks: `rowOffset` is the chunk's first row within its batch, and 0
   * starts a new batch (a new dropout stream; gradients restart). Each chunk's backward, if any,
   * follows its forward. `fused`: an activation to apply to the output (only one that canFuse
   * accepted), whose backward the layer's next backward then applies too. `batchRows`: the rows of
   * the whole batch (default input.rows), which activity penalties are divided by.
   */
  abstract forward(
    input: Matrix,
    training: boolean,
    rowOffset?: number,
    fused?: Activation | null,
    batchRows?: number,
  ): Matrix;

  /**
   * Given dLoss/dOutput of the last forward's chunk, accumulates the parameter gradients of the
   * batch and returns dLoss/dInput, or null when `needInputGrad` is false. May overwrite dOutput.
   */
  abstract backward(dOutput: Matrix, needInputGrad: boolean): Matrix | null;

  /**
   * After the last chunk's backward: completes the parameter gradients (adding the regularization
   * gradient through the fused kernel) and returns the regularization loss at the current parameters.
   */
  finishGradients(): number {
    return 0;
  }

  /**
   * Before training starts: throws when `updates` batches of `batchRows` rows (of `inputColumns`
   * columns at this layer) would exceed a limit of the layer, so nothing fails mid-run.
   */
  checkTraining(_batchRows: number, _inputColumns: number, _updates: number): void {}

  /** Trainable parameters (none for ReLU and Dropout). */
  params(): Param[] {
    return [];
  }

  /** The penalty of the current parameters, plus the activity penalty of the last forward batch (Keras's layer.losses). */
  regularizationLoss(): number {
    return 0;
  }

  abstract toJSON(): LayerJSON;

  /** Returns the layer's WASM memory. The layer is unusable afterwards. */
  abstract free(): void;

  /** The instance whose memory the layer lives in (null while it holds no memory). */
  abstract get instance(): Instance | null;
}
