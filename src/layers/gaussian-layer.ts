// What GaussianNoise and GaussianDropout share: noise only in training (the identity at inference,
// as Keras's), a new stream of the counter-based generator per training batch (stream = the layer's
// step, under its seed mixed with its position), row chunks of a batch on consecutive counters, and
// a backward that regenerates the noise instead of storing it.
import { type NoiseKernel, gaussianUnchecked } from "../kernels/gaussian.js";
import { type StreamArgs, toStreamArgs } from "../kernels/random.js";
import { checkOptions, checkSeed, checkUint32 } from "../validate.js";
import type { Instance } from "../wasm/instance.js";
import { allocMatrix, type Matrix } from "../wasm/matrix.js";
import { RowCache } from "../wasm/row-cache.js";
import { checkTraining, streamSeed } from "./batch-streams.js";
import { defaultSeed } from "./default-seed.js";
import { Layer, type LayerJSON } from "./layer.js";

export interface GaussianLayerOptions {
  /** Seed of the noise; default: drawn from the global generator (see setSeed). */
  seed?: number;
}

export abstract class GaussianLayer extends Layer {
  readonly seed: number;
  /** Training batches done so far: the next one uses stream `step`. */
  step = 0;
  #stream = 0;
  #instance: Instance | null = null;
  #work: RowCache<Matrix> | null = null;
  #cols = 0;
  /** The last forward's stream, or null when it was the identity. */
  #last: StreamArgs | null = null;
  #lastRows = -1;
  #lastCols = -1;

  /** The class name, for messages. */
  protected abstract readonly label: string;
  /** Which kernel adds the noise. */
  protected abstract readonly kernel: NoiseKernel;
  /** The noise's standard deviation (0: the identity). */
  protected abstract get stddev(): number;
  /** Whether the gradient goes through the noise (multiplicative) or not (additive: the identity). */
  protected abstract readonly multiplicative: boolean;

  constructor(options: GaussianLayerOptions) {
    super();
    checkOptions("options", options, ["seed"]);
    const seed = options.seed === undefined ? defaultSeed() : options.seed;
    checkSeed("options.seed", seed);
    this.seed = seed;
  }

  get instance(): Instance | null {
    return this.#instance;
  }

  get replayable(): boolean {
    return true;
  }

  outputSize(inputSize: number): number {
    return inputSize;
  }

  checkTraining(batchRows: number, inputColumns: number, updates: number): void {
    if (this.stddev === 0) return;
    checkTraining(this.label, this.index, this.step, batchRows, inputColumns, updates);
  }

  forward(input: Matrix, training: boolean, rowOffset = 0): Matrix {
    this.#lastRows = input.rows;
    this.#lastCols = input.cols;
    if (!training || this.stddev === 0) {
      this.#last = null;
      return input;
    }
    if (!this.#work || this.#instance !== input.instance || this.#cols !== input.cols) {
      this.#work?.clear();
      const inst = input.instance;
      const cols = input.cols;
      this.#instance = inst;
      this.#cols = cols;
      this.#work = new RowCache(
        (rows) => allocMatrix(rows, cols, inst),
        (m) => m.data.free(),
      );
    }
    const output = this.#work.get(input.rows);
    if (rowOffset === 0) {
      if (!(this.step < 2 ** 32 - 1))
        throw new RangeError(
          `${this.label} layer ${this.index}'s step (${this.step}) has no stream left (the counter is 32-bit)`,
        );
      this.#stream = this.step++;
    }
    const offset = rowOffset * input.cols;
    if (offset + input.data.length > 2 ** 32)
      throw new RangeError(
        `a noise batch may hold at most 2^32 elements (one stream), got ${offset + input.data.length}`,
      );
    const stream = toStreamArgs(streamSeed(this.seed, this.index, 0), this.#stream, offset);
    gaussianUnchecked(input.instance, this.kernel, output.data, input.data, this.stddev, stream);
    this.#last = stream;
    return output;
  }

  /** Additive noise: dInput = dOutput. Multiplicative: dOutput times the same noise, regenerated. */
  backward(dOutput: Matrix, needInputGrad: boolean): Matrix | null {
    if (this.#lastRows < 0) throw new Error(`${this.label}.backward() called before forward()`);
    if (dOutput.rows !== this.#lastRows || dOutput.cols !== this.#lastCols)
      throw new RangeError(
        `dOutput must be ${this.#lastRows} × ${this.#lastCols}, got ${dOutput.rows} × ${dOutput.cols}`,
      );
    if (!needInputGrad) return null;
    const last = this.#last;
    if (last && this.multiplicative)
      gaussianUnchecked(dOutput.instance, this.kernel, dOutput.data, dOutput.data, this.stddev, last);
    return dOutput;
  }

  /** The JSON fields besides the layer's own parameter. */
  protected baseJSON(): { seed: number; step: number } {
    return { seed: this.seed, step: this.step };
  }

  /** Restores the step counter saved by toJSON. */
  protected restoreStep(json: LayerJSON): this {
    const { step = 0 } = json as { step?: unknown };
    checkUint32("json.step", step);
    this.step = step;
    return this;
  }

  free(): void {
    this.#work?.clear();
    this.#work = null;
    this.#last = null;
  }
}
