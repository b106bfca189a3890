// Stochastic gradient descent with momentum and learning-rate decay, as in the reference course.
import type { F32Buffer } from "../wasm/buffer.js";
import type { Param } from "../layers/layer.js";
import { sgdUpdate } from "../kernels/optimizer.js";
import { checkFraction, checkOptions } from "../validate.js";
import type { LearningRateSchedule } from "../schedules/schedule.js";
import { Optimizer, type OptimizerConfig, type OptimizerJSON, optionsFromConfig } from "./optimizer.js";

export interface SGDOptions {
  /** Default 1 (the course's default). */
  learningRate?: number | LearningRateSchedule;
  /** lr_t = learningRate / (1 + decay·t), the course's decay (0 with a schedule). Default 0. */
  decay?: number;
  /** μ of u ← μ·u − lr·g, w ← w + u. Default 0 (plain w ← w − lr·g). */
  momentum?: number;
  /** Decoupled weight decay: w ← w·(1 − lr_t·weightDecay) before the step. Default 0. */
  weightDecay?: number;
  /** Parameter names (or parts of them) that weight decay skips, e.g. ['biases']. Default none. */
  excludeFromWeightDecay?: string[];
}

export class SGD extends Optimizer {
  readonly type = "sgd";
  readonly momentum: number;

  constructor(options: SGDOptions = {}) {
    checkOptions("options", options, ["learningRate", "decay", "momentum", "weightDecay", "excludeFromWeightDecay"]);
    const { learningRate = 1, decay = 0, momentum = 0, weightDecay = 0, excludeFromWeightDecay } = options;
    super(learningRate, decay, weightDecay, excludeFromWeightDecay);
    checkFraction("options.momentum", momentum);
    this.momentum = momentum;
  }

  protected slots(): number {
    return this.momentum > 0 ? 1 : 0;
  }

  protected update(param: Param, state: F32Buffer[], lr: number): void {
    const w = param.value;
    sgdUpdate(w, param.grad, state.length ? state[0] : null, lr, this.momentum, this.keepFactor(param, lr));
  }

  protected config(): OptimizerConfig {
    return {
      learningRate: this.learningRateJSON(),
      decay: this.decay,
      momentum: this.momentum,
      weightDecay: this.weightDecay,
      ...this.excludeJSON(),
    };
  }

  static fromJSON(json: OptimizerJSON): SGD {
    return new SGD(optionsFromConfig(json.config) as SGDOptions);
  }
}
