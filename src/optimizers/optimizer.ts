// What SGD and Adam share: a learning rate that is a number (with the course's decay
// lr / (1 + decay·iteration)) or a schedule, decoupled weight decay (with the parameters it skips),
// per-parameter state buffers in WASM memory (allocated on first update), and what follows each
// parameter's update: proximal L1 (soft-thresholding), then the parameter's constraint.
import { allocF32, type F32Buffer } from "../wasm/buffer.js";
import type { Param } from "../layers/layer.js";
import { LearningRateSchedule, type ScheduleJSON } from "../schedules/schedule.js";
import { scheduleRegistry } from "../schedules/registry.js";
import { checkLambda, checkObject, checkPositive, describe, F32_MAX } from "../validate.js";
import { softThreshold } from "../kernels/projection.js";

/**
 * An optimizer's hyper-parameters as JSON: numbers, the schedule's JSON in place of a scheduled
 * learningRate, and the names excluded from weight decay.
 */
export type OptimizerConfig = Record<string, number | ScheduleJSON | string[]>;

export interface OptimizerJSON {
  type: string;
  config: OptimizerConfig;
  iterations: number;
  /** State buffers per parameter, in the model's parameter order (null: none yet). */
  state: (number[][] | null)[];
}

export abstract class Optimizer {
  abstract readonly type: string;
  /** Updates done so far (the course's `iterations`). */
  iterations = 0;
  readonly #state = new Map<Param, F32Buffer[]>();
  /**
   * Parameters whose name contains one of these strings get no decoupled weight decay (Keras's
   * exclude_from_weight_decay(var_names), Optax's mask): ['biases'] decays the weights only.
   */
  readonly excludeFromWeightDecay: readonly string[];

  constructor(
    readonly learningRate: number | LearningRateSchedule,
    readonly decay: number,
    readonly weightDecay: number,
    excludeFromWeightDecay: unknown = [],
  ) {
    if (learningRate instanceof LearningRateSchedule) {
      if (decay !== 0)
        throw new RangeError("options.decay must be 0 with a learning-rate schedule (use InverseTimeDecay instead)");
    } else {
      checkPositive("options.learningRate", learningRate);
    }
    checkLambda("options.decay", decay);
    checkLambda("options.weightDecay", weightDecay);
    if (
      !Array.isArray(excludeFromWeightDecay) ||
      !excludeFromWeightDecay.every((name) => typeof name === "string" && name !== "")
    )
      throw new TypeError(
        `options.excludeFromWeightDecay must be an array of non-empty strings (parameter names such as 'biases'), got ${describe(excludeFromWeightDecay)}`,
      );
    this.excludeFromWeightDecay = Object.freeze([...excludeFromWeightDecay]);
  }

  /** The factor of decoupled weight decay for `param`: 1 − lr·weightDecay, or 1 when it is excluded. */
  protected keepFactor(param: Param, lr: number): number {
    const excluded = this.excludeFromWeightDecay.some((name) => param.name.includes(name));
    return excluded ? 1 : 1 - lr * this.weightDecay;
  }

  /** The learning rate of the next update: the schedule's, or learningRate / (1 + decay·iterations). */
  get currentLearningRate(): number {
    const lr = this.learningRate;
    if (!(lr instanceof LearningRateSchedule)) return lr / (1 + this.decay * this.iterations);
    const scheduled = lr.at(this.iterations);
    if (typeof scheduled !== "number" || !(scheduled >= 0 && scheduled <= F32_MAX))
      throw new RangeError(
        `the learning-rate schedule (${lr.type}) gave ${describe(scheduled)} at step ${this.iterations}: it must be a finite number >= 0 in the f32 range`,
      );
    return scheduled;
  }

  /** Number of state buffers per parameter (SGD: 1 with momentum, else 0; Adam: 2). */
  protected abstract slots(): number;

  /** Updates one parameter from its gradient with learning rate lr. */
  protected abstract update(param: Param, state: F32Buffer[], lr: number): void;

