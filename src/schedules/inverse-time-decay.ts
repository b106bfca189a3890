// lr / (1 + decayRate·step/decaySteps): the course's decay (decaySteps 1) and Keras's InverseTimeDecay.
import { checkLambda } from "../validate.js";
import { type DecayOptions, DecaySchedule } from "./decay-schedule.js";
import type { ScheduleJSON } from "./schedule.js";

export interface InverseTimeDecayOptions extends DecayOptions {
  /** Default 1: the rate decays every update, as the course's `decay`. */
  decaySteps?: number;
  /** >= 0. */
  decayRate: number;
}

export class InverseTimeDecay extends DecaySchedule {
  readonly type = "inverse-time-decay";

  constructor(options: InverseTimeDecayOptions) {
    super(options, 1, (rate) => checkLambda("options.decayRate", rate));
  }

  at(step: number): number {
    return this.initialLearningRate / (1 + this.decayRate * this.periods(step));
  }

  static fromJSON({ type: _, ...options }: ScheduleJSON): InverseTimeDecay {
    return new InverseTimeDecay(options as unknown as InverseTimeDecayOptions);
  }
}
