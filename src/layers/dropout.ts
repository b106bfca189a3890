// Inverted dropout as a layer. Each training batch draws a new stream of the counter-based
// generator, stream = the layer's step counter under a seed mixed with the layer's position, so
// masks differ from step to step yet replay exactly from a saved (seed, step). Row chunks of a
// batch draw consecutive counters of the batch's stream (counter offset = first element), so the
// mask is the same however the batch is chunked.
import {
  dropoutBackwardUnchecked,
  dropoutNoiseBackwardUnchecked,
  dropoutNoiseUnchecked,
  dropoutUnchecked,
  maskWords,
} from "../kernels/dropout.js";
import { checkDims, checkShape, type NoiseLayout, type NoiseShape, noiseLayout } from "../kernels/noise-shape.js";
import { type StreamArgs, toStreamArgs } from "../kernels/random.js";
import { checkBoolean, checkOptions, checkRate, checkSeed, checkUint32, describe } from "../validate.js";
import { allocU32, type F32Buffer, type U32Buffer } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import { allocMatrix, type Matrix } from "../wasm/matrix.js";
import { RowCache } from "../wasm/row-cache.js";
import { checkTraining, streamSeed } from "./batch-streams.js";
import { defaultSeed } from "./default-seed.js";
import { Layer, type LayerJSON } from "./layer.js";

export interface DropoutLayerOptions {
  /** Seed of the masks; default: 0, 1, 2, … in construction order. */
  seed?: number;
  /** Keep dropping at inference (Monte-Carlo dropout); default false: identity at inference. */
  mcDropout?: boolean;
  /** Store the bit mask in forward (default true); false regenerates it in backward from (seed, stream). */
  storeMask?: boolean;
  /**
   * Keras noise_shape, batch dim first: one keep bit per element of this shape, broadcast over the
   * batch (entries: the input's size or null, or 1 to keep or drop along that dim together), e.g.
   * [null, 1, null] over inputs of shape [steps, channels] drops whole channels of a sample.
   */
  noiseShape?: NoiseShape;
  /** The shape of one sample (row), row-major, for noiseShape: its product is the input's width. Default [width]. */
  inputShape?: readonly number[];
}

/** The layout of a chunk of `rows` rows under a batch-first noise shape, and the noise elements per row. */
export interface ChunkNoise {
  layout: NoiseLayout;
  /** Noise elements of one batch row (0 when the noise is shared by all rows: noiseShape[0] = 1). */
  perRow: number;
}

/** Checks a batch-first noise shape against a per-sample shape (the batch size itself is unknown). */
export function checkNoiseShape(
  noiseShape: unknown,
  inputShape: readonly number[] | undefined,
  name = "options",
): void {
  if (!Array.isArray(noiseShape) || noiseShape.length < 2)
    throw new TypeError(
      `${name}.noiseShape must be an array of sizes, 1 or null, batch dim first (at least 2 entries), got ${describe(noiseShape)}`,
    );
  const first = noiseShape[0];
  if (first !== null && first !== 1 && !(Number.isSafeInteger(first) && first > 0))
    throw new RangeError(
      `${name}.noiseShape[0] (the batch dim) must be null, 1 or the batch size, got ${describe(first)}`,
    );
  const sample = inputShape ?? (noiseShape.length === 2 ? [1] : null);
  if (!sample)
    throw new RangeError(
      `${name}.inputShape must be given for a noiseShape of ${noiseShape.length} entries (a sample of ${noiseShape.length - 1} dims)`,
    );
  if (noiseShape.length !== sample.length + 1)
    throw new RangeError(
      `${name}.noiseShape must have 1 + ${name}.inputShape.length = ${sample.length + 1} entries (batch first), got ${noiseShape.length}`,
    );
  // entries other than the batch's: checked against the sample shape when it is known
  if (inputShape)
    noiseLayout([1, ...inputShape], [1, ...noiseShape.slice(1)], `${name}.noiseShape`, `${name}.inputShape`);
}

/** The layout of `rows` rows of `cols` columns under a batch-first noise shape. */
export function chunkNoise(
  noiseShape: NoiseShape,
  inputShape: readonly number[] | null,
  rows: number,
  cols: number,
): ChunkNoise {
  const sample = inputShape ?? [cols];
  if (inputShape) checkShape("inputShape", inputShape, cols);
  const [first, ...rest] = noiseShape;
  const layout = noiseLayout([rows, ...sample], [first === 1 ? 1 : rows, ...rest], "noiseShape", "input shape");
  const perRow = first === 1 ? 0 : layout.noiseLength / rows;
  return { layout, perRow };
}

