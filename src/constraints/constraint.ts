// What a constraint is: a projection of a parameter tensor applied after every optimizer update
// (Keras's kernel_constraint), with a JSON form. Dense names its own (weightConstraint,
// biasConstraint); the family's registry rebuilds them from JSON.
import type { TypedJSON } from "../registry.js";
import { checkF32, describe } from "../validate.js";
import { allocF32, F32Buffer, type F32Data } from "../wasm/buffer.js";

export interface ConstraintJSON extends TypedJSON {
  [key: string]: unknown;
}

/** A tensor's shape: [n] for a vector (biases), [rows, cols] for a matrix (a Dense kernel nIn × nOut). */
export type Shape = readonly number[];

export abstract class Constraint {
  abstract readonly type: string;

  /** Throws when the constraint cannot take a tensor of this shape (an axis past its rank). */
  checkShape(_name: string, _shape: Shape): void {}

  /**
   * Projects w in place (a Float32Array or an F32Buffer) of the given shape (default [w.length]).
   * @example maxNorm({ maxValue: 2 }).apply(w, [nIn, nOut]) // each column's norm ≤ 2
   */
  apply(w: F32Data, shape?: Shape): void {
    checkF32("w", w);
    const s = shape ?? [w.length];
    if (
      !Array.isArray(s) ||
      s.length < 1 ||
      s.length > 2 ||
      !s.every((d) => Number.isSafeInteger(d) && d >= 0) ||
      s.reduce((a: number, b: number) => a * b, 1) !== w.length
    )
      throw new RangeError(
        `shape must be [n] or [rows, cols] with ${w.length} elements in all, got ${describe(shape)}`,
      );
    this.checkShape("shape", s);
    if (w instanceof F32Buffer) {
      this.applyTo(w, s);
      return;
    }
    // a Float32Array goes through a copy in WASM memory, where the kernels work
    const copy = allocF32(w.length);
    try {
      copy.view().set(w);
      this.applyTo(copy, s);
      w.set(copy.view());
    } finally {
      copy.free();
    }
  }

  /** apply() after validation, on a parameter in WASM memory: the optimizers' path. */
  abstract applyTo(values: F32Buffer, shape: Shape): void;

  abstract toJSON(): ConstraintJSON;
}
