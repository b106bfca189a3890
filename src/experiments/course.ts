// The course's experiments as plain data: one definition shared by the CLI, the epoch benchmark and
// the playground, so that all three train (and measure) the same model.

/** One training run on spiral data: the model, its regularization, the optimizer and the data. */
export interface ExperimentConfig {
  name: string;
  /** Training samples per class (spiral data). */
  samples: number;
  classes: number;
  hidden: number;
  /** L1 and L2 strengths on the first layer's weights and biases (keras convention: λ·Σw²). */
  l1: number;
  l2: number;
  /** Dropout rate after the hidden ReLU; 0 = no dropout layer. */
  dropout: number;
  learningRate: number;
  decay: number;
  epochs: number;
  /** Seed of the training data; the validation data and every layer derive theirs from it. */
  seed: number;
  /** Validation samples per class, drawn from a fresh spiral with another seed. */
  validationSamples: number;
  /** Standard deviation of the spiral's angle noise; default spiralData's (0.2). */
  noise?: number;
  /** How the L1 terms act (Dense's l1Method); default 'subgradient'. 'proximal' reaches exact zeros. */
  l1Method?: "subgradient" | "proximal";
  /** Standard deviation of GaussianNoise on the inputs (a first layer, training only); default 0: none. */
  inputNoise?: number;
}

/** The dropout chapter: 1000 × 3 spiral, Dense(2,512) L2 5e-4, ReLU, Dropout(0.1), Dense(512,3), Adam(0.05, decay 5e-5). */
export const DROPOUT_CHAPTER: Readonly<ExperimentConfig> = Object.freeze({
  name: "dropout chapter: L2 + dropout",
  samples: 1000,
  classes: 3,
  hidden: 512,
  l1: 0,
  l2: 5e-4,
  dropout: 0.1,
  learningRate: 0.05,
  decay: 5e-5,
  epochs: 10001,
  seed: 0,
  validationSamples: 100,
});

/** The L2 chapter: 100 × 3 spiral, Dense(2,64) L2 5e-4, ReLU, Dense(64,3), Adam(0.02, decay 5e-7). */
export const L2_CHAPTER: Readonly<ExperimentConfig> = Object.freeze({
  name: "L2 chapter: L2",
  samples: 100,
  classes: 3,
  hidden: 64,
  l1: 0,
  l2: 5e-4,
  dropout: 0,
  learningRate: 0.02,
  decay: 5e-7,
  epochs: 10001,
  seed: 0,
  validationSamples: 100,
});

/** What `npm start` runs: each chapter with its regularization and the same run without any. */
export const COURSE_EXPERIMENTS: readonly Readonly<ExperimentConfig>[] = Object.freeze([
  DROPOUT_CHAPTER,
  Object.freeze({ ...DROPOUT_CHAPTER, name: "dropout chapter: unregularized", l2: 0, dropout: 0 }),
  L2_CHAPTER,
  Object.freeze({ ...L2_CHAPTER, name: "L2 chapter: unregularized", l2: 0 }),
]);
