// Sequential: a stack of layers trained against a loss. Inputs are copied into WASM memory once per
// call; every activation and gradient stays there between layers. The model knows only the families'
// base classes and registries: layers run as the layers module plans them (activations fused).
import { Layer, type LayerJSON, type Param } from "../layers/layer.js";
import { planStages, type Stage } from "../layers/plan.js";
import { layerRegistry } from "../layers/registry.js";
import { Loss, type LossJSON } from "../losses/loss.js";
import { defaultLoss, lossRegistry } from "../losses/registry.js";
import { Optimizer, type OptimizerJSON } from "../optimizers/optimizer.js";
import { optimizerRegistry } from "../optimizers/registry.js";
import { checkData, type DataShape, type Labels, type OnDevice, placeData } from "./data.js";
import { checkOptions, checkPositiveInt, describe } from "../validate.js";
import { allocMatrix, type Matrix, rowSlice } from "../wasm/matrix.js";
import { RowCache } from "../wasm/row-cache.js";
import { regularizationLoss } from "./regularization.js";
import { readModelBytes, writeModelBytes } from "./bytes.js";
import { loadModelFiles, saveModelFiles } from "./files.js";

export interface EpochLog {
  /** 0-based epoch index (the course prints epoch 0 … epochs − 1). */
  epoch: number;
  /** dataLoss + regLoss. */
  loss: number;
  /** Mean cross-entropy of the training forward passes of this epoch (dropout on). */
  dataLoss: number;
  /** Regularization loss at the parameters before each update (mean over the epoch's steps). */
  regLoss: number;
  /** Training accuracy of the epoch's forward passes. */
  acc: number;
  /** Validation data loss (cross-entropy only, as the course prints it), on logged epochs. */
  valLoss?: number;
  valAcc?: number;
  /** Learning rate of the epoch's (last) update. */
  lr: number;
}

export interface Evaluation {
  /** dataLoss + regLoss. */
  loss: number;
  dataLoss: number;
  regLoss: number;
  acc: number;
}

export type { Labels } from "./data.js";

export interface FitOptions {
  epochs: number;
  /** Default: the optimizer of the previous fit (or of fromJSON); required the first time. */
  optimizer?: Optimizer;
  /** Rows per update, in order (no shuffling); default: all rows (full batch). */
  batchSize?: number;
  validationData?: [ArrayLike<number>, Labels];
  /** Called after every epoch; returning false stops training. */
  onEpoch?: (log: EpochLog) => void | boolean;
  /** Compute validation metrics every k epochs (and on the last); default 1. */
  logEvery?: number;
}

export interface SequentialOptions {
  loss?: Loss;
  /**
   * Rows per chunk: every batch runs forward and backward chunk by chunk, gradients accumulated,
   * so activations stay in cache. Results are bit-identical for any value. Default: the widest
   * layer's activations in ~256 KiB (128 rows at width 512), at least 8.
   */
  chunkRows?: number;
}

/** Bytes of the widest activation per chunk: a chunk's buffers then stay in a 1–2 MiB L2 cache. */
const CHUNK_BYTES = 256 * 1024;
/** Dropout counters are 32-bit: one batch may hold at most 2^32 elements per layer. */
const MAX_BATCH_ELEMENTS = 2 ** 32;

const VAL_X = "options.validationData[0]";
const VAL_Y = "options.validationData[1]";
const FIT_OPTIONS = ["epochs", "optimizer", "batchSize", "validationData", "onEpoch", "logEvery"] as const;

export const SEQUENTIAL_FORMAT = "regwasm.sequential";

export interface SequentialJSON {
  format: typeof SEQUENTIAL_FORMAT;
  version: 1;
  layers: LayerJSON[];
  loss: LossJSON;
  optimizer: OptimizerJSON | null;
  /** Optional: results do not depend on it. */
  chunkRows?: number;
}

