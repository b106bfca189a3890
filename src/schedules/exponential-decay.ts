// lr · decayRate^(step/decaySteps), as Keras's ExponentialDecay.
import { checkBoolean, checkOptions, checkPositive, checkPositiveInt, describe } from "../validate.js";
import { LearningRateSchedule, type ScheduleJSON } from "./schedule.js";

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  /** In (0, 1]: the factor per decaySteps updates. */
  decayRate: number;
  /** Decay in whole periods of decaySteps (⌊step/decaySteps⌋). Default false. */
  staircase?: boolean;
}

const KEYS = ["initialLearningRate", "decaySteps", "decayRate", "staircase"] as const;

export class ExponentialDecay extends LearningRateSchedule {
  readonly type = "exponential-decay";
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(options: ExponentialDecayOptions) {
    super();
    checkOptions("options", options, KEYS, "{ initialLearningRate, decaySteps, decayRate }");
    const { initialLearningRate, decaySteps, decayRate, staircase = false } = options;
    checkPositive("options.initialLearningRate", initialLearningRate);
    checkPositiveInt("options.decaySteps", decaySteps);
    if (typeof decayRate !== "number" || !(decayRate > 0 && decayRate <= 1))
      throw new RangeError(`options.decayRate must be in (0, 1] (a decay, not a growth), got ${describe(decayRate)}`);
    checkBoolean("options.staircase", staircase);
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = decaySteps;
    this.decayRate = decayRate;
    this.staircase = staircase;
  }

  at(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate * this.decayRate ** (this.staircase ? Math.floor(p) : p);
  }

  toJSON(): ScheduleJSON {
    const { type, initialLearningRate, decaySteps, decayRate, staircase } = this;
    return { type, initialLearningRate, decaySteps, decayRate, staircase };
  }

  static fromJSON({ type: _, ...options }: ScheduleJSON): ExponentialDecay {
    return new ExponentialDecay(options as unknown as ExponentialDecayOptions);
  }
}
