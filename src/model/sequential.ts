// Sequential: a stack of layers trained against a loss. Inputs are copied into WASM memory once per
// call; every activation and gradient stays there between layers. The model knows only the families'
// base classes and registries: layers run as the layers module plans them (activations fused).
import { Layer, type LayerJSON, type Param } from "../layers/layer.js";
import { planStages, type Stage } from "../layers/plan.js";
import { layerRegistry } from "../layers/registry.js";
import { Loss, type LossJSON } from "../losses/loss.js";
import { defaultLoss, lossRegistry } from "../losses/registry.js";
import type { Optimizer, OptimizerJSON } from "../optimizers/optimizer.js";
import { optimizerRegistry } from "../optimizers/registry.js";
import {
  type Checked,
  checkData,
  checkFiniteValues,
  type DataShape,
  type OnDevice,
  placeBatch,
  placeData,
  splitRows,
  type Targets,
} from "./data.js";
import { checkOptions, checkPositiveInt, checkSeed, describe, F32_MAX } from "../validate.js";
import { allFinite } from "../kernels/finite.js";
import { MAX_SHUFFLE_ROWS, permutation } from "../data/permutation.js";
import { allocU32 } from "../wasm/buffer.js";
import { allocMatrix, type Matrix, rowSlice } from "../wasm/matrix.js";
import type { Callback } from "./callback.js";
import { checkFitOptions, type FitOptions } from "./fit-options.js";
import { type BatchLog, type EpochLog, type History, historyOf } from "./history.js";
import { EventLoopYield } from "./event-loop.js";
import { RowCache } from "../wasm/row-cache.js";
import { ownSlots, type SlotTimes, smoothedSlotTimes, splitSlots } from "../wasm/lane-balance.js";
import { GROUP_ROWS, groupCount, SUM_SLOTS, slotCount } from "../wasm/row-groups.js";
import { regularizationLoss } from "./regularization.js";
import { readModelBytes, writeModelBytes } from "./bytes.js";
import { loadModelFiles, saveModelFiles } from "./files.js";
import { toTfjsArtifacts } from "./tfjs-export.js";
import { fromTfjsArtifacts } from "./tfjs-import.js";
import { loadTfjsFiles, saveTfjsFiles } from "./tfjs-files.js";
import type { TfjsArtifacts } from "./tfjs-format.js";

export interface Evaluation {
  /** dataLoss + regLoss. */
  loss: number;
  dataLoss: number;
  regLoss: number;
  /**
   * Accuracy: the share of rows whose arg-max is the label (softmax cross-entropy); of all outputs
   * whose prediction p > 0.5 equals the target (binary cross-entropy, Keras's binary accuracy); NaN
   * for the regression losses (mean squared and absolute error), which have none.
   */
  acc: number;
}

export type { Labels, Targets } from "./data.js";
export type { FitOptions } from "./fit-options.js";

export type { TfjsArtifacts, TfjsWeightSpec } from "./tfjs-format.js";

export interface FromTfjsOptions {
  /** The loss of the rebuilt model; default: the one regwasm saved, else softmax cross-entropy for a model ending in softmax, binary cross-entropy for sigmoid, mean squared error otherwise. */
  loss?: Loss;
}

export interface SequentialOptions {
  loss?: Loss;
  /**
   * Rows per chunk: every batch runs forward and backward chunk by chunk, gradients accumulated,
   * so activations stay in cache; a chunk also ends where a row group does (every 512 rows of a
   * batch). Results are bit-identical for any value. Default: the widest
   * layer's activations (the input counts too) in ~512 KiB (256 rows at width 512, 167 at 784), at
   * least 8.
   */
  chunkRows?: number;
}

/**
 * Bytes of the widest activation per chunk: a chunk's buffers then stay near a 1–2 MiB L2 cache. On
 * one thread 256 KiB and 512 KiB train at the same speed; on 2 threads a 128-row MNIST batch (784
 * inputs) in one chunk of 128 rows took ~8% less time than in chunks of 83 and 45.
 */
const CHUNK_BYTES = 512 * 1024;
/** Dropout counters are 32-bit: one batch may hold at most 2^32 elements per layer. */
const MAX_BATCH_ELEMENTS = 2 ** 32;

const VAL_X = "options.validationData[0]";
const VAL_Y = "options.validationData[1]";

export const SEQUENTIAL_FORMAT = "regwasm.sequential";

export interface SequentialJSON {
  format: typeof SEQUENTIAL_FORMAT;
  version: 1;
  layers: LayerJSON[];
  loss: LossJSON;
  optimizer: OptimizerJSON | null;
  /** Optional: results do not depend on it. */
  chunkRows?: number;
  /** Epochs trained so far (the shuffling order of the next one); default 0. */
  epochsTrained?: number;
}

