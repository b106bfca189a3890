// What every learning-rate schedule shares: the learning rate of update `step` (the optimizer's
// iteration count before it, from 0), computed in f64 and handed to the kernels as f32, and a JSON
// form that an optimizer's JSON carries in place of its learningRate number.

export interface ScheduleJSON {
  type: string;
  [key: string]: unknown;
}

export abstract class LearningRateSchedule {
  abstract readonly type: string;

  /** The learning rate of update `step` (0-based); a finite number >= 0. */
  abstract at(step: number): number;

  abstract toJSON(): ScheduleJSON;
}