interface DropoutWork {
  output: Matrix;
  mask: U32Buffer | null;
  noise: ChunkNoise | null;
}

export class Dropout extends Layer {
  readonly type: string = "dropout";
  readonly seed: number;
  readonly mcDropout: boolean;
  readonly storeMask: boolean;
  /** Batch-first noise shape, or null for one bit per element. */
  readonly noiseShape: NoiseShape | null;
  /** The shape of one sample, or null for [width]. */
  readonly inputShape: readonly number[] | null;
  /** The class name, for messages. */
  protected readonly label: string = "Dropout";
  /** Training batches done so far: the next one uses stream `step`. */
  step = 0;
  /** Monte-Carlo inference passes done so far (their own streams). */
  inferenceStep = 0;
  /** The stream of the current batch (set by its first chunk). */
  #stream = 0;
  #instance: Instance | null = null;
  #work: RowCache<DropoutWork> | null = null;
  #cols = 0;
  /** What the last forward did: identity (null) or its mask or stream, and its noise layout. */
  #last: { mask: U32Buffer | null; stream: StreamArgs; noise: ChunkNoise | null } | null = null;
  #lastRows = -1;
  #lastCols = -1;

  /** rate: the fraction of elements dropped, in [0, 1] (Keras `rate`, PyTorch `p`). */
  constructor(
    readonly rate: number,
    options: DropoutLayerOptions = {},
  ) {
    super();
    checkRate("rate", rate);
    checkOptions("options", options, ["seed", "mcDropout", "storeMask", "noiseShape", "inputShape"]);
    const { mcDropout = false, storeMask = true, seed: givenSeed, noiseShape, inputShape } = options;
    checkBoolean("options.mcDropout", mcDropout);
    checkBoolean("options.storeMask", storeMask);
    if (inputShape !== undefined) {
      if (noiseShape === undefined) throw new TypeError("options.inputShape is only read with options.noiseShape");
      checkDims("options.inputShape", inputShape);
    }
    if (noiseShape !== undefined) checkNoiseShape(noiseShape, inputShape);
    this.noiseShape = noiseShape === undefined ? null : Object.freeze([...noiseShape]);
    this.inputShape = inputShape === undefined ? null : Object.freeze([...inputShape]);
    const seed = givenSeed === undefined ? defaultSeed() : givenSeed;
    checkSeed("options.seed", seed);
    this.seed = seed;
    this.mcDropout = mcDropout;
    this.storeMask = storeMask;
  }

  get instance(): Instance | null {
    return this.#instance;
  }

  /** One bit per element only: noise shapes were not checked for replay. */
  get replayable(): boolean {
    return this.noiseShape === null;
  }

  outputSize(inputSize: number): number {
    return inputSize;
  }

  /** A batch is one stream of 2^32 counters, and the step counter is 32-bit. */
  checkTraining(batchRows: number, inputColumns: number, updates: number): void {
    if (this.rate === 0) return; // draws nothing
    checkTraining(this.label, this.index, this.step, batchRows, inputColumns, updates);
  }

