// NonNeg (Keras, TF.js): negative values become 0.
import { clampNonNegative } from "../kernels/projection.js";
import { checkOptions } from "../validate.js";
import type { F32Buffer } from "../wasm/buffer.js";
import { Constraint, type ConstraintJSON, type Shape } from "./constraint.js";

export class NonNeg extends Constraint {
  readonly type = "nonNeg";

  applyTo(values: F32Buffer, _shape: Shape): void {
    clampNonNegative(values);
  }

  toJSON(): ConstraintJSON {
    return { type: this.type };
  }

  static fromJSON(json: ConstraintJSON): NonNeg {
    checkOptions("json", json, ["type"]);
    return new NonNeg();
  }
}
