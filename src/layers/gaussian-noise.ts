// GaussianNoise (Keras): adds N(0, stddev²) noise in training, a regularizer for real-valued
// inputs; the identity at inference. The gradient is the identity.
import { checkNonNegative, checkOptions, checkSeed } from "../validate.js";
import { GaussianLayer, type GaussianLayerOptions } from "./gaussian-layer.js";
import type { LayerJSON } from "./layer.js";

export class GaussianNoise extends GaussianLayer {
  readonly type = "gaussian-noise";
  protected readonly label = "GaussianNoise";
  protected readonly kernel = "gaussianNoise";
  protected readonly multiplicative = false;
  readonly #stddev: number;

  /** stddev: the noise's standard deviation, ≥ 0. */
  constructor(stddev: number, options: GaussianLayerOptions = {}) {
    checkNonNegative("stddev", stddev);
    super(options);
    this.#stddev = stddev;
  }

  get stddev(): number {
    return this.#stddev;
  }

  toJSON(): LayerJSON {
    return { type: this.type, stddev: this.stddev, ...this.baseJSON() };
  }

  static fromJSON(json: LayerJSON): GaussianNoise {
    checkOptions("json", json, ["type", "stddev", "seed", "step"]);
    const { stddev, seed } = json as unknown as Record<string, never>;
    checkSeed("json.seed", seed);
    return new GaussianNoise(stddev, { seed }).restoreStep(json);
  }
}
