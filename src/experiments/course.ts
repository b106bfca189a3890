// The course's experiments (issue 3) and the one function that runs any of them: build the model,
// train on spiral data with validation, then measure the final figures and the decision boundary.
import { Adam, Dense, Dropout, ReLU, Sequential, spiralData, type EpochLog } from "../index.js";
import { gridFor, type DecisionBoundary } from "../cli/report/boundary.js";

export interface ExperimentConfig {
  name: string;
  /** Training samples per class (spiral data, 3 classes). */
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
  seed: number;
  /** Validation samples per class, drawn from a fresh spiral with another seed. */
  validationSamples: number;
}

/** The dropout chapter: 1000 × 3 spiral, Dense(2,512) L2 5e-4, ReLU, Dropout(0.1), Dense(512,3), Adam(0.05, decay 5e-5). */
export const DROPOUT_CHAPTER: ExperimentConfig = {
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
};

/** The L2 chapter: 100 × 3 spiral, Dense(2,64) L2 5e-4, ReLU, Dense(64,3), Adam(0.02, decay 5e-7). */
export const L2_CHAPTER: ExperimentConfig = {
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
};

/** What `npm start` runs: each chapter with its regularization and the same run without any. */
export const COURSE_EXPERIMENTS: readonly ExperimentConfig[] = [
  DROPOUT_CHAPTER,
  { ...DROPOUT_CHAPTER, name: "dropout chapter: unregularized", l2: 0, dropout: 0 },
  L2_CHAPTER,
  { ...L2_CHAPTER, name: "L2 chapter: unregularized", l2: 0 },
];

/** A number as the course writes it: 5e-4 rather than 0.0005. */
const num = (v: number): string => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v));

/** One line describing the model and optimizer, for the report. */
export function describe(c: ExperimentConfig): string {
  const reg = [c.l1 ? `L1 ${num(c.l1)}` : "", c.l2 ? `L2 ${num(c.l2)}` : ""].filter(Boolean).join(" ");
  const layers = [
    `Dense(2,${c.hidden})${reg ? " " + reg : ""}`,
    "ReLU",
    ...(c.dropout ? [`Dropout ${c.dropout}`] : []),
    `Dense(${c.hidden},${c.classes})`,
  ];
  return `${c.samples}×${c.classes} spiral · ${layers.join(" · ")} · Adam lr ${num(c.learningRate)} decay ${num(c.decay)} · ${c.epochs} epochs · seed ${c.seed}`;
}

export interface ExperimentResult {
  config: ExperimentConfig;
  history: EpochLog[];
  /** On the training data in inference mode (dropout off) after training; loss = dataLoss + regLoss. */
  train: { acc: number; loss: number; dataLoss: number; regLoss: number };
  /** On the validation data; loss is the data loss (cross-entropy), as the course reports it. */
  validation: { acc: number; loss: number };
  /** Seconds spent in fit(). */
  wallS: number;
  boundary: DecisionBoundary;
}

export interface RunOptions {
  /** Called after every epoch with the 1-based count of epochs done. */
  onEpoch?: (epochsDone: number, log: EpochLog) => void;
  /** Decision-boundary grid resolution per side. */
  gridSize?: number;
}

/** Validation metrics every this many epochs: about 500 points per curve, a small share of the training time. */
export const validationInterval = (epochs: number): number => Math.max(1, Math.floor(epochs / 500));

function argmaxRows(probabilities: ArrayLike<number>, rows: number, classes: number): Uint8Array {
  const out = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[i * classes + c] > probabilities[i * classes + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Trains one configuration; the caller must have awaited init(). */
export function runExperiment(c: ExperimentConfig, options: RunOptions = {}): ExperimentResult {
  const train = spiralData(c.samples, c.classes, { seed: c.seed });
  // A fresh set from another seed, as the course's validation data.
  const validation = spiralData(c.validationSamples, c.classes, { seed: c.seed + 1_000_003 });
  const layers = [
    new Dense(2, c.hidden, { weightL1: c.l1, biasL1: c.l1, weightL2: c.l2, biasL2: c.l2, seed: c.seed + 1 }),
    new ReLU(),
    ...(c.dropout > 0 ? [new Dropout(c.dropout, { seed: c.seed + 2 })] : []),
    new Dense(c.hidden, c.classes, { seed: c.seed + 3 }),
  ];
  const model = new Sequential(layers);
  try {
    let done = 0;
    const start = performance.now();
    const history = model.fit(train.x, train.y, {
      epochs: c.epochs,
      optimizer: new Adam({ learningRate: c.learningRate, decay: c.decay }),
      validationData: [validation.x, validation.y],
      logEvery: validationInterval(c.epochs),
      onEpoch: (log) => options.onEpoch?.(++done, log),
    });
    const wallS = (performance.now() - start) / 1000;
    const finalTrain = model.evaluate(train.x, train.y);
    const finalValidation = model.evaluate(validation.x, validation.y);
    const grid = gridFor(train.x, options.gridSize ?? 120, options.gridSize ?? 120);
    const cellClasses = argmaxRows(model.predict(grid.centers), grid.rows * grid.cols, c.classes);
    return {
      config: c,
      history,
      train: { acc: finalTrain.acc, loss: finalTrain.loss, dataLoss: finalTrain.dataLoss, regLoss: finalTrain.regLoss },
      validation: { acc: finalValidation.acc, loss: finalValidation.dataLoss },
      wallS,
      boundary: { ...grid, cellClasses, points: train.x, labels: train.y, classes: c.classes },
    };
  } finally {
    model.free();
  }
}
