// The learning-rate schedules an optimizer's JSON can name. A new schedule: its file, plus one line here.
import { Registry } from "../registry.js";
import { CosineDecay } from "./cosine-decay.js";
import { ExponentialDecay } from "./exponential-decay.js";
import { InverseTimeDecay } from "./inverse-time-decay.js";
import { PiecewiseConstantDecay } from "./piecewise-constant-decay.js";
import type { LearningRateSchedule, ScheduleJSON } from "./schedule.js";

export const scheduleRegistry = new Registry<LearningRateSchedule, ScheduleJSON>("learning-rate schedule")
  .register("inverse-time-decay", InverseTimeDecay.fromJSON)
  .register("exponential-decay", ExponentialDecay.fromJSON)
  .register("piecewise-constant-decay", PiecewiseConstantDecay.fromJSON)
  .register("cosine-decay", CosineDecay.fromJSON);
