// Every seed of an experiment derives from its config's one seed, so a run is reproduced from the
// config alone. The benchmark's other implementations read the same seeds.

export interface ExperimentSeeds {
  /** Training spiral. */
  train: number;
  /** Validation spiral. */
  validation: number;
  /** First Dense layer's weights. */
  hidden: number;
  /** Dropout masks. */
  dropout: number;
  /** Output Dense layer's weights. */
  output: number;
}

/**
 * The validation offset is a large prime rather than 1 so that the validation spiral of seed s is
 * not the training spiral of seed s + 1 (nearby seeds are the ones people try).
 */
export function experimentSeeds(seed: number): ExperimentSeeds {
  return { train: seed, validation: seed + 1_000_003, hidden: seed + 1, dropout: seed + 2, output: seed + 3 };
}