export class Sequential {
  readonly layers: readonly Layer[];
  readonly loss: Loss;
  /** Columns of the input. */
  readonly inputSize: number;
  /** Columns of the output: the number of classes (or of outputs, for losses that take value targets). */
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
  /** Epochs trained over the model's life: the shuffling order of the next epoch. */
  #epochsTrained = 0;
  /** fit() is running (possibly awaiting a callback or a yield). */
  #fitting = false;
  /** fit() is inside an epoch's batch loop, where another call would break its running state. */
  #busy = false;
  /** Time per sum slot of the calling thread's lane and of the workers', over the batches run as lanes. */
  #slotTimes: SlotTimes | null = null;
  /** Set by a callback (or by onEpoch returning false) to end fit() after the current batch. */
  stopTraining = false;

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
      throw new TypeError(
        `options.loss must be a loss (SoftmaxCrossEntropy, BinaryCrossEntropy, MeanSquaredError, …), got ${describe(loss)}`,
      );
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
    // class labels need at least two classes; value targets take any number of outputs
    if (size < 2 && loss.targetKind === "labels")
      throw new RangeError(
        `the last Dense layer must have at least 2 outputs (classes) for the class labels of ${loss.type}, got ${size}`,
      );
    this.classes = size;
    const inst = layers[firstTrainable].instance!;
    for (const layer of layers)
      if (layer.params().length > 0 && layer.instance !== inst)
        throw new TypeError("all layers must live in the same regwasm instance");
    this.#shape = { inputSize, classes: size, instance: inst, loss };
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

