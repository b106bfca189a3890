// Stops training when a monitored figure stops improving, as Keras's EarlyStopping: after `patience`
// epochs without an improvement of more than minDelta, optionally restoring the parameters of the best
// epoch when training ends.
import type { Callback, TrainingParams } from "../model/callback.js";
import type { EpochLog } from "../model/history.js";
import type { Sequential } from "../model/sequential.js";
import { checkBoolean, checkNonNegative, checkOneOf, checkOptions, describe } from "../validate.js";

/** The EpochLog figures a callback can monitor. */
export type Monitor = "loss" | "dataLoss" | "regLoss" | "acc" | "valLoss" | "valAcc";

export interface EarlyStoppingOptions {
  /** Default 'valLoss' (as Keras's 'val_loss'). */
  monitor?: Monitor;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** An improvement must exceed this (absolute). Default 0. */
  minDelta?: number;
  /** 'auto' (default): 'max' for acc and valAcc, else 'min'. */
  mode?: "auto" | "min" | "max";
  /** Until the monitored figure beats this, epochs count as without improvement. Default: none. */
  baseline?: number;
  /** At the end of training, set the parameters of the best epoch seen. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring starts (warm-up). Default 0. */
  startFromEpoch?: number;
}

const MONITORS: Monitor[] = ["loss", "dataLoss", "regLoss", "acc", "valLoss", "valAcc"];
const KEYS = ["monitor", "patience", "minDelta", "mode", "baseline", "restoreBestWeights", "startFromEpoch"] as const;

export class EarlyStopping implements Callback {
  readonly monitor: Monitor;
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: "min" | "max";
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** The best monitored value so far (NaN before the first). */
  best = Number.NaN;
  /** The epoch of `best` (−1 before the first). */
  bestEpoch = -1;
  /** The epoch at which training was stopped, or −1. */
  stoppedEpoch = -1;
  #wait = 0;
  #bestWeights: Float32Array[] | null = null;

  constructor(options: EarlyStoppingOptions = {}) {
    checkOptions("options", options, KEYS);
    const {
      monitor = "valLoss",
      patience = 0,
      minDelta = 0,
      mode = "auto",
      baseline,
      restoreBestWeights = false,
      startFromEpoch = 0,
    } = options;
    checkOneOf("options.monitor", monitor, MONITORS);
    for (const [name, value] of [
      ["patience", patience],
      ["startFromEpoch", startFromEpoch],
    ] as const)
      if (!Number.isSafeInteger(value) || value < 0)
        throw new RangeError(`options.${name} must be an integer >= 0, got ${describe(value)}`);
    checkNonNegative("options.minDelta", minDelta);
    checkOneOf("options.mode", mode, ["auto", "min", "max"] as const);
    if (baseline !== undefined && (typeof baseline !== "number" || !Number.isFinite(baseline)))
      throw new RangeError(`options.baseline must be a finite number, got ${describe(baseline)}`);
    checkBoolean("options.restoreBestWeights", restoreBestWeights);
    this.monitor = monitor;
    this.patience = patience;
    this.minDelta = minDelta;
    this.mode = mode === "auto" ? (monitor === "acc" || monitor === "valAcc" ? "max" : "min") : mode;
    this.baseline = baseline;
    this.restoreBestWeights = restoreBestWeights;
    this.startFromEpoch = startFromEpoch;
  }

  /**
   * Whether `value` improves on `reference` by more than minDelta: any number improves on none yet
   * (NaN or undefined), and NaN (accuracy of a regression loss) never improves, as in Keras.
   */
  #improves(value: number, reference: number | undefined): boolean {
    if (Number.isNaN(value)) return false;
    if (reference === undefined || Number.isNaN(reference)) return true;
    return this.mode === "min" ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  onTrainBegin(params: TrainingParams): void {
    if (this.monitor.startsWith("val") && !params.validation)
      throw new TypeError(
        `earlyStopping monitors '${this.monitor}', but fit() has no options.validationData or options.validationSplit`,
      );
    this.best = Number.NaN;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
    this.#wait = 0;
    this.#bestWeights = null;
  }

  onEpochEnd(log: EpochLog, model: Sequential): void {
    const value = log[this.monitor];
    // epochs without the figure (validation skipped by logEvery) and warm-up epochs do not count
    if (value === undefined || log.epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.#bestWeights === null) this.#bestWeights = model.getWeights();
    this.#wait++;
    if (this.#improves(value, this.best)) {
      this.best = value;
      this.bestEpoch = log.epoch;
      if (this.restoreBestWeights) this.#bestWeights = model.getWeights();
      if (this.#improves(value, this.baseline)) this.#wait = 0;
      return;
    }
    if (this.#wait >= this.patience && log.epoch > 0) {
      this.stoppedEpoch = log.epoch;
      model.stopTraining = true;
    }
  }

  onTrainEnd(_history: unknown, model: Sequential): void {
    if (this.restoreBestWeights && this.#bestWeights) model.setWeights(this.#bestWeights);
    this.#bestWeights = null;
  }
}

/** An EarlyStopping callback (TF.js's tf.callbacks.earlyStopping). */
export const earlyStopping = (options: EarlyStoppingOptions = {}): EarlyStopping => new EarlyStopping(options);
