// Mean absolute error, for regression: the mean over a row's outputs of |y − p|, then over rows; the
// course's gradient −sign(y − p)/outputs/rows (0 where p = y). No accuracy (sums().correct is NaN).
import { meanAbsoluteError } from "../kernels/loss.js";
import { checkOptions } from "../validate.js";
import type { LossJSON } from "./loss.js";
import { ValueLoss } from "./value-loss.js";

export class MeanAbsoluteError extends ValueLoss {
  readonly type = "mean-absolute-error";
  protected readonly kernel = meanAbsoluteError;
  protected readonly hasAccuracy = false;

  static fromJSON(json: LossJSON): MeanAbsoluteError {
    checkOptions("json", json, ["type"]);
    return new MeanAbsoluteError();
  }
}
