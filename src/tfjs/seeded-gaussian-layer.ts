// What SeededGaussianNoise and SeededGaussianDropout share: TF.js layers whose Gaussian noise comes
// from regwasm's counter-based generator, drawn in WASM by regwasm's own noise kernels. Each
// training call draws stream `step` under the seed mixed with the layer position (`index`), the
// stream regwasm's GaussianNoise/GaussianDropout use for that batch, and counts the step up: new
// noise every call, replayed from (seed, step) (getConfig saves the step). The identity at inference.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import type { LayerArgs } from "@tensorflow/tfjs-layers/dist/engine/topology.js";
import { checkOptions, checkSeed, checkUint32 } from "../validate.js";
import { LAYER_ARGS } from "./layer-args.js";

export interface SeededGaussianArgs extends LayerArgs {
  /** Seed of the noise, an integer in [0, 2^53 − 1] (required: the noise is meant to replay). */
  seed: number;
  /** Training calls done so far: the next one draws stream `step`. Default 0 (saved by getConfig). */
  step?: number;
  /** The position of the regwasm layer whose noise to reproduce (it mixes into the seed). Default 0. */
  index?: number;
}

export abstract class SeededGaussianLayer extends tfl.layers.Layer {
  readonly seed: number;
  readonly index: number;
  /** Training calls done so far: the next one draws stream `step`. */
  step: number;

  /** The class name, for messages. */
  protected abstract readonly label: string;
  /** The noise's standard deviation (0: the identity, no stream drawn, as regwasm's layers). */
  protected abstract get stddev(): number;
  /** The noise of training call `step` for `size` elements, as a tensor `combine` applies. */
  abstract noise(size: number, step?: number): Float32Array;
  /** The output of a training call: the input with the noise. */
  protected abstract combine(input: tf.Tensor, noise: tf.Tensor): tf.Tensor;

  /** own: the subclass's own argument (stddev or rate) and its check, run before TF.js's Layer is made. */
  constructor(args: SeededGaussianArgs, own: string, checkOwn: (name: string, value: unknown) => void) {
    checkOptions("args", args, [own, "seed", "step", "index", ...LAYER_ARGS], `{ ${own}, seed }`);
    checkOwn(`args.${own}`, (args as unknown as Record<string, unknown>)[own]);
    const { seed, step = 0, index = 0 } = args;
    checkSeed("args.seed", seed);
    checkUint32("args.step", step);
    checkUint32("args.index", index);
    const layerArgs: Record<string, unknown> = {};
    for (const key of LAYER_ARGS) if (key !== "customObjects" && key in args) layerArgs[key] = args[key as never];
    super(layerArgs);
    this.seed = seed;
    this.step = step;
    this.index = index;
    this.supportsMasking = true;
  }

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs.training !== true || this.stddev === 0) return input;
    if (!(this.step < 2 ** 32 - 1))
      throw new RangeError(
        `${this.label} '${this.name}': step ${this.step} has no stream left (the counter is 32-bit)`,
      );
    if (input.size > 2 ** 32)
      throw new RangeError(`${this.label} '${this.name}': a batch may hold at most 2^32 elements (one stream)`);
    const noise = this.noise(input.size);
    this.step++;
    return tf.tidy(() => this.combine(input, tf.tensor(noise, input.shape, "float32")));
  }

  computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { seed: this.seed, step: this.step, index: this.index, ...super.getConfig() };
  }
}
