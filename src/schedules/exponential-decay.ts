// lr · decayRate^(step/decaySteps), as Keras's ExponentialDecay.
import { describe } from "../validate.js";
import { type DecayOptions, DecaySchedule } from "./decay-schedule.js";
import type { ScheduleJSON } from "./schedule.js";

export interface ExponentialDecayOptions extends DecayOptions {
  /** Required. */
  decaySteps: number;
  /** In (0, 1]: the factor per decaySteps updates. */
  decayRate: number;
}

export class ExponentialDecay extends DecaySchedule {
  readonly type = "exponential-decay";

  constructor(options: ExponentialDecayOptions) {
    super(options, null, (rate) => {
      if (typeof rate !== "number" || !(rate > 0 && rate <= 1))
        throw new RangeError(`options.decayRate must be in (0, 1] (a decay, not a growth), got ${describe(rate)}`);
    });
  }

  at(step: number): number {
    return this.initialLearningRate * this.decayRate ** this.periods(step);
  }

  static fromJSON({ type: _, ...options }: ScheduleJSON): ExponentialDecay {
    return new ExponentialDecay(options as unknown as ExponentialDecayOptions);
  }
}
