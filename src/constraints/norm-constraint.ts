// What MaxNorm, MinMaxNorm and UnitNorm share (Keras semantics): the L2 norm of each slice along
// `axis`, and every value of the slice multiplied by a factor of that norm. For a Dense kernel
// nIn × nOut, axis 0 (the default) takes each unit's incoming weights (a column); axis 1 each row;
// [0, 1] the whole matrix. Sums of squares in float64 in element order, the factor in float64,
// each value rounded to f32 once (the projection kernels): the same bits in every runtime and build.
import { scaleByNorms } from "../kernels/projection.js";
import { describe } from "../validate.js";
import type { F32Buffer } from "../wasm/buffer.js";
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

  applyTo(values: F32Buffer, shape: Shape): void {
    const across = new Set(this.#axes("shape", shape.length));
    const factor = (norm: number) => this.factor(norm);
    if (shape.length === 2 && !across.has(1)) scaleByNorms(values, shape[0], shape[1], true, factor);
    else if (shape.length === 2 && !across.has(0)) scaleByNorms(values, shape[0], shape[1], false, factor);
    else scaleByNorms(values, 1, values.length, false, factor); // the whole tensor: one sum in element order
  }
}
