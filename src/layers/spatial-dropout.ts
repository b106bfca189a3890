// SpatialDropout1D/2D/3D (Keras) and their PyTorch names Dropout1d/2d/3d: dropout of whole
// channels, a noise shape of 1 along every spatial dim. Keras's default is channels_last
// (a sample [..spatial, channels]); PyTorch's layers are channels_first ([channels, ..spatial]),
// so the aliases default to that.
import { checkDims, type NoiseShape } from "../kernels/noise-shape.js";
import { checkBoolean, checkOneOf, checkOptions, checkSeed } from "../validate.js";
import { Dropout } from "./dropout.js";
import type { LayerJSON } from "./layer.js";

export type DataFormat = "channels_last" | "channels_first";
const DATA_FORMATS = ["channels_last", "channels_first"] as const;

export interface SpatialDropoutOptions {
  /** The shape of one sample: [steps, channels] (1D), [h, w, channels] (2D), [d, h, w, channels] (3D) channels_last. */
  inputShape: readonly number[];
  /** Where the channels are; default 'channels_last' (Keras), 'channels_first' for Dropout1d/2d/3d (PyTorch). */
  dataFormat?: DataFormat;
  /** Seed of the masks; default: drawn from the global generator (see setSeed). */
  seed?: number;
  /** Store the bit mask (one bit per channel) in forward; default true. */
  storeMask?: boolean;
}

const OPTION_KEYS = ["inputShape", "dataFormat", "seed", "storeMask"];

/** Batch-first noise shape: the batch and channel dims kept, spatial dims 1. */
function spatialNoise(rank: number, dataFormat: DataFormat): NoiseShape {
  const spatial = Array.from({ length: rank - 1 }, () => 1);
  return dataFormat === "channels_last" ? [null, ...spatial, null] : [null, null, ...spatial];
}

abstract class SpatialDropout extends Dropout {
  readonly dataFormat: DataFormat;

  constructor(rate: number, options: SpatialDropoutOptions, spatialDims: number, label: string) {
    checkOptions("options", options, OPTION_KEYS, "{ inputShape }");
    const { inputShape, dataFormat = "channels_last", seed, storeMask } = options;
    checkDims("options.inputShape", inputShape);
    if (inputShape.length !== spatialDims + 1)
      throw new RangeError(
        `options.inputShape of ${label} must have ${spatialDims + 1} dims (${spatialDims} spatial and the channels), got [${inputShape}]`,
      );
    checkOneOf("options.dataFormat", dataFormat, DATA_FORMATS);
    if (storeMask !== undefined) checkBoolean("options.storeMask", storeMask);
    super(rate, { seed, storeMask, inputShape, noiseShape: spatialNoise(inputShape.length, dataFormat) });
    this.dataFormat = dataFormat;
  }

  toJSON(): LayerJSON {
    return {
      type: this.type,
      rate: this.rate,
      seed: this.seed,
      step: this.step,
      inferenceStep: this.inferenceStep,
      storeMask: this.storeMask,
      inputShape: [...(this.inputShape ?? [])],
      dataFormat: this.dataFormat,
    };
  }
}

/** Reads a spatial dropout's JSON into its constructor's arguments. */
function readJSON(json: LayerJSON): [number, SpatialDropoutOptions] {
  checkOptions("json", json, ["type", "rate", "step", "inferenceStep", ...OPTION_KEYS]);
  const { rate, seed, storeMask, inputShape, dataFormat } = json as unknown as Record<string, never>;
  checkSeed("json.seed", seed);
  return [rate, { seed, storeMask, inputShape, dataFormat }];
}

/** Drops whole channels of [steps, channels] samples (Keras SpatialDropout1D). */
export class SpatialDropout1D extends SpatialDropout {
  readonly type: string = "spatial-dropout-1d";
  protected readonly label: string = "SpatialDropout1D";
  constructor(rate: number, options: SpatialDropoutOptions) {
    super(rate, options, 1, "SpatialDropout1D");
  }
  static fromJSON(json: LayerJSON): SpatialDropout1D {
    return new SpatialDropout1D(...readJSON(json)).restoreSteps(json);
  }
}

/** Drops whole channels of [h, w, channels] samples (Keras SpatialDropout2D). */
export class SpatialDropout2D extends SpatialDropout {
  readonly type: string = "spatial-dropout-2d";
  protected readonly label: string = "SpatialDropout2D";
  constructor(rate: number, options: SpatialDropoutOptions) {
    super(rate, options, 2, "SpatialDropout2D");
  }
  static fromJSON(json: LayerJSON): SpatialDropout2D {
    return new SpatialDropout2D(...readJSON(json)).restoreSteps(json);
  }
}

/** Drops whole channels of [d, h, w, channels] samples (Keras SpatialDropout3D). */
export class SpatialDropout3D extends SpatialDropout {
  readonly type: string = "spatial-dropout-3d";
  protected readonly label: string = "SpatialDropout3D";
  constructor(rate: number, options: SpatialDropoutOptions) {
    super(rate, options, 3, "SpatialDropout3D");
  }
  static fromJSON(json: LayerJSON): SpatialDropout3D {
    return new SpatialDropout3D(...readJSON(json)).restoreSteps(json);
  }
}

const channelsFirst = (options: SpatialDropoutOptions): SpatialDropoutOptions => ({
  dataFormat: "channels_first",
  ...options,
});

/** PyTorch nn.Dropout1d(p): whole channels of [channels, length] samples (channels_first by default). */
export class Dropout1d extends SpatialDropout1D {
  constructor(rate: number, options: SpatialDropoutOptions) {
    super(rate, channelsFirst(options));
  }
}

/** PyTorch nn.Dropout2d(p): whole channels of [channels, h, w] samples (channels_first by default). */
export class Dropout2d extends SpatialDropout2D {
  constructor(rate: number, options: SpatialDropoutOptions) {
    super(rate, channelsFirst(options));
  }
}

/** PyTorch nn.Dropout3d(p): whole channels of [channels, d, h, w] samples (channels_first by default). */
export class Dropout3d extends SpatialDropout3D {
  constructor(rate: number, options: SpatialDropoutOptions) {
    super(rate, channelsFirst(options));
  }
}
