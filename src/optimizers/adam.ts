// Adam with the course's learning-rate decay and optional decoupled weight decay (AdamW).
import type { F32Buffer } from "../wasm/buffer.js";
import type { Param } from "../layers/layer.js";
import { adamUpdate } from "../kernels/optimizer.js";
import { checkFraction, checkOptions, checkPositive } from "../validate.js";
import type { LearningRateSchedule } from "../schedules/schedule.js";
import { Optimizer, type OptimizerConfig, type OptimizerJSON, optionsFromConfig } from "./optimizer.js";

export interface AdamOptions {
  /** Default 0.001. */
  learningRate?: number | LearningRateSchedule;
  /** lr_t = learningRate / (1 + decay·t), the course's decay (0 with a schedule). Default 0. */
  decay?: number;
  /** Added to √v̂ in the denominator. Default 1e-7 (the course's and Keras's). */
  epsilon?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Decoupled weight decay: w ← w·(1 − lr_t·weightDecay) before the step (AdamW). Default 0. */
  weightDecay?: number;
  /** Parameter names (or parts of them) that weight decay skips, e.g. ['biases']. Default none. */
  excludeFromWeightDecay?: string[];
}

export class Adam extends Optimizer {
  readonly type = "adam";
  readonly epsilon: number;
  readonly beta1: number;
  readonly beta2: number;

  constructor(options: AdamOptions = {}) {
    checkOptions("options", options, [
      "learningRate",
      "decay",
      "epsilon",
      "beta1",
      "beta2",
      "weightDecay",
      "excludeFromWeightDecay",
    ]);
    const {
      learningRate = 0.001,
      decay = 0,
      epsilon = 1e-7,
      beta1 = 0.9,
      beta2 = 0.999,
      weightDecay = 0,
      excludeFromWeightDecay,
    } = options;
    super(learningRate, decay, weightDecay, excludeFromWeightDecay);
    checkPositive("options.epsilon", epsilon);
    checkFraction("options.beta1", beta1);
    checkFraction("options.beta2", beta2);
    this.epsilon = epsilon;
    this.beta1 = beta1;
    this.beta2 = beta2;
  }

  protected slots(): number {
    return 2;
  }

  protected update(param: Param, [m, v]: F32Buffer[], lr: number): void {
    const t = this.iterations + 1;
    const c1 = 1 - this.beta1 ** t;
    const c2 = 1 - this.beta2 ** t;
    const w = param.value;
    const { beta1, beta2, epsilon } = this;
    adamUpdate(w, param.grad, m, v, { lr, beta1, beta2, epsilon, c1, c2, keep: this.keepFactor(param, lr) });
  }

  protected config(): OptimizerConfig {
    return {
      learningRate: this.learningRateJSON(),
      decay: this.decay,
      epsilon: this.epsilon,
      beta1: this.beta1,
      beta2: this.beta2,
      weightDecay: this.weightDecay,
      ...this.excludeJSON(),
    };
  }

  static fromJSON(json: OptimizerJSON): Adam {
    return new Adam(optionsFromConfig(json.config) as AdamOptions);
  }
}
