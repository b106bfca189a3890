// Mean squared error, for regression: the mean over a row's outputs of (y − p)², then over rows; the
// course's gradient −2(y − p)/outputs/rows. No accuracy (sums().correct is NaN).
import { meanSquaredError } from "../kernels/loss.js";
import { checkOptions } from "../validate.js";
import type { LossJSON } from "./loss.js";
import { ValueLoss } from "./value-loss.js";

export class MeanSquaredError extends ValueLoss {
  readonly type = "mean-squared-error";
  protected readonly kernel = meanSquaredError;
  protected readonly hasAccuracy = false;

  static fromJSON(json: LossJSON): MeanSquaredError {
    checkOptions("json", json, ["type"]);
    return new MeanSquaredError();
  }
}
