// The options of fit(): what each means, their defaults, and their checks (all made before any data
// is read or memory taken).
import { Optimizer } from "../optimizers/optimizer.js";
import { checkBoolean, checkNonNegative, checkOptions, checkPositiveInt, checkSeed, describe } from "../validate.js";
import { type Callback, checkCallbacks } from "./callback.js";
import type { Labels } from "./data.js";
import type { EpochLog } from "./history.js";

export interface FitOptions {
  epochs: number;
  /** Default: the optimizer of the previous fit (or of fromJSON); required the first time. */
  optimizer?: Optimizer;
  /** Rows per update; default: all rows (full batch, as the course trains; Keras defaults to 32). */
  batchSize?: number;
  /**
   * Visit the rows in a new random order every epoch (default true). The order of the model's n-th
   * epoch is a pure function of (seed, n): runs are bit-identical, and a model resumed from JSON
   * continues the sequence. Validation rows are never shuffled, and neither is a single full batch
   * (its order would change only rounding and which dropout mask each row draws).
   */
  shuffle?: boolean;
  /** Seed of the shuffling order, an integer in [0, 2^53 − 1]. Default 0. */
  seed?: number;
  validationData?: [ArrayLike<number>, Labels];
  /** Fraction in (0, 1) of the rows, the last ones (before shuffling, as Keras), held out for validation. */
  validationSplit?: number;
  /** Hooks into the training loop (earlyStopping, or any object with onEpochEnd, onBatchEnd, …). */
  callbacks?: Callback[];
  /** Called after every epoch; returning false stops training. */
  onEpoch?: (log: EpochLog) => void | boolean;
  /** Compute validation metrics every k epochs (and on the last); default 1. */
  logEvery?: number;
  /**
   * Milliseconds of training between two yields to the event loop, so timers and rendering go on
   * (checked after each batch); default 25.
   */
  yieldEvery?: number;
}

/** FitOptions after their checks, with defaults applied. */
export interface FitSettings {
  epochs: number;
  optimizer: Optimizer;
  batchSize: number | undefined;
  shuffle: boolean;
  seed: number;
  validationData: [ArrayLike<number>, Labels] | undefined;
  validationSplit: number | undefined;
  callbacks: Callback[];
  onEpoch: ((log: EpochLog) => void | boolean) | undefined;
  logEvery: number;
  yieldEvery: number;
}

const FIT_OPTIONS = [
  "epochs",
  "optimizer",
  "batchSize",
  "shuffle",
  "seed",
  "validationData",
  "validationSplit",
  "callbacks",
  "onEpoch",
  "logEvery",
  "yieldEvery",
] as const;

/** Checks fit()'s options; `previous` is the model's optimizer of an earlier fit, if any. */
export function checkFitOptions(options: FitOptions, previous: Optimizer | null): FitSettings {
  checkOptions("options", options, FIT_OPTIONS, "{ epochs, optimizer }");
  const {
    epochs,
    batchSize,
    shuffle = true,
    seed = 0,
    validationData,
    validationSplit,
    callbacks = [],
    onEpoch,
    logEvery = 1,
    yieldEvery = 25,
  } = options;
  checkPositiveInt("options.epochs", epochs);
  checkPositiveInt("options.logEvery", logEvery);
  checkBoolean("options.shuffle", shuffle);
  checkSeed("options.seed", seed);
  checkNonNegative("options.yieldEvery", yieldEvery);
  checkCallbacks("options.callbacks", callbacks);
  const optimizer = options.optimizer ?? previous;
  if (!optimizer) throw new TypeError("options.optimizer is required (an optimizer such as SGD or Adam)");
  if (!(optimizer instanceof Optimizer))
    throw new TypeError(`options.optimizer must be an optimizer (SGD, Adam, …), got ${describe(optimizer)}`);
  if (batchSize !== undefined) checkPositiveInt("options.batchSize", batchSize);
  if (onEpoch !== undefined && typeof onEpoch !== "function")
    throw new TypeError(`options.onEpoch must be a function, got ${describe(onEpoch)}`);
  if (validationData !== undefined && (!Array.isArray(validationData) || validationData.length !== 2))
    throw new TypeError("options.validationData must be [x, y]");
  if (validationSplit !== undefined) {
    if (typeof validationSplit !== "number" || !(validationSplit > 0 && validationSplit < 1))
      throw new RangeError(`options.validationSplit must be in (0, 1), got ${describe(validationSplit)}`);
    if (validationData !== undefined)
      throw new TypeError("options.validationSplit and options.validationData exclude each other: give one");
  }
  return {
    epochs,
    optimizer,
    batchSize,
    shuffle,
    seed,
    validationData,
    validationSplit,
    callbacks,
    onEpoch,
    logEvery,
    yieldEvery,
  };
}
