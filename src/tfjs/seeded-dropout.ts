// SeededDropout: a TF.js layer whose inverted-dropout masks come from regwasm's counter-based
// generator. TF.js's own Dropout with a seed draws the same mask on every training call (it seeds a
// new generator per call); this one draws stream `step` and counts the step up, so masks change from
// call to call and replay from (seed, step), bit for bit the masks of regwasm's Dropout with the same
// seed, step and layer position (`index`). The mask is drawn in WASM by regwasm's dropout kernel on
// a row of ones, which gives f32(1/(1 − rate)) where an element is kept and 0 where it is dropped;
// the output is input × that, one f32 product per element as in regwasm's kernel, and TF.js
// differentiates the product (gradient × the same factors), so backward also matches regwasm's.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import type { LayerArgs } from "@tensorflow/tfjs-layers/dist/engine/topology.js";
import { dropout } from "../kernels/dropout.js";
import { streamSeed } from "../layers/batch-streams.js";
import { checkOptions, checkRate, checkSeed, checkUint32 } from "../validate.js";
import { LAYER_ARGS } from "./layer-args.js";

export interface SeededDropoutArgs extends LayerArgs {
  /** The fraction of elements dropped, in [0, 1]. */
  rate: number;
  /** Seed of the masks, an integer in [0, 2^53 − 1] (required: the masks are meant to replay). */
  seed: number;
  /** Training calls done so far: the next one draws stream `step`. Default 0 (saved by getConfig). */
  step?: number;
  /** The position of regwasm's Dropout whose masks to reproduce (it mixes into the seed). Default 0. */
  index?: number;
}

export class SeededDropout extends tfl.layers.Layer {
  /** The name TF.js's serialization registry knows the class by. */
  static readonly className = "SeededDropout";
  readonly rate: number;
  readonly seed: number;
  readonly index: number;
  /** Training calls done so far: the next one draws stream `step`. */
  step: number;

  constructor(args: SeededDropoutArgs) {
    checkOptions("args", args, ["rate", "seed", "step", "index", ...LAYER_ARGS], "{ rate, seed }");
    const {
      rate,
      seed,
      step = 0,
      index = 0,
      customObjects: _,
      ...layerArgs
    } = args as SeededDropoutArgs & {
      customObjects?: unknown;
    };
    checkRate("args.rate", rate);
    checkSeed("args.seed", seed);
    checkUint32("args.step", step);
    checkUint32("args.index", index);
    super(layerArgs);
    this.rate = rate;
    this.seed = seed;
    this.step = step;
    this.index = index;
    this.supportsMasking = true;
  }

  /**
   * The factors of the next training call's mask for `size` elements: f32(1/(1 − rate)) where kept,
   * 0 where dropped (what regwasm's Dropout multiplies by). Does not advance the step.
   */
  maskFactors(size: number, step = this.step): Float32Array {
    const ones = new Float32Array(size).fill(1);
    const seed = streamSeed(this.seed, this.index, 0); // 0: the training phase, as regwasm's Dropout
    return dropout(ones, { rate: this.rate, seed, stream: step, out: ones, mask: false }).output;
  }

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs.training !== true || this.rate === 0) return input;
    if (!(this.step < 2 ** 32 - 1))
      throw new RangeError(
        `SeededDropout '${this.name}': step ${this.step} has no stream left (the counter is 32-bit)`,
      );
    if (input.size > 2 ** 32)
      throw new RangeError(`SeededDropout '${this.name}': a batch may hold at most 2^32 elements (one stream)`);
    const factors = this.maskFactors(input.size);
    this.step++;
    return tf.tidy(() => {
      const scale = tf.tensor(factors, input.shape, "float32");
      // a dropped element is +0 as in regwasm (x·0 would be −0 for a negative x), and so is its gradient
      return tf.where(tf.greater(scale, 0), tf.mul(input, scale), tf.zerosLike(input));
    });
  }

  computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { rate: this.rate, seed: this.seed, step: this.step, index: this.index, ...super.getConfig() };
  }
}
tf.serialization.registerClass(SeededDropout);

/**
 * A TF.js layer of inverted dropout with regwasm's reproducible masks (see SeededDropout); needs
 * `await init()` from "regwasm" first.
 * @example model.add(seededDropout({ rate: 0.5, seed: 42 }));
 */
export function seededDropout(args: SeededDropoutArgs): SeededDropout {
  return new SeededDropout(args);
}
