// UnitNorm (Keras, TF.js): every slice scaled to norm 1, w / (ε + ‖w‖).
import { checkOptions } from "../validate.js";
import type { ConstraintJSON } from "./constraint.js";
import { type Axis, NORM_EPSILON, NormConstraint } from "./norm-constraint.js";

export interface UnitNormOptions {
  /** Default 0: each column of a Dense kernel. */
  axis?: Axis;
}

export class UnitNorm extends NormConstraint {
  readonly type = "unitNorm";

  constructor(options: UnitNormOptions = {}) {
    checkOptions("options", options, ["axis"], "{ axis }");
    const { axis = 0 } = options;
    super(axis, "options.axis");
  }

  protected factor(norm: number): number {
    return 1 / (NORM_EPSILON + norm);
  }

  toJSON(): ConstraintJSON {
    return { type: this.type, axis: this.axis };
  }

  static fromJSON(json: ConstraintJSON): UnitNorm {
    checkOptions("json", json, ["type", "axis"]);
    const { axis } = json as UnitNormOptions;
    return new UnitNorm({ axis });
  }
}
