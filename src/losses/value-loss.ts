// What the losses against value targets (rows × outputs f32, row-major) share: running f64 sums in
// WASM memory that their kernel adds to row by row, a gradient buffer per width, and predictions
// that are the output itself.
import type { ValueLossKernel } from "../kernels/loss.js";
import { describe } from "../validate.js";
import { GroupSums } from "./group-sums.js";
import { F32Buffer } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import { allocMatrix, type Matrix } from "../wasm/matrix.js";
import { RowCache } from "../wasm/row-cache.js";
import { Loss, type LossSums, type TargetKind } from "./loss.js";

export abstract class ValueLoss extends Loss {
  /** rows × outputs numbers, row-major. */
  readonly targetKind: TargetKind = "values";
  #dOutput: RowCache<Matrix> | null = null;
  #cols = 0;
  #instance: Instance | null = null;
  /** Running Σ row loss and Σ outputs predicted right per sum slot (f64, in WASM memory: the kernel adds row by row). */
  #acc: GroupSums | null = null;

  /** The loss's kernel (assembly/loss.ts). */
  protected abstract readonly kernel: ValueLossKernel;

  /** Whether the kernel counts outputs predicted right (else sums().correct is NaN: no accuracy). */
  protected abstract readonly hasAccuracy: boolean;

  resetSums(): void {
    this.#acc?.clear();
  }

  get replayable(): boolean {
    return true;
  }

  /**
   * Adds Σ over the rows of output of the mean loss over each row's outputs; with `gradient`, returns
   * dLoss/dOutput of the mean over `batchRows` rows. Targets: an F32Buffer of the output's instance
   * holding at least (targetRow + output.rows) × output.cols values.
   */
  accumulate(
    output: Matrix,
    targets: F32Buffer,
    targetRow: number,
    gradient: boolean,
    batchRows = output.rows,
    group = 0,
  ): Matrix | null {
    const inst = output.instance;
    if (!(targets instanceof F32Buffer) || targets.instance !== inst)
      throw new TypeError(`targets must be an F32Buffer of the output's instance, got ${describe(targets)}`);
    const needed = (targetRow + output.rows) * output.cols;
    if (!Number.isSafeInteger(targetRow) || targetRow < 0 || targets.length < needed)
      throw new RangeError(
        `targets must hold (targetRow + ${output.rows}) × ${output.cols} = ${needed} values, got ${targets.length}`,
      );
    if (this.#instance !== inst) {
      this.free();
      this.#instance = inst;
      this.#acc = new GroupSums(inst.heap);
    }
    // gradient workspaces per width: a loss may move to a model with other outputs
    if (!this.#dOutput || this.#cols !== output.cols) {
      this.#dOutput?.clear();
      const cols = output.cols;
      this.#cols = cols;
      this.#dOutput = new RowCache(
        (rows) => allocMatrix(rows, cols, inst),
        (m) => m.data.free(),
      );
    }
    const dOutput = gradient ? this.#dOutput.get(output.rows) : null;
    this.kernel(this.#acc!.ptr(group), dOutput, output, targets, targetRow, 1 / batchRows);
    return dOutput;
  }

  sums(): LossSums {
    const [lossSum, hits] = this.#acc ? this.#acc.read() : [0, 0];
    if (!this.hasAccuracy) return { lossSum, correct: Number.NaN };
    return { lossSum, correct: this.#cols > 0 ? hits / this.#cols : 0 };
  }

  /** The output itself is the prediction: copied into out (nothing to do when out is output). */
  probabilities(out: Matrix, output: Matrix): void {
    if (out.ptr !== output.ptr || out.instance !== output.instance) out.data.view().set(output.data.view());
  }

  free(): void {
    this.#dOutput?.clear();
    this.#dOutput = null;
    this.#acc?.free();
    this.#acc = null;
    this.#instance = null;
  }
}