  /** Whether a training batch's sum slots may run as lanes on several threads (Layer.replayable). */
  get #replayable(): boolean {
    return this.loss.replayable && this.layers.every((layer) => layer.replayable);
  }

  #forward(input: Matrix, training: boolean, rowOffset: number, batchRows: number): Matrix {
    let a = input;
    for (const { layer, fused } of this.#stages) a = layer.forward(a, training, rowOffset, fused, batchRows);
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
    const chunk = (offset: number, n: number, group: number) => {
      const logits = this.#forward(rowSlice(data.x, start + offset, n), training, offset, rows);
      if (probs) {
        const p = this.#probs.get(n);
        this.loss.probabilities(p, logits);
        probs.set(p.data.view(), (start + offset) * this.classes);
      }
      if (!data.y) return;
      const dLogits = this.loss.accumulate(logits, data.y, start + offset, gradient, rows, group);
      if (dLogits) this.#backward(dLogits);
    };
    // each sum slot's groups in order (wasm/row-groups.ts); chunks never straddle a group
    const groups = groupCount(rows);
    const runSlots = ([first, end]: readonly [number, number]) => {
      for (let slot = first; slot < end; slot++) {
        for (let group = slot; group < groups; group += SUM_SLOTS) {
          const groupEnd = Math.min(rows, (group + 1) * GROUP_ROWS);
          for (let offset = group * GROUP_ROWS; offset < groupEnd; offset += this.chunkRows)
            chunk(offset, Math.min(this.chunkRows, groupEnd - offset), group);
        }
      }
    };
    const slots = slotCount(groups);
    const inst = this.#shape.instance;
    // training only: evaluating MNIST's 10000 test rows as lanes was 0.80× the time at one hour and
    // 1.08–1.12× at another (bench/mnist/paired.mjs --model mnist-evaluate): each lane reads all the
    // weights, where cut kernel calls read half each
    const lanes = gradient && data.y && !probs && this.#replayable ? Math.min(inst.laneThreads, slots) : 1;
    // several threads: each takes a lane of whole slots, recorded, then all run at once (wasm/tape.ts)
    if (lanes > 1) {
      const own = ownSlots(lanes, slots, this.#slotTimes);
      const times = inst.record(lanes, (lane) => runSlots(splitSlots(lane, lanes, slots, own)));
      if (times) this.#slotTimes = smoothedSlotTimes(this.#slotTimes, times, lanes, slots, own);
    } else runSlots([0, slots]);
    let penalty = 0;
    if (gradient) for (const layer of this.layers) penalty += layer.finishGradients();
    return penalty;
  }

  /** Every row of `data` in inference mode, in batches of at most #inferenceRows rows (see MAX_BATCH_ELEMENTS). */
  #infer(data: OnDevice, probs?: Float32Array): void {
    const rows = data.x.rows;
    for (let start = 0; start < rows; start += this.#inferenceRows) {
      this.#batch(data, start, Math.min(this.#inferenceRows, rows - start), false, false, probs);
    }
  }

  /** Data loss and accuracy of data already in WASM memory, in inference mode. */
  #evaluateOnDevice(data: OnDevice): { dataLoss: number; acc: number } {
    const rows = data.x.rows;
    this.loss.resetSums();
    this.#infer(data);
    const { lossSum, correct } = this.loss.sums();
    return { dataLoss: lossSum / rows, acc: correct / rows };
  }

  /**
   * Trains on (x, y): x rows × inputSize, row-major; y what the loss takes (loss.targetKind): class
   * labels, or rows × outputs target values. Resolves to the History of the
   * epochs run; rejects (with the parameters as before the failing update) when an argument is bad
   * or the loss or a gradient stops being finite. Yields to the event loop every `yieldEvery` ms.
   * @example
   * const history = await model.fit(data.x, data.y, { epochs: 100, batchSize: 32, optimizer: new Adam() });
   */
  async fit(x: ArrayLike<number>, y: Targets, options: FitOptions): Promise<History> {
    this.#checkIdle("fit");
    const settings = checkFitOptions(options, this.optimizer);
    const { epochs, optimizer, validationData, validationSplit, logEvery } = settings;
    // everything that can fail is checked before any memory is taken or any layer changes
    let trainData = checkData(this.#shape, x, y, "x", "y");
    checkFiniteValues("x", trainData.x);
    let valData: Checked | null = null;
    if (validationData) {
      valData = checkData(this.#shape, validationData[0], validationData[1], VAL_X, VAL_Y);
      checkFiniteValues(VAL_X, valData.x);
    } else if (validationSplit !== undefined) {
      const trainRows = Math.floor(trainData.rows * (1 - validationSplit));
      if (trainRows < 1 || trainRows === trainData.rows)
        throw new RangeError(
          `options.validationSplit ${validationSplit} of ${trainData.rows} rows leaves ${trainRows === trainData.rows ? "no validation" : "no training"} rows`,
        );
      [trainData, valData] = splitRows(trainData, trainRows, this.inputSize);
    }
    const rows = trainData.rows;
    const batch = Math.min(settings.batchSize ?? rows, rows);
    const batches = Math.ceil(rows / batch);
    // one full batch is visited in order: shuffling it would change only rounding and mask order
    const shuffle = settings.shuffle && batches > 1;
    if (shuffle && rows > MAX_SHUFFLE_ROWS)
      throw new RangeError(`shuffling takes at most 2^31 rows, got ${rows}: pass shuffle: false`);
    this.#checkTraining(batch, batches * epochs);
    const inst = this.#shape.instance;
    const taken: { free(): void }[] = [];
    try {
      const train = placeData(this.#shape, trainData);
      taken.push(train);
      const val = valData ? placeData(this.#shape, valData) : null;
      if (val) taken.push(val);
      // a shuffled batch is gathered into buffers of its own, row by row, from the placed data
      const order = shuffle ? allocU32(rows, inst) : null;
      if (order) taken.push(order);
      const gathered = shuffle ? placeBatch(this.#shape, batch) : null;
      if (gathered) taken.push(gathered);
      // a replaced optimizer's state belongs to this model's parameters: return its memory
      if (this.optimizer && this.optimizer !== optimizer) this.optimizer.free();
      this.optimizer = optimizer;
      this.stopTraining = false;
      this.#fitting = true;
      const params = this.params();
      const { callbacks, onEpoch } = settings;
      const yielder = new EventLoopYield(settings.yieldEvery);
      const call = async <K extends keyof Callback>(hook: K, ...args: Parameters<NonNullable<Callback[K]>>) => {
        for (const cb of callbacks) await (cb[hook] as ((...a: unknown[]) => unknown) | undefined)?.call(cb, ...args);
      };
      const batchHooks = callbacks.some((cb) => cb.onBatchEnd);
      await call("onTrainBegin", { epochs, batchSize: batch, rows, batches, validation: !!val, logEvery }, this);
      const logs: EpochLog[] = [];
      for (let epoch = 0; epoch < epochs && !this.stopTraining; epoch++) {
        await call("onEpochBegin", epoch, this);
        if (order) {
          // drawn first: its words may grow memory, which detaches any view taken before
          const shuffled = permutation(rows, settings.seed, this.#epochsTrained, inst);
          order.view().set(shuffled);
        }
        this.#epochsTrained++;
        let penaltySum = 0,
          steps = 0,
          seen = 0,
          lr = 0;
        // one running loss sum over the epoch (per sum slot within a batch, added after it): the same
        // bits for any chunkRows and thread count
        this.loss.resetSums();
        this.#busy = true;
        for (let b = 0; b < batches; b++) {
          const start = b * batch;
          const n = Math.min(batch, rows - start);
          const penalty = gathered
            ? this.#batch(gathered.gather(train, order!, start, n), 0, n, true, true)
            : this.#batch(train, start, n, true, true);
          const { lossSum, correct } = this.loss.sums();
          this.#checkFinite(lossSum, penalty, epoch, b, start, n, !!gathered);
          lr = optimizer.step(params);
          penaltySum += penalty;
          steps++;
          seen += n;
          if (batchHooks) {
            const log: BatchLog = { epoch, batch: b, size: n, dataLoss: lossSum / seen, acc: correct / seen, lr };
            await call("onBatchEnd", log, this);
          }
          if (this.stopTraining) break;
          await yielder.maybeYield();
        }
        this.#busy = false;
        const { lossSum, correct } = this.loss.sums();
        const dataLoss = lossSum / seen;
        const regLoss = penaltySum / steps;
        const log: EpochLog = { epoch, loss: dataLoss + regLoss, dataLoss, regLoss, acc: correct / seen, lr };
        if (val && (epoch % logEvery === 0 || epoch === epochs - 1 || this.stopTraining)) {
          const v = this.#evaluateOnDevice(val);
          log.valLoss = v.dataLoss;
          log.valAcc = v.acc;
        }
        logs.push(log);
        if (onEpoch && onEpoch(log) === false) this.stopTraining = true;
        await call("onEpochEnd", log, this);
        await yielder.maybeYield();
      }
      const history = historyOf(logs);
      await call("onTrainEnd", history, this);
      return history;
    } finally {
      this.#busy = false;
      this.#fitting = false;
      for (const t of taken) t.free();
    }
  }

  /**
   * Before an update: the batch's loss (the epoch's running sum), its penalty and every gradient must
   * be finite, or training stops here with the parameters as they are.
   */
  #checkFinite(
    lossSum: number,
    penalty: number,
    epoch: number,
    batch: number,
    start: number,
    rows: number,
    shuffled: boolean,
  ): void {
    let what: string | null = null;
    if (!Number.isFinite(lossSum)) what = "the data loss";
    else if (!Number.isFinite(penalty)) what = "the regularization loss";
    else
      this.layers.forEach((layer, i) => {
        for (const p of layer.params())
          if (what === null && !allFinite(p.grad)) what = `the gradient of layers[${i}] (${layer.type}) ${p.name}`;
      });
    if (what === null) return;
    const where = shuffled
      ? `rows ${start}–${start + rows - 1} of the epoch's shuffled order`
      : `rows ${start}–${start + rows - 1}`;
    throw new RangeError(
      `training stopped at epoch ${epoch}, batch ${batch} (${where}): ${what} is not finite (NaN or ±∞). ` +
        "That update was not applied: the parameters are those before it. Lower the learning rate or check the data.",
    );
  }

  /** Throws while fit() runs a batch loop (between its awaits), where another call would break its state. */
  #checkIdle(method: string): void {
    if (this.#busy || (method === "fit" && this.#fitting))
      throw new Error(`${method}() cannot run while fit() is training this model: await fit() first`);
  }

  /** Epochs trained so far over the model's life (fit calls and JSON resumes): the next epoch's shuffling order. */
  get epochsTrained(): number {
    return this.#epochsTrained;
  }

  /** Copies of every parameter's values, in params() order (weights, biases, layer by layer). */
  getWeights(): Float32Array[] {
    return this.params().map((p) => p.value.view().slice());
  }

  /** Sets every parameter from `weights` (as getWeights returns them), all checked before any is written. */
  setWeights(weights: ArrayLike<number>[]): void {
    const params = this.params();
    if (!Array.isArray(weights) || weights.length !== params.length)
      throw new TypeError(
        `weights must be an array of ${params.length} arrays (one per parameter, as getWeights returns)`,
      );
    params.forEach((p, i) => {
      const w = weights[i];
      if (w === null || typeof w !== "object" || w.length !== p.value.length)
        throw new RangeError(`weights[${i}] (${p.name}) must hold ${p.value.length} numbers, got ${describe(w)}`);
      for (let k = 0; k < w.length; k++) {
        const v: unknown = w[k];
        if (typeof v !== "number" || !(Math.abs(v) <= F32_MAX))
          throw new RangeError(`weights[${i}][${k}] must be a finite number in the f32 range, got ${describe(v)}`);
      }
    });
    params.forEach((p, i) => {
      p.value.view().set(weights[i]);
    });
  }

  /**
   * One training-mode forward and backward over all of (x, y) without updating: fills every
   * parameter's gradient (`params()[i].grad`, data + regularization) and returns the loss of that
   * forward. Dropout layers advance their step as in fit(). For custom loops and gradient checks.
   */
  computeGradients(x: ArrayLike<number>, y: Targets): Evaluation {
    this.#checkIdle("computeGradients");
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
  evaluate(x: ArrayLike<number>, y: Targets): Evaluation {
    this.#checkIdle("evaluate");
    const data = placeData(this.#shape, checkData(this.#shape, x, y, "x", "y"));
    try {
      const { dataLoss, acc } = this.#evaluateOnDevice(data);
      const regLoss = regularizationLoss(this);
      return { loss: dataLoss + regLoss, dataLoss, regLoss, acc };
    } finally {
      data.free();
    }
  }

  /**
   * The loss's predictions (rows × classes, row-major) in inference mode: class probabilities for
   * softmax cross-entropy, the last layer's output for the losses that take value targets.
   */
  predict(x: ArrayLike<number>): Float32Array {
    this.#checkIdle("predict");
    const data = placeData(this.#shape, checkData(this.#shape, x, null, "x", "y"));
    try {
      const out = new Float32Array(data.x.rows * this.classes);
      this.#infer(data, out);
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
      epochsTrained: this.#epochsTrained,
    };
  }

  /** Rebuilds a model saved by toJSON (in the default instance); `model.optimizer` resumes where it stopped. */
  static fromJSON(json: SequentialJSON | string): Sequential {
    const data = typeof json === "string" ? (JSON.parse(json) as SequentialJSON) : json;
    if (!data || typeof data !== "object" || data.format !== SEQUENTIAL_FORMAT)
      throw new TypeError(`json must be a ${SEQUENTIAL_FORMAT} object from toJSON()`);
    if (data.version !== 1)
      throw new RangeError(`json.version ${describe(data.version)} is not supported (expected 1)`);
    checkOptions("json", data, ["format", "version", "layers", "loss", "optimizer", "chunkRows", "epochsTrained"]);
    const epochsTrained = data.epochsTrained ?? 0;
    checkSeed("json.epochsTrained", epochsTrained); // a count in [0, 2^53 − 1]
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
      model.#epochsTrained = epochsTrained;
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
    if (this.#fitting) throw new Error("free() cannot run while fit() is training this model: await fit() first");
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

  /**
   * TensorFlow.js layers-model artifacts (see tfjs-export.ts): `tf.loadLayersModel(tf.io.fromMemory(a))`
   * gives a model whose predict equals this one's (softmax cross-entropy's softmax becomes the last
   * layer's activation). A layer TF.js cannot run is a TypeError naming it.
   */
  toTfjs(): TfjsArtifacts {
    return toTfjsArtifacts({ layers: this.toJSON().layers, loss: this.loss.toJSON(), inputSize: this.inputSize });
  }

  /** Node: writes `dir`/model.json and `dir`/weights.bin, what `tf.loadLayersModel("file://dir/model.json")` reads. */
  async saveTfjs(dir: string): Promise<void> {
    const artifacts = this.toTfjs(); // a model TF.js cannot run fails before any file is written
    await saveTfjsFiles(dir, artifacts, "model.saveTfjs");
  }

  /**
   * A model from TF.js artifacts (a Sequential of InputLayer, Dense, Activation and Dropout; see
   * tfjs-import.ts), in the default instance. Weights are carried bit for bit.
   */
  static fromTfjs(artifacts: TfjsArtifacts, options: FromTfjsOptions = {}): Sequential {
    checkOptions("options", options, ["loss"]);
    if (options.loss !== undefined && !(options.loss instanceof Loss))
      throw new TypeError(`options.loss must be a loss (SoftmaxCrossEntropy, …), got ${describe(options.loss)}`);
    const { layers, loss } = fromTfjsArtifacts(artifacts, options.loss?.toJSON());
    return Sequential.fromJSON({ format: SEQUENTIAL_FORMAT, version: 1, layers, loss, optimizer: null });
  }

  /** Node: the model of a TF.js model.json (or a directory holding one) and its weight files. */
  static async loadTfjs(path: string, options: FromTfjsOptions = {}): Promise<Sequential> {
    checkOptions("options", options, ["loss"]);
    return Sequential.fromTfjs(await loadTfjsFiles(path, "Sequential.loadTfjs"), options);
  }
}
