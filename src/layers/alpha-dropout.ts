// AlphaDropout (Keras, PyTorch) and FeatureAlphaDropout (PyTorch): dropout for SELU networks. A
// dropped value becomes SELU's negative saturation α′ = −scale·alpha instead of 0, and an affine
// map a·x + b keeps mean 0 and variance 1 of a standardised input:
//   a = ((1 − rate)·(1 + rate·α′²))^−1/2,  b = −a·α′·rate
//   out = kept ? a·x + b : a·α′ + b,        dInput = kept ? a·dOutput : 0
// The keep bits are dropout's (the same rule, streams and noise shapes); FeatureAlphaDropout drops
// whole channels (channels_first, as PyTorch's).
import { applyNoiseMaskUnchecked, dropoutMaskUnchecked } from "../kernels/noise-mask.js";
import { checkDims, type NoiseShape } from "../kernels/noise-shape.js";
import type { StreamArgs } from "../kernels/random.js";
import { checkOneOf, checkOptions, checkSeed, describe } from "../validate.js";
import type { F32Buffer, U32Buffer } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import { type ChunkNoise, Dropout } from "./dropout.js";
import type { LayerJSON } from "./layer.js";
import type { DataFormat } from "./spatial-dropout.js";

/** SELU's constants (Klambauer et al. 2017), as Keras and PyTorch define them. */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/** The f32 constants of alpha dropout at `rate` < 1: out = kept ? a·x + b : dropped. */
export function alphaDropoutConstants(rate: number): { a: number; b: number; dropped: number } {
  const alphaP = -SELU_ALPHA * SELU_SCALE;
  const a = ((1 - rate) * (1 + rate * alphaP * alphaP)) ** -0.5;
  const b = -a * alphaP * rate;
  return { a: Math.fround(a), b: Math.fround(b), dropped: Math.fround(a * alphaP + b) };
}

export interface AlphaDropoutOptions {
  /** Seed of the masks; default: drawn from the global generator (see setSeed). */
  seed?: number;
  /** Keras noise_shape, batch dim first (see Dropout). */
  noiseShape?: NoiseShape;
  /** The shape of one sample, for noiseShape. */
  inputShape?: readonly number[];
}

function checkAlphaRate(rate: unknown): void {
  if (typeof rate !== "number") throw new TypeError(`rate must be a number, got ${describe(rate)}`);
  if (!(rate >= 0 && rate < 1))
    throw new RangeError(`rate must be in [0, 1) (alpha dropout's a is infinite at 1), got ${rate}`);
}

export class AlphaDropout extends Dropout {
  readonly type: string = "alpha-dropout";
  protected readonly label: string = "AlphaDropout";
  readonly #constants: { a: number; b: number; dropped: number };

  /** rate: the fraction of elements dropped, in [0, 1). */
  constructor(rate: number, options: AlphaDropoutOptions = {}) {
    checkAlphaRate(rate);
    checkOptions("options", options, ["seed", "noiseShape", "inputShape"]);
    const { seed, noiseShape = [null, null], inputShape } = options;
    super(rate, { seed, noiseShape, inputShape, storeMask: true });
    this.#constants = alphaDropoutConstants(rate);
  }

  /** Its noise layouts were not checked for replay. */
  get replayable(): boolean {
    return false;
  }

  protected applyForward(
    inst: Instance,
    out: F32Buffer,
    mask: U32Buffer | null,
    x: F32Buffer,
    stream: StreamArgs,
    noise: ChunkNoise | null,
  ): void {
    // noise is never null (the noise shape defaults to one bit per element) and the mask is stored
    const { layout } = noise!;
    dropoutMaskUnchecked(inst, mask!, layout.noiseLength, this.rate, stream);
    const { a, b, dropped } = this.#constants;
    applyNoiseMaskUnchecked(inst, out, x, mask!, layout, a, b, dropped);
  }

  protected applyBackward(
    inst: Instance,
    d: F32Buffer,
    mask: U32Buffer | null,
    _stream: StreamArgs,
    noise: ChunkNoise | null,
  ): void {
    applyNoiseMaskUnchecked(inst, d, d, mask!, noise!.layout, this.#constants.a, -0, 0);
  }

  toJSON(): LayerJSON {
    return {
      type: this.type,
      rate: this.rate,
      seed: this.seed,
      step: this.step,
      inferenceStep: this.inferenceStep,
      noiseShape: [...(this.noiseShape ?? [])],
      ...(this.inputShape ? { inputShape: [...this.inputShape] } : {}),
    };
  }

  static fromJSON(json: LayerJSON): AlphaDropout {
    checkOptions("json", json, ["type", "rate", "seed", "step", "inferenceStep", "noiseShape", "inputShape"]);
    const { rate, seed, noiseShape, inputShape } = json as unknown as Record<string, never>;
    checkSeed("json.seed", seed);
    return new AlphaDropout(rate, { seed, noiseShape, inputShape }).restoreSteps(json);
  }
}

export interface FeatureAlphaDropoutOptions {
  /** The shape of one sample: [channels, ..spatial] (channels_first, PyTorch's) or [..spatial, channels]. */
  inputShape: readonly number[];
  /** Default 'channels_first' (PyTorch's layout). */
  dataFormat?: DataFormat;
  seed?: number;
}

/** PyTorch nn.FeatureAlphaDropout: alpha dropout of whole channels. */
export class FeatureAlphaDropout extends AlphaDropout {
  readonly type: string = "feature-alpha-dropout";
  protected readonly label: string = "FeatureAlphaDropout";
  readonly dataFormat: DataFormat;

  constructor(rate: number, options: FeatureAlphaDropoutOptions) {
    checkOptions("options", options, ["inputShape", "dataFormat", "seed"], "{ inputShape }");
    const { inputShape, dataFormat = "channels_first", seed } = options;
    checkDims("options.inputShape", inputShape);
    checkOneOf("options.dataFormat", dataFormat, ["channels_last", "channels_first"] as const);
    const spatial = inputShape.slice(1).map(() => 1);
    const noiseShape = dataFormat === "channels_first" ? [null, null, ...spatial] : [null, ...spatial, null];
    super(rate, { seed, inputShape, noiseShape });
    this.dataFormat = dataFormat;
  }

  toJSON(): LayerJSON {
    return {
      type: this.type,
      rate: this.rate,
      seed: this.seed,
      step: this.step,
      inferenceStep: this.inferenceStep,
      inputShape: [...(this.inputShape ?? [])],
      dataFormat: this.dataFormat,
    };
  }

  static fromJSON(json: LayerJSON): FeatureAlphaDropout {
    checkOptions("json", json, ["type", "rate", "seed", "step", "inferenceStep", "inputShape", "dataFormat"]);
    const { rate, seed, inputShape, dataFormat } = json as unknown as Record<string, never>;
    checkSeed("json.seed", seed);
    return new FeatureAlphaDropout(rate, { seed, inputShape, dataFormat }).restoreSteps(json);
  }
}
