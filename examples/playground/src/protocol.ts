// Messages between the page and a training worker, and the figures they carry.
import type { ExperimentConfig } from "regwasm";

/**
 * One training run, as set in the form: the CLI's experiment config (same fields, same model), with
 * the spiral's noise and the L1 form always set, plus the playground's one extra regularizer:
 * `inputNoise`, the standard deviation of a GaussianNoise layer on the inputs (0: no such layer).
 */
export type TrainConfig = ExperimentConfig & {
  noise: number;
  l1Method: "subgradient" | "proximal";
  inputNoise: number;
};

export interface Points {
  x: Float32Array;
  y: Uint32Array;
}

export interface Extent {
  min: number;
  max: number;
}

/** The model on a logged epoch; train and validation both measured in inference mode (dropout and noise off). */
export interface Snapshot {
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  valLoss: number;
  valAcc: number;
  /** The epoch's regularization loss and its share of the total training loss (data + regularization). */
  regLoss: number;
  regShare: number;
}

export interface FinalMetrics {
  trainAcc: number;
  /** Training data loss in inference mode (dropout and noise off). */
  trainDataLoss: number;
  valAcc: number;
  valDataLoss: number;
  /** Generalization gap: validation − training data loss. */
  gap: number;
  regLoss: number;
  /** Fraction of the hidden layer's weights that are exactly 0. */
  zeros: number;
  epochs: number;
  seconds: number;
  stopped: boolean;
}

export type ToWorker = { type: "train"; config: TrainConfig } | { type: "stop" };

export type FromWorker =
  | {
      type: "start";
      simd: boolean;
      threads: number;
      train: Points;
      validation: Points;
      extent: Extent;
      gridSize: number;
    }
  /** New snapshots, the class probabilities on the boundary grid (gridSize² × classes) and the hidden weights. */
  | { type: "progress"; snapshots: Snapshot[]; probabilities: Float32Array; weights: Float32Array }
  | { type: "done"; metrics: FinalMetrics; weights: Float32Array }
  | { type: "error"; message: string };