export class Sequential {
  readonly layers: readonly Layer[];
  readonly loss: Loss;
  /** Columns of the input. */
  readonly inputSize: number;
  /** Columns of the output: the number of classes. */
  readonly classes: number;
  /** The optimizer of the last fit (or restored by fromJSON); its state is saved by toJSON. */
  optimizer: Optimizer | null = null;
  /** Rows per chunk (see SequentialOptions.chunkRows). */
  readonly chunkRows: number;
  /** What fit/evaluate/predict data must fit (input width, classes, instance). */
  readonly #shape: DataShape;
  /** The layers as they run: activations fused into the layer before them where it can apply them. */
  readonly #stages: readonly Stage[];
  /** Columns of each layer's input. */
  readonly #inputWidths: readonly number[];
  /** Backward stops at this stage: no layer before it has parameters. */
  readonly #firstTrainableStage: number;
  /** Rows of one inference batch (evaluate/predict): keeps dropout counters within 32 bits. */
  readonly #inferenceRows: number;
  readonly #probs: RowCache<Matrix>;

  constructor(layers: Layer[], options: SequentialOptions = {}) {
    if (!Array.isArray(layers) || layers.length === 0)
      throw new TypeError(`layers must be a non-empty array of layers, got ${describe(layers)}`);
    const seen = new Set<Layer>();
    layers.forEach((layer, i) => {
      if (!(layer instanceof Layer))
        throw new TypeError(`layers[${i}] must be a layer (Dense, ReLU, Dropout, …), got ${describe(layer)}`);
      if (seen.has(layer)) throw new TypeError(`layers[${i}] appears twice in the model`);
      seen.add(layer);
    });
    checkOptions("options", options, ["loss", "chunkRows"]);
    const { loss: givenLoss, chunkRows: givenChunkRows = undefined } = options;
    const loss = givenLoss ?? defaultLoss();
    if (!(loss instanceof Loss))
      throw new TypeError(`options.loss must be a loss (SoftmaxCrossEntropy), got ${describe(loss)}`);
    const firstTrainable = layers.findIndex((l) => l.params().length > 0);
    if (firstTrainable < 0)
      throw new TypeError("layers must include at least one layer with parameters, such as Dense");
    const sized = layers.findIndex((l) => l.inputSize !== null);
    if (sized < 0) throw new TypeError("layers must include a layer with a fixed input size, such as Dense");
    // the model's input is the first sized layer's; the layers before it must keep that width
    const inputSize = layers[sized].inputSize!;
    this.inputSize = inputSize;
    let size = inputSize;
    let widest = size;
    const widths: number[] = [];
    layers.forEach((layer, i) => {
      widths.push(size);
      let next: number;
      try {
        next = layer.outputSize(size);
      } catch (error) {
        if (error instanceof Error) error.message = `layers[${i}]: ${error.message}`;
        throw error;
      }
      if (!Number.isSafeInteger(next) || next < 1)
        throw new RangeError(`layers[${i}].outputSize(${size}) must be a positive integer, got ${describe(next)}`);
      if (i < sized && next !== size)
        throw new RangeError(
          `layers[${i}] changes the width (${size} → ${next}) before the first layer with a fixed input size`,
        );
      size = next;
      widest = Math.max(widest, size);
    });
    const chunkRows =
      givenChunkRows === undefined ? Math.max(8, Math.floor(CHUNK_BYTES / (4 * widest))) : givenChunkRows;
    checkPositiveInt("options.chunkRows", chunkRows);
    this.chunkRows = chunkRows;
    this.#inferenceRows = Math.floor(MAX_BATCH_ELEMENTS / widest);
    if (size < 2) throw new RangeError(`the last Dense layer must have at least 2 outputs (classes), got ${size}`);
    this.classes = size;
    const inst = layers[firstTrainable].instance!;
    for (const layer of layers)
      if (layer.params().length > 0 && layer.instance !== inst)
        throw new TypeError("all layers must live in the same regwasm instance");
    this.#shape = { inputSize, classes: size, instance: inst };
    // every check passed: only now do the layers learn their positions (dropout streams use them)
    layers.forEach((layer, i) => {
      layer.index = i;
    });
    this.#inputWidths = widths;
    this.#stages = planStages(layers);
    this.#firstTrainableStage = this.#stages.findIndex((s) => s.layer === layers[firstTrainable]);
    this.layers = Object.freeze([...layers]);
    this.loss = loss;
    this.#probs = new RowCache(
      (rows) => allocMatrix(rows, this.classes, inst),
      (m) => m.data.free(),
      2,
    );
  }

  /** All trainable parameters, layer by layer (the order of optimizer state in toJSON). */
  params(): Param[] {
    return this.layers.flatMap((l) => l.params());
  }

  /** Every layer's limits for `updates` batches of `batchRows` rows, before anything runs. */
  #checkTraining(batchRows: number, updates: number): void {
    this.layers.forEach((layer, i) => layer.checkTraining(batchRows, this.#inputWidths[i], updates));
  }

  #forward(input: Matrix, training: boolean, rowOffset: number): Matrix {
    let a = input;
    for (const { layer, fused } of this.#stages) a = layer.forward(a, training, rowOffset, fused);
    return a;
  }

  /** Backpropagates one chunk's dLogits, accumulating parameter gradients. */
  #backward(dLogits: Matrix): void {
    let d: Matrix | null = dLogits;
    for (let i = this.#stages.length - 1; i >= this.#firstTrainableStage && d; i--) {
      d = this.#stages[i].layer.backward(d, i > this.#firstTrainableStage);
    }
  }

  /**
   * Rows [start, start + rows) of `data` as one batch, chunk by chunk: the loss's running sums (reset
   * by the caller) when labels are there, parameter gradients when `gradient` (returns the penalty),
   * probabilities into `probs`.
   */
  #batch(
    data: OnDevice,
    start: number,
    rows: number,
    training: boolean,
    gradient: boolean,
    probs?: Float32Array,
  ): number {
    for (let offset = 0; offset < rows; offset += this.chunkRows) {
      const n = Math.min(this.chunkRows, rows - offset);
      const logits = this.#forward(rowSlice(data.x, start + offset, n), training, offset);
      if (probs) {
        const p = this.#probs.get(n);
        this.loss.probabilities(p, logits);
        probs.set(p.data.view(), (start + offset) * this.classes);
      }
      if (!data.y) continue;
      const dLogits = this.loss.accumulate(logits, data.y, start + offset, gradient, rows);
      if (dLogits) this.#backward(dLogits);
    }
    let penalty = 0;
    if (gradient) for (const layer of this.layers) penalty += layer.finishGradients();
    return penalty;
  }

  /** Data loss and accuracy of data already in WASM memory, in inference mode. */
  #evaluateOnDevice(data: OnDevice): { dataLoss: number; acc: number } {
    const rows = data.x.rows;
    this.loss.resetSums();
    for (let start = 0; start < rows; start += this.#inferenceRows) {
      this.#batch(data, start, Math.min(this.#inferenceRows, rows - start), false, false);
    }
    const { lossSum, correct } = this.loss.sums();
    return { dataLoss: lossSum / rows, acc: correct / rows };
  }

  /**
   * Trains on (x, y) and returns one log per epoch. x: rows × inputSize, row-major; y: class labels.
   * @example
   * const history = model.fit(data.x, data.y, { epochs: 10001, optimizer: new Adam({ learningRate: 0.05, decay: 5e-5 }) });
   */
  fit(x: ArrayLike<number>, y: Labels, options: FitOptions): EpochLog[] {
    checkOptions("options", options, FIT_OPTIONS, "{ epochs, optimizer }");
    const { epochs, batchSize, validationData, onEpoch, logEvery = 1, optimizer: givenOptimizer } = options;
    checkPositiveInt("options.epochs", epochs);
    checkPositiveInt("options.logEvery", logEvery);
    const optimizer = givenOptimizer ?? this.optimizer;
    if (!optimizer) throw new TypeError("options.optimizer is required (an optimizer such as SGD or Adam)");
    if (!(optimizer instanceof Optimizer))
      throw new TypeError(`options.optimizer must be an optimizer (SGD, Adam, …), got ${describe(optimizer)}`);
    if (batchSize !== undefined) checkPositiveInt("options.batchSize", batchSize);
    if (onEpoch !== undefined && typeof onEpoch !== "function")
      throw new TypeError(`options.onEpoch must be a function, got ${describe(onEpoch)}`);
    if (validationData !== undefined && (!Array.isArray(validationData) || validationData.length !== 2)) {
      throw new TypeError("options.validationData must be [x, y]");
    }
    // everything that can fail is checked before any memory is taken or any layer changes
    const trainData = checkData(this.#shape, x, y, "x", "y");
    const valData = validationData ? checkData(this.#shape, validationData[0], validationData[1], VAL_X, VAL_Y) : null;
    const rows = trainData.rows;
    const batch = Math.min(batchSize ?? rows, rows);
    this.#checkTraining(batch, Math.ceil(rows / batch) * epochs);
    const train = placeData(this.#shape, trainData);
    let val: OnDevice | null = null;
    try {
      if (valData) val = placeData(this.#shape, valData);
      // a replaced optimizer's state belongs to this model's parameters: return its memory
      if (this.optimizer && this.optimizer !== optimizer) this.optimizer.free();
      this.optimizer = optimizer;
      const params = this.params();
      const history: EpochLog[] = [];
      for (let epoch = 0; epoch < epochs; epoch++) {
        let penaltySum = 0,
          steps = 0,
          lr = 0;
        // one running loss sum over the epoch's rows in order: the same bits for any chunkRows
        this.loss.resetSums();
        for (let start = 0; start < rows; start += batch) {
          penaltySum += this.#batch(train, start, Math.min(batch, rows - start), true, true);
          lr = optimizer.step(params);
          steps++;
        }
        const { lossSum, correct } = this.loss.sums();
        const dataLoss = lossSum / rows;
        const regLoss = penaltySum / steps;
        const log: EpochLog = { epoch, loss: dataLoss + regLoss, dataLoss, regLoss, acc: correct / rows, lr };
        if (val && (epoch % logEvery === 0 || epoch === epochs - 1)) {
          const v = this.#evaluateOnDevice(val);
          log.valLoss = v.dataLoss;
          log.valAcc = v.acc;
        }
        history.push(log);
        if (onEpoch && onEpoch(log) === false) break;
      }
      return history;
    } finally {
      train.free();
      val?.free();
    }
  }

  /**
   * One training-mode forward and backward over all of (x, y) without updating: fills every
   * parameter's gradient (`params()[i].grad`, data + regularization) and returns the loss of that
   * forward. Dropout layers advance their step as in fit(). For custom loops and gradient checks.
   */
  computeGradients(x: ArrayLike<number>, y: Labels): Evaluation {
    const checked = checkData(this.#shape, x, y, "x", "y");
    this.#checkTraining(checked.rows, 1);
    const data = placeData(this.#shape, checked);
    try {
      this.loss.resetSums();
      const regLoss = this.#batch(data, 0, data.x.rows, true, true);
      const { lossSum, correct } = this.loss.sums();
      const dataLoss = lossSum / data.x.rows;
      return { loss: dataLoss + regLoss, dataLoss, regLoss, acc: correct / data.x.rows };
    } finally {
      data.free();
    }
  }

  /** Loss and accuracy on (x, y) in inference mode (dropout off unless mcDropout). */
  evaluate(x: ArrayLike<number>, y: Labels): Evaluation {
    const data = placeData(this.#shape, checkData(this.#shape, x, y, "x", "y"));
    try {
      const { dataLoss, acc } = this.#evaluateOnDevice(data);
      const regLoss = regularizationLoss(this);
      return { loss: dataLoss + regLoss, dataLoss, regLoss, acc };
    } finally {
      data.free();
    }
  }

  /** Class probabilities (rows × classes, row-major) in inference mode. */
  predict(x: ArrayLike<number>): Float32Array {
    const data = placeData(this.#shape, checkData(this.#shape, x, null, "x", "y"));
    try {
      const rows = data.x.rows;
      const out = new Float32Array(rows * this.classes);
      for (let start = 0; start < rows; start += this.#inferenceRows) {
        this.#batch(data, start, Math.min(this.#inferenceRows, rows - start), false, false, out);
      }
      return out;
    } finally {
      data.free();
    }
  }

  /** Layer configs and parameters, dropout (seed, step), and the optimizer's state: enough to resume training exactly. */
  toJSON(): SequentialJSON {
    return {
      format: SEQUENTIAL_FORMAT,
      version: 1,
      layers: this.layers.map((l) => l.toJSON()),
      loss: this.loss.toJSON(),
      optimizer: this.optimizer ? this.optimizer.toJSON(this.params()) : null,
      chunkRows: this.chunkRows,
    };
  }

  /** Rebuilds a model saved by toJSON (in the default instance); `model.optimizer` resumes where it stopped. */
  static fromJSON(json: SequentialJSON | string): Sequential {
    const data = typeof json === "string" ? (JSON.parse(json) as SequentialJSON) : json;
    if (!data || typeof data !== "object" || data.format !== SEQUENTIAL_FORMAT)
      throw new TypeError(`json must be a ${SEQUENTIAL_FORMAT} object from toJSON()`);
    if (data.version !== 1)
      throw new RangeError(`json.version ${describe(data.version)} is not supported (expected 1)`);
    checkOptions("json", data, ["format", "version", "layers", "loss", "optimizer", "chunkRows"]);
    if (!Array.isArray(data.layers)) throw new TypeError("json.layers must be an array");
    if (data.optimizer != null)
      checkOptions("json.optimizer", data.optimizer, ["type", "config", "iterations", "state"]);
    // everything built so far is freed again if a later part of the JSON is rejected
    const layers: Layer[] = [];
    let loss: Loss | null = null;
    let optimizer: Optimizer | null = null;
    try {
      data.layers.forEach((l, i) => {
        layers.push(layerRegistry.fromJSON(l, `json.layers[${i}]`));
      });
      loss = data.loss === undefined ? defaultLoss() : lossRegistry.fromJSON(data.loss, "json.loss");
      const model = new Sequential(layers, { loss, chunkRows: data.chunkRows });
      if (data.optimizer) {
        optimizer = optimizerRegistry.fromJSON(data.optimizer, "json.optimizer");
        optimizer.restore(data.optimizer, model.params());
        model.optimizer = optimizer;
      }
      return model;
    } catch (error) {
      optimizer?.free();
      loss?.free();
      for (const layer of layers) layer.free();
      throw error;
    }
  }

  /** Returns all WASM memory of the layers, the loss and the optimizer's state. */
  free(): void {
    for (const layer of this.layers) layer.free();
    this.loss.free();
    this.#probs.clear();
    this.optimizer?.free();
  }

  /**
   * toJSON() as one binary file (see bytes.ts): a header, the JSON with its weights and optimizer
   * state replaced by references, then those as little-endian f32. About 4 bytes per value.
   */
  toBytes(): Uint8Array {
    return writeModelBytes(this.toJSON());
  }

  /** Rebuilds a model from toBytes(): checks the file's header, sizes and checksum, then as fromJSON. */
  static fromBytes(bytes: Uint8Array | ArrayBuffer): Sequential {
    return Sequential.fromJSON(readModelBytes(bytes) as SequentialJSON);
  }

  /**
   * Node: writes the config to `path` and the weights beside it, "m.json" → m.json + m.weights.bin
   * (see files.ts). Rejects in a browser: use toBytes() there.
   */
  async save(path: string): Promise<void> {
    await saveModelFiles(path, this.toJSON(), "model.save");
  }

  /** Node: the model save(path) wrote (both files checked as fromBytes checks). Rejects in a browser. */
  static async load(path: string): Promise<Sequential> {
    return Sequential.fromJSON((await loadModelFiles(path, "Sequential.load")) as SequentialJSON);
  }
}
