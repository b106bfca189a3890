// What MaxNorm, MinMaxNorm and UnitNorm share (Keras semantics): the L2 norm of each slice along
// `axis`, and every value of the slice multiplied by a factor of that norm. For a Dense kernel
// nIn × nOut, axis 0 (the default) takes each unit's incoming weights (a column); axis 1 each row;
// [0, 1] the whole matrix. Sums of squares in float64 in element order, the factor in float64,
// each value rounded to f32 once: the same bits in every runtime and build.
import { describe } from "../validate.js";
import { Constraint, type Shape } from "./constraint.js";

/** An axis (negative counts from the end, as in Keras) or several. */
export type Axis = number | readonly number[];

/** Keras's backend.epsilon(), added to the norm in the divisor. */
export const NORM_EPSILON = 1e-7;

export abstract class NormConstraint extends Constraint {
  readonly axis: Axis;

  protected constructor(axis: Axis, name: string) {
    super();
    const axes = Array.isArray(axis) ? axis : [axis];
    if (axes.length === 0 || !axes.every((a) => Number.isInteger(a) && a >= -2 && a <= 1))
      throw new RangeError(`${name} must be an axis 0, 1, -1 or -2 (or an array of them), got ${describe(axis)}`);
    this.axis = Array.isArray(axis) ? Object.freeze([...axis]) : axis;
  }

  /** The factor that takes a slice of norm `norm` where it belongs. */
  protected abstract factor(norm: number): number;

  /** The axes, made non-negative for a tensor of rank `rank`; throws for one past the rank. */
  #axes(name: string, rank: number): number[] {
    const axes = (Array.isArray(this.axis) ? this.axis : [this.axis]) as number[];
    return axes.map((a) => {
      const resolved = a < 0 ? a + rank : a;
      if (resolved < 0 || resolved >= rank)
        throw new RangeError(
          `${name}: axis ${a} is out of range for a tensor of rank ${rank} ([${rank === 1 ? "n" : "rows, cols"}])`,
        );
      return resolved;
    });
  }

  checkShape(name: string, shape: Shape): void {
    this.#axes(name, shape.length);
  }

  applyTo(values: Float32Array, shape: Shape): void {
    const axes = this.#axes("shape", shape.length);
    const rows = shape[0];
    const cols = shape.length === 2 ? shape[1] : 1;
    const acrossRows = axes.includes(0);
    const acrossCols = shape.length === 2 && axes.includes(1);
    const groupCols = acrossCols ? 1 : cols;
    const groups = (acrossRows ? 1 : rows) * groupCols;
    const group = (i: number, j: number) => (acrossRows ? 0 : i) * groupCols + (acrossCols ? 0 : j);
    const sums = new Float64Array(groups);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) {
        const v = values[i * cols + j];
        sums[group(i, j)] += v * v;
      }
    const factors = sums.map((sq) => this.factor(Math.sqrt(sq)));
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) values[i * cols + j] = Math.fround(values[i * cols + j] * factors[group(i, j)]);
  }
}