  protected stateOf(param: Param): F32Buffer[] {
    let state = this.#state.get(param);
    if (!state) {
      state = Array.from({ length: this.slots() }, () => allocF32(param.value.length, param.value.instance));
      this.#state.set(param, state);
    }
    return state;
  }

  /**
   * One update of every parameter from its gradient, then its proximal L1 step (w ← sign(w)·max(|w|
   * − lr·λ1, 0) where the layer asked for it) and its constraint; then iterations += 1. Returns the lr used.
   */
  step(params: Param[]): number {
    const lr = this.currentLearningRate;
    for (const p of params) {
      this.update(p, this.stateOf(p), lr);
      if (p.proximal && p.l1 > 0) softThreshold(p.value, lr * p.l1);
      if (p.constraint) p.constraint.applyTo(p.value, p.shape ?? [p.value.length]);
    }
    this.iterations++;
    return lr;
  }

  /** Hyper-parameters for toJSON (learningRate as a number or the schedule's JSON). */
  protected abstract config(): OptimizerConfig;

  /** The excludeFromWeightDecay entry of config(), when there is one (older JSON has none). */
  protected excludeJSON(): { excludeFromWeightDecay?: string[] } {
    return this.excludeFromWeightDecay.length > 0 ? { excludeFromWeightDecay: [...this.excludeFromWeightDecay] } : {};
  }

  /** The learningRate entry of config(). */
  protected learningRateJSON(): number | ScheduleJSON {
    const lr = this.learningRate;
    return lr instanceof LearningRateSchedule ? lr.toJSON() : lr;
  }

  /** Configuration, iteration count and the state of `params` (in that order). */
  toJSON(params: Param[]): OptimizerJSON {
    return {
      type: this.type,
      config: this.config(),
      iterations: this.iterations,
      state: params.map((p) => this.#state.get(p)?.map((buf) => Array.from(buf.view())) ?? null),
    };
  }

  /** Restores iteration count and state saved by toJSON for the same parameter order. */
  restore(json: OptimizerJSON, params: Param[]): void {
    if (!Number.isSafeInteger(json.iterations) || json.iterations < 0)
      throw new RangeError(`optimizer.iterations must be a non-negative integer, got ${describe(json.iterations)}`);
    if (!Array.isArray(json.state) || json.state.length !== params.length)
      throw new RangeError(`optimizer.state must hold one entry per parameter (${params.length})`);
    // every entry checked before any state memory is taken
    params.forEach((p, i) => {
      const saved = json.state[i];
      if (saved === null) return;
      if (!Array.isArray(saved) || saved.length !== this.slots())
        throw new RangeError(`optimizer.state[${i}] must hold ${this.slots()} arrays`);
      saved.forEach((values, k) => {
        if (!Array.isArray(values) || values.length !== p.value.length || !values.every(Number.isFinite)) {
          throw new RangeError(`optimizer.state[${i}][${k}] must hold ${p.value.length} finite numbers`);
        }
      });
    });
    this.iterations = json.iterations;
    params.forEach((p, i) => {
      const state = json.state[i] ? this.stateOf(p) : [];
      json.state[i]?.forEach((values, k) => state[k].view().set(values));
    });
  }

  /** Returns the state buffers' memory; the optimizer starts afresh if used again. */
  free(): void {
    for (const state of this.#state.values()) for (const buf of state) buf.free();
    this.#state.clear();
  }
}

/**
 * The constructor options of a saved config: checked to be an object, with a learningRate given as
 * a schedule's JSON rebuilt through the schedule registry.
 */
export function optionsFromConfig(config: unknown): Record<string, unknown> {
  checkObject("json.config", config); // required: a missing one would mean the defaults
  const { learningRate, ...rest } = config as Record<string, unknown>;
  if (learningRate === null || typeof learningRate !== "object") return config as Record<string, unknown>;
  return { ...rest, learningRate: scheduleRegistry.fromJSON(learningRate, "json.config.learningRate") };
}
