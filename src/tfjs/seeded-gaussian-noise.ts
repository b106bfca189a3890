// SeededGaussianNoise: TF.js's GaussianNoise (x + N(0, stddev²) in training) with regwasm
// GaussianNoise's noise, bit for bit (see SeededGaussianLayer). The terms f32(stddev·z) come from
// regwasm's kernel on −0 (−0 + t is t for every t, signed zeros included); the output is one f32 sum
// per element as in regwasm's kernel, and its gradient is the identity as regwasm's.
import * as tf from "@tensorflow/tfjs-core";
import { gaussianNoise } from "../kernels/gaussian.js";
import { streamSeed } from "../layers/batch-streams.js";
import { checkNonNegative } from "../validate.js";
import { type SeededGaussianArgs, SeededGaussianLayer } from "./seeded-gaussian-layer.js";

export interface SeededGaussianNoiseArgs extends SeededGaussianArgs {
  /** The noise's standard deviation, ≥ 0 (Keras `stddev`). */
  stddev: number;
}

export class SeededGaussianNoise extends SeededGaussianLayer {
  /** The name TF.js's serialization registry knows the class by. */
  static readonly className = "SeededGaussianNoise";
  protected readonly label = "SeededGaussianNoise";
  readonly #stddev: number;

  constructor(args: SeededGaussianNoiseArgs) {
    super(args, "stddev", checkNonNegative);
    this.#stddev = args.stddev;
  }

  get stddev(): number {
    return this.#stddev;
  }

  /** The terms f32(stddev·z) of training call `step` for `size` elements. Does not advance the step. */
  noise(size: number, step = this.step): Float32Array {
    const zeros = new Float32Array(size).fill(-0);
    const seed = streamSeed(this.seed, this.index, 0); // 0: the training phase, as regwasm's layer
    return gaussianNoise(zeros, { stddev: this.#stddev, seed, stream: step, out: zeros });
  }

  protected combine(input: tf.Tensor, noise: tf.Tensor): tf.Tensor {
    return tf.add(input, noise);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { stddev: this.#stddev, ...super.getConfig() };
  }
}
tf.serialization.registerClass(SeededGaussianNoise);

/**
 * A TF.js GaussianNoise layer with regwasm's reproducible noise (see SeededGaussianNoise); needs
 * `await init()` from "regwasm" first.
 * @example model.add(seededGaussianNoise({ stddev: 0.1, seed: 42 }));
 */
export function seededGaussianNoise(args: SeededGaussianNoiseArgs): SeededGaussianNoise {
  return new SeededGaussianNoise(args);
}
