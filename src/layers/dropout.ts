// Inverted dropout as a layer. Each training batch draws a new stream of the counter-based
// generator, stream = the layer's step counter under a seed mixed with the layer's position, so
// masks differ from step to step yet replay exactly from a saved (seed, step). Row chunks of a
// batch draw consecutive counters of the batch's stream (counter offset = first element), so the
// mask is the same however the batch is chunked.
import { dropoutBackwardUnchecked, dropoutUnchecked, maskWords } from "../kernels/dropout.js";
import { type StreamArgs, toStreamArgs } from "../kernels/random.js";
import { checkBoolean, checkOptions, checkRate, checkSeed, checkUint32 } from "../validate.js";
import { allocU32, type U32Buffer } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import { allocMatrix, type Matrix } from "../wasm/matrix.js";
import { RowCache } from "../wasm/row-cache.js";
import { defaultSeed } from "./default-seed.js";
import { Layer, type LayerJSON } from "./layer.js";

export interface DropoutLayerOptions {
  /** Seed of the masks; default: 0, 1, 2, … in construction order. */
  seed?: number;
  /** Keep dropping at inference (Monte-Carlo dropout); default false: identity at inference. */
  mcDropout?: boolean;
  /** Store the bit mask in forward (default true); false regenerates it in backward from (seed, stream). */
  storeMask?: boolean;
}

interface DropoutWork {
  output: Matrix;
  mask: U32Buffer | null;
}

const SEED_SPACE = 2n ** 53n;
/** Mixes the layer position and the phase (0 training, 1 Monte-Carlo inference) into the seed. */
export function streamSeed(seed: number, index: number, phase: number): number {
  return Number((BigInt(seed) + BigInt(index) * 0x9e3779b97f4a7n + BigInt(phase) * 0x7f4a7c15n) % SEED_SPACE);
}

export class Dropout extends Layer {
  readonly type = "dropout";
  readonly seed: number;
  readonly mcDropout: boolean;
  readonly storeMask: boolean;
  /** Training batches done so far: the next one uses stream `step`. */
  step = 0;
  /** Monte-Carlo inference passes done so far (their own streams). */
  inferenceStep = 0;
  /** The stream of the current batch (set by its first chunk). */
  #stream = 0;
  #instance: Instance | null = null;
  #work: RowCache<DropoutWork> | null = null;
  #cols = 0;
  /** What the last forward did: identity (null) or its mask or stream. */
  #last: { mask: U32Buffer | null; stream: StreamArgs } | null = null;
  #lastRows = -1;
  #lastCols = -1;

  /** rate: the fraction of elements dropped, in [0, 1] (Keras `rate`, PyTorch `p`). */
  constructor(
    readonly rate: number,
    options: DropoutLayerOptions = {},
  ) {
    super();
    checkRate("rate", rate);
    checkOptions("options", options, ["seed", "mcDropout", "storeMask"]);
    const { mcDropout = false, storeMask = true, seed: givenSeed } = options;
    checkBoolean("options.mcDropout", mcDropout);
    checkBoolean("options.storeMask", storeMask);
    const seed = givenSeed === undefined ? defaultSeed() : givenSeed;
    checkSeed("options.seed", seed);
    this.seed = seed;
    this.mcDropout = mcDropout;
    this.storeMask = storeMask;
  }

  get instance(): Instance | null {
    return this.#instance;
  }

  outputSize(inputSize: number): number {
    return inputSize;
  }

  /** A batch is one stream of 2^32 counters, and the step counter is 32-bit. */
  checkTraining(batchRows: number, inputColumns: number, updates: number): void {
    if (this.rate === 0) return; // draws nothing
    if (batchRows * inputColumns > 2 ** 32)
      throw new RangeError(
        `a batch of ${batchRows} rows × ${inputColumns} columns at Dropout layer ${this.index} exceeds the 2^32 counters of one random stream: use a smaller batchSize`,
      );
    if (this.step + updates > 2 ** 32 - 1)
      throw new RangeError(
        `${updates} more updates would take Dropout layer ${this.index}'s step (${this.step}) past 2^32 − 1`,
      );
  }

