// Hooks into fit(): what a callback may implement (every method optional; a returned promise is
// awaited before training goes on). To stop training, a callback sets `model.stopTraining = true`:
// fit() then ends after the current batch, with the epochs done so far in its History.
import type { BatchLog, EpochLog, History } from "./history.js";
import type { Sequential } from "./sequential.js";

/** What fit() is about to do, for onTrainBegin. */
export interface TrainingParams {
  epochs: number;
  /** Rows per update. */
  batchSize: number;
  /** Training rows (after a validationSplit). */
  rows: number;
  /** Updates per epoch. */
  batches: number;
  /** Whether valLoss and valAcc will be computed. */
  validation: boolean;
  /** Validation is computed on epochs where epoch % logEvery === 0, and on the last. */
  logEvery: number;
}

export interface Callback {
  onTrainBegin?(params: TrainingParams, model: Sequential): void | Promise<void>;
  onEpochBegin?(epoch: number, model: Sequential): void | Promise<void>;
  /**
   * Inside the epoch, whose running sums live in the model's loss: evaluate, predict and
   * computeGradients throw here (they may run in onEpochEnd); toJSON and getWeights may.
   */
  onBatchEnd?(log: BatchLog, model: Sequential): void | Promise<void>;
  onEpochEnd?(log: EpochLog, model: Sequential): void | Promise<void>;
  /** Also called when training stops early (stopTraining) but not when it fails. */
  onTrainEnd?(history: History, model: Sequential): void | Promise<void>;
}

const HOOKS = ["onTrainBegin", "onEpochBegin", "onBatchEnd", "onEpochEnd", "onTrainEnd"] as const;

/** Checks `name` is an array of callbacks: objects whose hooks, where present, are functions. */
export function checkCallbacks(name: string, callbacks: unknown): asserts callbacks is Callback[] {
  if (!Array.isArray(callbacks)) throw new TypeError(`${name} must be an array of callbacks`);
  callbacks.forEach((cb, i) => {
    if (cb === null || typeof cb !== "object")
      throw new TypeError(`${name}[${i}] must be a callback object ({ onEpochEnd, … })`);
    const hooks = HOOKS.filter((h) => (cb as Record<string, unknown>)[h] !== undefined);
    if (hooks.length === 0) throw new TypeError(`${name}[${i}] has none of the callback methods ${HOOKS.join(", ")}`);
    for (const h of hooks)
      if (typeof (cb as Record<string, unknown>)[h] !== "function")
        throw new TypeError(`${name}[${i}].${h} must be a function`);
  });
}
