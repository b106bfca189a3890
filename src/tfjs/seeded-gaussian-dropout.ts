// SeededGaussianDropout: TF.js's GaussianDropout (x·N(1, rate/(1 − rate)) in training) with regwasm
// GaussianDropout's noise, bit for bit (see SeededGaussianLayer). The factors f32(1 + σ·z) come
// from regwasm's kernel on ones; the output is one f32 product per element as in regwasm's kernel,
// and TF.js differentiates it to dy × the same factors, regwasm's backward.
import * as tf from "@tensorflow/tfjs-core";
import { checkGaussianRate, gaussianDropout, gaussianDropoutStddev } from "../kernels/gaussian.js";
import { streamSeed } from "../layers/batch-streams.js";
import { type SeededGaussianArgs, SeededGaussianLayer } from "./seeded-gaussian-layer.js";

export interface SeededGaussianDropoutArgs extends SeededGaussianArgs {
  /** In [0, 1): the noise's standard deviation is sqrt(rate/(1 − rate)) (Keras `rate`). */
  rate: number;
}

export class SeededGaussianDropout extends SeededGaussianLayer {
  /** The name TF.js's serialization registry knows the class by. */
  static readonly className = "SeededGaussianDropout";
  protected readonly label = "SeededGaussianDropout";
  readonly rate: number;

  constructor(args: SeededGaussianDropoutArgs) {
    super(args, "rate", checkGaussianRate);
    this.rate = args.rate;
  }

  get stddev(): number {
    return gaussianDropoutStddev(this.rate);
  }

  /** The factors f32(1 + σ·z) of training call `step` for `size` elements. Does not advance the step. */
  noise(size: number, step = this.step): Float32Array {
    const ones = new Float32Array(size).fill(1);
    const seed = streamSeed(this.seed, this.index, 0); // 0: the training phase, as regwasm's layer
    return gaussianDropout(ones, { rate: this.rate, seed, stream: step, out: ones });
  }

  protected combine(input: tf.Tensor, noise: tf.Tensor): tf.Tensor {
    return tf.mul(input, noise);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { rate: this.rate, ...super.getConfig() };
  }
}
tf.serialization.registerClass(SeededGaussianDropout);

/**
 * A TF.js GaussianDropout layer with regwasm's reproducible noise (see SeededGaussianDropout); needs
 * `await init()` from "regwasm" first.
 * @example model.add(seededGaussianDropout({ rate: 0.2, seed: 42 }));
 */
export function seededGaussianDropout(args: SeededGaussianDropoutArgs): SeededGaussianDropout {
  return new SeededGaussianDropout(args);
}
