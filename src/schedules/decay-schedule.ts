// What the inverse-time and exponential decays share (Keras's argument set for both): an initial
// rate, a decay rate applied per decaySteps updates, and the staircase variant that decays in whole
// periods only.
import { checkBoolean, checkOptions, checkPositive, checkPositiveInt } from "../validate.js";
import { LearningRateSchedule, type ScheduleJSON } from "./schedule.js";

export interface DecayOptions {
  initialLearningRate: number;
  /** Updates per period of decayRate. */
  decaySteps?: number;
  decayRate: number;
  /** Decay in whole periods of decaySteps (⌊step/decaySteps⌋). Default false. */
  staircase?: boolean;
}

const KEYS = ["initialLearningRate", "decaySteps", "decayRate", "staircase"] as const;

export abstract class DecaySchedule extends LearningRateSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  /** `checkRate` throws for a decayRate the formula cannot take; `defaultSteps` when decaySteps is omitted (or null: required). */
  protected constructor(options: DecayOptions, defaultSteps: number | null, checkRate: (rate: unknown) => void) {
    super();
    const required =
      defaultSteps === null ? "{ initialLearningRate, decaySteps, decayRate }" : "{ initialLearningRate, decayRate }";
    checkOptions("options", options, KEYS, required);
    const { initialLearningRate, decaySteps = defaultSteps ?? undefined, decayRate, staircase = false } = options;
    checkPositive("options.initialLearningRate", initialLearningRate);
    checkPositiveInt("options.decaySteps", decaySteps);
    checkRate(decayRate);
    checkBoolean("options.staircase", staircase);
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = decaySteps;
    this.decayRate = decayRate;
    this.staircase = staircase;
  }

  /** Periods of decaySteps completed at `step`: fractional, or whole with staircase. */
  protected periods(step: number): number {
    const p = step / this.decaySteps;
    return this.staircase ? Math.floor(p) : p;
  }

  toJSON(): ScheduleJSON {
    const { type, initialLearningRate, decaySteps, decayRate, staircase } = this;
    return { type, initialLearningRate, decaySteps, decayRate, staircase };
  }
}
