// A step schedule, as Keras's PiecewiseConstantDecay: values[0] for step <= boundaries[0],
// values[i] for boundaries[i − 1] < step <= boundaries[i], the last value after the last boundary.
import { checkOptions, checkPositive, describe } from "../validate.js";
import { LearningRateSchedule, type ScheduleJSON } from "./schedule.js";

export interface PiecewiseConstantDecayOptions {
  /** Increasing non-negative integer steps. */
  boundaries: number[];
  /** One more learning rate than boundaries. */
  values: number[];
}

export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly type = "piecewise-constant-decay";
  readonly boundaries: readonly number[];
  readonly values: readonly number[];

  constructor(options: PiecewiseConstantDecayOptions) {
    super();
    checkOptions("options", options, ["boundaries", "values"], "{ boundaries, values }");
    const { boundaries, values } = options;
    if (!Array.isArray(boundaries) || boundaries.length === 0)
      throw new TypeError(`options.boundaries must be a non-empty array of steps, got ${describe(boundaries)}`);
    boundaries.forEach((b, i) => {
      if (!Number.isSafeInteger(b) || b < 0 || (i > 0 && !(b > boundaries[i - 1])))
        throw new RangeError(
          `options.boundaries[${i}] must be an integer step >= 0 above the one before, got ${describe(b)}`,
        );
    });
    if (!Array.isArray(values) || values.length !== boundaries.length + 1)
      throw new RangeError(
        `options.values must hold boundaries.length + 1 = ${boundaries.length + 1} learning rates, got ${describe(values)}`,
      );
    values.forEach((v, i) => checkPositive(`options.values[${i}]`, v));
    this.boundaries = Object.freeze([...boundaries]);
    this.values = Object.freeze([...values]);
  }

  at(step: number): number {
    let i = 0;
    while (i < this.boundaries.length && step > this.boundaries[i]) i++;
    return this.values[i];
  }

  toJSON(): ScheduleJSON {
    return { type: this.type, boundaries: [...this.boundaries], values: [...this.values] };
  }

  static fromJSON({ type: _, ...options }: ScheduleJSON): PiecewiseConstantDecay {
    return new PiecewiseConstantDecay(options as unknown as PiecewiseConstantDecayOptions);
  }
}
