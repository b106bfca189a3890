// lr / (1 + decayRate·step/decaySteps): the course's decay (decaySteps 1) and Keras's InverseTimeDecay.
import { checkBoolean, checkLambda, checkOptions, checkPositive, checkPositiveInt } from "../validate.js";
import { LearningRateSchedule, type ScheduleJSON } from "./schedule.js";

export interface InverseTimeDecayOptions {
  initialLearningRate: number;
  /** Default 1: the rate decays every update, as the course's `decay`. */
  decaySteps?: number;
  decayRate: number;
  /** Decay in whole periods of decaySteps (⌊step/decaySteps⌋). Default false. */
  staircase?: boolean;
}

const KEYS = ["initialLearningRate", "decaySteps", "decayRate", "staircase"] as const;

export class InverseTimeDecay extends LearningRateSchedule {
  readonly type = "inverse-time-decay";
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(options: InverseTimeDecayOptions) {
    super();
    checkOptions("options", options, KEYS, "{ initialLearningRate, decayRate }");
    const { initialLearningRate, decaySteps = 1, decayRate, staircase = false } = options;
    checkPositive("options.initialLearningRate", initialLearningRate);
    checkPositiveInt("options.decaySteps", decaySteps);
    checkLambda("options.decayRate", decayRate);
    checkBoolean("options.staircase", staircase);
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = decaySteps;
    this.decayRate = decayRate;
    this.staircase = staircase;
  }

  at(step: number): number {
    const p = step / this.decaySteps;
    return this.initialLearningRate / (1 + this.decayRate * (this.staircase ? Math.floor(p) : p));
  }

  toJSON(): ScheduleJSON {
    const { type, initialLearningRate, decaySteps, decayRate, staircase } = this;
    return { type, initialLearningRate, decaySteps, decayRate, staircase };
  }

  static fromJSON({ type: _, ...options }: ScheduleJSON): InverseTimeDecay {
    return new InverseTimeDecay(options as unknown as InverseTimeDecayOptions);
  }
}
