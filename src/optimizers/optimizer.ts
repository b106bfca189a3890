// What SGD and Adam share: the course's learning-rate decay lr / (1 + decay·iteration), decoupled
// weight decay, and per-parameter state buffers in WASM memory (allocated on first update).
import { allocF32, type F32Buffer } from "../wasm/buffer.js";
import type { Param } from "../layers/layer.js";
import { checkLambda, checkPositive, describe } from "../validate.js";

export interface OptimizerJSON {
  type: string;
  config: Record<string, number>;
  iterations: number;
  /** State buffers per parameter, in the model's parameter order (null: none yet). */
  state: (number[][] | null)[];
}

export abstract class Optimizer {
  abstract readonly type: string;
  /** Updates done so far (the course's `iterations`). */
  iterations = 0;
  readonly #state = new Map<Param, F32Buffer[]>();

  constructor(
    readonly learningRate: number,
    readonly decay: number,
    readonly weightDecay: number,
  ) {
    checkPositive("options.learningRate", learningRate);
    checkLambda("options.decay", decay);
    checkLambda("options.weightDecay", weightDecay);
  }

  /** The learning rate of the next update: learningRate / (1 + decay·iterations). */
  get currentLearningRate(): number {
    return this.learningRate / (1 + this.decay * this.iterations);
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

  /** One update of every parameter from its gradient, then iterations += 1. Returns the lr used. */
  step(params: Param[]): number {
    const lr = this.currentLearningRate;
    for (const p of params) this.update(p, this.stateOf(p), lr);
    this.iterations++;
    return lr;
  }

  /** Hyper-parameters for toJSON. */
  protected abstract config(): Record<string, number>;

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