  forward(input: Matrix, training: boolean, rowOffset = 0, _fused = null, batchRows = input.rows): Matrix {
    const batchDim = this.noiseShape?.[0];
    if (typeof batchDim === "number" && batchDim !== 1 && batchDim !== batchRows)
      throw new RangeError(
        `${this.label} layer ${this.index}'s noiseShape[0] is ${batchDim} (the batch size), got a batch of ${batchRows} rows: use null`,
      );
    const perRow = this.inputShape?.reduce((a, b) => a * b, 1);
    if (perRow !== undefined && perRow !== input.cols)
      throw new RangeError(
        `${this.label} layer ${this.index}'s inputShape [${this.inputShape}] holds ${perRow} values per row, but the input has ${input.cols} columns`,
      );
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
      const noiseShape = this.noiseShape;
      const inputShape = this.inputShape;
      this.#work = new RowCache(
        (rows) => {
          const noise = noiseShape ? chunkNoise(noiseShape, inputShape, rows, cols) : null;
          const bits = noise ? noise.layout.noiseLength : rows * cols;
          return {
            output: allocMatrix(rows, cols, inst),
            mask: this.storeMask || noise ? allocU32(maskWords(bits), inst) : null,
            noise,
          };
        },
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
    const noise = work.noise;
    // counters: the chunk's first noise element within the batch's noise tensor
    const offset = noise ? rowOffset * noise.perRow : rowOffset * input.cols;
    const count = noise ? noise.layout.noiseLength : input.data.length;
    if (offset + count > 2 ** 32)
      throw new RangeError(`a dropout batch may hold at most 2^32 elements (one stream), got ${offset + count}`);
    const seed = streamSeed(this.seed, this.index, training ? 0 : 1);
    const stream = toStreamArgs(seed, this.#stream, offset);
    this.applyForward(input.instance, work.output.data, work.mask, input.data, stream, noise);
    this.#last = { mask: this.storeMask || !noise ? work.mask : null, stream, noise };
    return work.output;
  }

  /** out = the layer's noise on x, mask (noise-sized, or null) gets the keep bits. */
  protected applyForward(
    inst: Instance,
    out: F32Buffer,
    mask: U32Buffer | null,
    x: F32Buffer,
    stream: StreamArgs,
    noise: ChunkNoise | null,
  ): void {
    if (noise) dropoutNoiseUnchecked(inst, out, mask, x, this.rate, stream, noise.layout);
    else dropoutUnchecked(inst, out, mask, x, this.rate, stream);
  }

  /** d = the gradient through the forward's noise, in place; mask null: regenerate it from stream. */
  protected applyBackward(
    inst: Instance,
    d: F32Buffer,
    mask: U32Buffer | null,
    stream: StreamArgs,
    noise: ChunkNoise | null,
  ): void {
    if (noise) {
      if (mask) dropoutNoiseBackwardUnchecked(inst, d, d, this.rate, mask, noise.layout);
      else dropoutNoiseUnchecked(inst, d, null, d, this.rate, stream, noise.layout); // the same mask, regenerated
    } else if (mask) dropoutBackwardUnchecked(inst, d, d, this.rate, mask);
    else dropoutUnchecked(inst, d, null, d, this.rate, stream); // the same mask, regenerated
  }

  /** dInput = dOutput · mask / (1 − rate), computed in place in dOutput. */
  backward(dOutput: Matrix, needInputGrad: boolean): Matrix | null {
    if (this.#lastRows < 0) throw new Error(`${this.label}.backward() called before forward()`);
    if (dOutput.rows !== this.#lastRows || dOutput.cols !== this.#lastCols)
      throw new RangeError(
        `dOutput must be ${this.#lastRows} × ${this.#lastCols}, got ${dOutput.rows} × ${dOutput.cols}`,
      );
    if (!needInputGrad) return null;
    const last = this.#last;
    if (!last) return dOutput;
    this.applyBackward(dOutput.instance, dOutput.data, last.mask, last.stream, last.noise);
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
      // only when given, so a JSON without them reads as before they existed
      ...(this.noiseShape ? { noiseShape: [...this.noiseShape] } : {}),
      ...(this.inputShape ? { inputShape: [...this.inputShape] } : {}),
    };
  }

  /** Restores the step counters saved by toJSON (after the layer is built from the rest). */
  protected restoreSteps(json: LayerJSON): this {
    const { step = 0, inferenceStep = 0 } = json as unknown as Record<string, never>;
    checkUint32("json.step", step);
    checkUint32("json.inferenceStep", inferenceStep);
    this.step = step;
    this.inferenceStep = inferenceStep;
    return this;
  }

  static fromJSON(json: LayerJSON): Dropout {
    checkOptions("json", json, [
      "type",
      "rate",
      "seed",
      "step",
      "inferenceStep",
      "mcDropout",
      "storeMask",
      "noiseShape",
      "inputShape",
    ]);
    const { rate, seed, mcDropout, storeMask, noiseShape, inputShape } = json as unknown as Record<string, never>;
    checkSeed("json.seed", seed); // required: a missing one would be drawn from the process-wide counter
    return new Dropout(rate, { seed, mcDropout, storeMask, noiseShape, inputShape }).restoreSteps(json);
  }

  free(): void {
    this.#work?.clear();
    this.#work = null;
    this.#last = null;
  }
}
