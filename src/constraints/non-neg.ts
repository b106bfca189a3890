// NonNeg (Keras, TF.js): negative values become 0.
import { checkOptions } from "../validate.js";
import { Constraint, type ConstraintJSON, type Shape } from "./constraint.js";

export class NonNeg extends Constraint {
  readonly type = "nonNeg";

  applyTo(values: Float32Array, _shape: Shape): void {
    for (let i = 0; i < values.length; i++) if (values[i] < 0) values[i] = 0;
  }

  toJSON(): ConstraintJSON {
    return { type: this.type };
  }

  static fromJSON(json: ConstraintJSON): NonNeg {
    checkOptions("json", json, ["type"]);
    return new NonNeg();
  }
}