  forward(input: Matrix, training: boolean, rowOffset = 0): Matrix {
    this.#lastRows = input.rows;
    this.#lastCols = input.cols;
    if ((!training && !this.mcDropout) || this.rate === 0) {
      this.#last = null;
      return input;
    }
    // workspaces per (instance, width): a layer may move to another model
    if (!this.#work || this.#instance !== input.instance || this.#cols !== input.cols) {
      this.#work?.clear();
      const inst = input.instance;
      this.#instance = inst;
      this.#cols = input.cols;
      const cols = input.cols;
      this.#work = new RowCache(
        (rows) => ({
          output: allocMatrix(rows, cols, inst),
          mask: this.storeMask ? allocU32(maskWords(rows * cols), inst) : null,
        }),
        (w) => {
          w.output.data.free();
          w.mask?.free();
        },
      );
    }
    const work = this.#work.get(input.rows);
    if (rowOffset === 0) {
      // checked before the counter moves: a refused call leaves a state toJSON can still save
      const stream = training ? this.step : this.inferenceStep;
      if (!(stream < 2 ** 32 - 1))
        throw new RangeError(
          `Dropout layer ${this.index}'s ${training ? "step" : "inferenceStep"} (${stream}) has no stream left (the counter is 32-bit)`,
        );
      if (training) this.step++;
      else this.inferenceStep++;
      this.#stream = stream;
    }
    const offset = rowOffset * input.cols;
    if (offset + input.data.length > 2 ** 32)
      throw new RangeError(
        `a dropout batch may hold at most 2^32 elements (one stream), got ${offset + input.data.length}`,
      );
    const seed = streamSeed(this.seed, this.index, training ? 0 : 1);
    const stream = toStreamArgs(seed, this.#stream, offset);
    dropoutUnchecked(input.instance, work.output.data, work.mask, input.data, this.rate, stream);
    this.#last = { mask: work.mask, stream };
    return work.output;
  }

  /** dInput = dOutput · mask / (1 − rate), computed in place in dOutput. */
  backward(dOutput: Matrix, needInputGrad: boolean): Matrix | null {
    if (this.#lastRows < 0) throw new Error("Dropout.backward() called before forward()");
    if (dOutput.rows !== this.#lastRows || dOutput.cols !== this.#lastCols)
      throw new RangeError(
        `dOutput must be ${this.#lastRows} × ${this.#lastCols}, got ${dOutput.rows} × ${dOutput.cols}`,
      );
    if (!needInputGrad) return null;
    const last = this.#last;
    if (!last) return dOutput;
    const d = dOutput.data;
    if (last.mask) dropoutBackwardUnchecked(dOutput.instance, d, d, this.rate, last.mask);
    else dropoutUnchecked(dOutput.instance, d, null, d, this.rate, last.stream); // the same mask, regenerated
    return dOutput;
  }

  toJSON(): LayerJSON {
    return {
      type: this.type,
      rate: this.rate,
      seed: this.seed,
      step: this.step,
      inferenceStep: this.inferenceStep,
      mcDropout: this.mcDropout,
      storeMask: this.storeMask,
    };
  }

  static fromJSON(json: LayerJSON): Dropout {
    checkOptions("json", json, ["type", "rate", "seed", "step", "inferenceStep", "mcDropout", "storeMask"]);
    const { rate, seed, step = 0, inferenceStep = 0, mcDropout, storeMask } = json as unknown as Record<string, never>;
    checkSeed("json.seed", seed); // required: a missing one would be drawn from the process-wide counter
    const layer = new Dropout(rate, { seed, mcDropout, storeMask });
    checkUint32("json.step", step);
    checkUint32("json.inferenceStep", inferenceStep);
    layer.step = step;
    layer.inferenceStep = inferenceStep;
    return layer;
  }

  free(): void {
    this.#work?.clear();
    this.#work = null;
    this.#last = null;
  }
}
