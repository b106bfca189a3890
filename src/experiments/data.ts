// The data sets of an experiment: a training spiral and a fresh validation spiral from another seed.
import { spiralData, type Dataset } from "../data/datasets.js";
import type { ExperimentConfig } from "./course.js";
import { experimentSeeds } from "./seeds.js";

export interface ExperimentData {
  train: Dataset;
  validation: Dataset;
}

type DataConfig = Pick<ExperimentConfig, "samples" | "validationSamples" | "classes" | "seed" | "noise">;

/** Training (samples per class, seed `seed`) and validation (validationSamples per class, seed `seed + 1_000_003`) spirals. */
export function experimentData(c: DataConfig): ExperimentData {
  const seeds = experimentSeeds(c.seed);
  // noise left out when unset, so that spiralData's own default applies
  const noise = c.noise === undefined ? {} : { noise: c.noise };
  return {
    train: spiralData(c.samples, c.classes, { seed: seeds.train, ...noise }),
    validation: spiralData(c.validationSamples, c.classes, { seed: seeds.validation, ...noise }),
  };
}
