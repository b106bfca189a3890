// Cosine decay without restarts, as Keras's CosineDecay (without warmup):
// lr · ((1 − alpha)·½(1 + cos(π·min(step, decaySteps)/decaySteps)) + alpha).
import { checkFraction, checkOptions, checkPositive, checkPositiveInt } from "../validate.js";
import { LearningRateSchedule, type ScheduleJSON } from "./schedule.js";

export interface CosineDecayOptions {
  initialLearningRate: number;
  /** Updates over which the rate falls to alpha·initialLearningRate, where it stays. */
  decaySteps: number;
  /** The final fraction of the initial rate, in [0, 1). Default 0. */
  alpha?: number;
}

const KEYS = ["initialLearningRate", "decaySteps", "alpha"] as const;

export class CosineDecay extends LearningRateSchedule {
  readonly type = "cosine-decay";
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;

  constructor(options: CosineDecayOptions) {
    super();
    checkOptions("options", options, KEYS, "{ initialLearningRate, decaySteps }");
    const { initialLearningRate, decaySteps, alpha = 0 } = options;
    checkPositive("options.initialLearningRate", initialLearningRate);
    checkPositiveInt("options.decaySteps", decaySteps);
    checkFraction("options.alpha", alpha);
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = decaySteps;
    this.alpha = alpha;
  }

  at(step: number): number {
    const progress = Math.min(step, this.decaySteps) / this.decaySteps;
    const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }

  toJSON(): ScheduleJSON {
    const { type, initialLearningRate, decaySteps, alpha } = this;
    return { type, initialLearningRate, decaySteps, alpha };
  }

  static fromJSON({ type: _, ...options }: ScheduleJSON): CosineDecay {
    return new CosineDecay(options as unknown as CosineDecayOptions);
  }
}
