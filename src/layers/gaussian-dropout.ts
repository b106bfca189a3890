// GaussianDropout (Keras): multiplies by N(1, rate/(1 − rate)) noise in training (the variance of
// inverted dropout's multiplier at that rate, without zeros); the identity at inference. The
// gradient is dOutput times the same noise, regenerated from the stream.
import { checkGaussianRate, gaussianDropoutStddev } from "../kernels/gaussian.js";
import { checkOptions, checkSeed } from "../validate.js";
import { GaussianLayer, type GaussianLayerOptions } from "./gaussian-layer.js";
import type { LayerJSON } from "./layer.js";

export class GaussianDropout extends GaussianLayer {
  readonly type = "gaussian-dropout";
  protected readonly label = "GaussianDropout";
  protected readonly kernel = "gaussianDropout";
  protected readonly multiplicative = true;
  readonly rate: number;

  /** rate: in [0, 1); the noise's standard deviation is sqrt(rate/(1 − rate)). */
  constructor(rate: number, options: GaussianLayerOptions = {}) {
    checkGaussianRate("rate", rate);
    super(options);
    this.rate = rate;
  }

  get stddev(): number {
    return gaussianDropoutStddev(this.rate);
  }

  toJSON(): LayerJSON {
    return { type: this.type, rate: this.rate, ...this.baseJSON() };
  }

  static fromJSON(json: LayerJSON): GaussianDropout {
    checkOptions("json", json, ["type", "rate", "seed", "step"]);
    const { rate, seed } = json as unknown as Record<string, never>;
    checkSeed("json.seed", seed);
    return new GaussianDropout(rate, { seed }).restoreStep(json);
  }
}
