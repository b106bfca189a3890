// MinMaxNorm (Keras, TF.js): slice norms moved towards [minValue, maxValue] at `rate`:
// w · (rate·clip(‖w‖, min, max) + (1 − rate)·‖w‖) / (ε + ‖w‖).
import { checkNonNegative, checkOptions, describe } from "../validate.js";
import type { ConstraintJSON } from "./constraint.js";
import { type Axis, NORM_EPSILON, NormConstraint } from "./norm-constraint.js";

export interface MinMaxNormOptions {
  /** Default 0. */
  minValue?: number;
  /** Default 1. */
  maxValue?: number;
  /** In [0, 1]: 1 (default) enforces the bounds at once, less moves the norm part of the way each step. */
  rate?: number;
  /** Default 0: each column of a Dense kernel. */
  axis?: Axis;
}

export class MinMaxNorm extends NormConstraint {
  readonly type = "minMaxNorm";
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;

  constructor(options: MinMaxNormOptions = {}) {
    checkOptions("options", options, ["minValue", "maxValue", "rate", "axis"], "{ minValue, maxValue, rate, axis }");
    const { minValue = 0, maxValue = 1, rate = 1, axis = 0 } = options;
    super(axis, "options.axis");
    checkNonNegative("options.minValue", minValue);
    checkNonNegative("options.maxValue", maxValue);
    if (maxValue < minValue)
      throw new RangeError(`options.maxValue must be >= options.minValue (${minValue}), got ${maxValue}`);
    if (typeof rate !== "number" || !(rate >= 0 && rate <= 1))
      throw new RangeError(`options.rate must be in [0, 1], got ${describe(rate)}`);
    this.minValue = minValue;
    this.maxValue = maxValue;
    this.rate = rate;
  }

  protected factor(norm: number): number {
    const clipped = Math.min(Math.max(norm, this.minValue), this.maxValue);
    return (this.rate * clipped + (1 - this.rate) * norm) / (NORM_EPSILON + norm);
  }

  toJSON(): ConstraintJSON {
    return { type: this.type, minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }

  static fromJSON(json: ConstraintJSON): MinMaxNorm {
    checkOptions("json", json, ["type", "minValue", "maxValue", "rate", "axis"]);
    const { minValue, maxValue, rate, axis } = json as MinMaxNormOptions;
    return new MinMaxNorm({ minValue, maxValue, rate, axis });
  }
}
