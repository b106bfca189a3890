// MaxNorm (Keras, TF.js): slices whose norm exceeds maxValue are scaled down to it:
// w · min(‖w‖, maxValue) / (ε + ‖w‖).
import { checkNonNegative, checkOptions } from "../validate.js";
import type { ConstraintJSON } from "./constraint.js";
import { type Axis, NORM_EPSILON, NormConstraint } from "./norm-constraint.js";

export interface MaxNormOptions {
  /** Default 2. */
  maxValue?: number;
  /** Default 0: each column of a Dense kernel (a unit's incoming weights). */
  axis?: Axis;
}

export class MaxNorm extends NormConstraint {
  readonly type = "maxNorm";
  readonly maxValue: number;

  constructor(options: MaxNormOptions = {}) {
    checkOptions("options", options, ["maxValue", "axis"], "{ maxValue, axis }");
    const { maxValue = 2, axis = 0 } = options;
    super(axis, "options.axis");
    checkNonNegative("options.maxValue", maxValue);
    this.maxValue = maxValue;
  }

  protected factor(norm: number): number {
    return Math.min(norm, this.maxValue) / (NORM_EPSILON + norm);
  }

  toJSON(): ConstraintJSON {
    return { type: this.type, maxValue: this.maxValue, axis: this.axis };
  }

  static fromJSON(json: ConstraintJSON): MaxNorm {
    checkOptions("json", json, ["type", "maxValue", "axis"]);
    const { maxValue, axis } = json as MaxNormOptions;
    return new MaxNorm({ maxValue, axis });
  }
}
