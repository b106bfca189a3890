// Messages between the page and a training worker.
import type { EpochLog } from "regwasm";

/** One training run, as set in the form. */
export interface TrainConfig {
  classes: number;
  /** Training points per class (validation: a fresh spiral of the same size from another seed). */
  samples: number;
  noise: number;
  seed: number;
  hidden: number;
  /** L1 / L2 strength on the hidden layer's weights and biases (Keras convention λ·Σw²). */
  l1: number;
  l2: number;
  /** Dropout rate after the hidden ReLU; 0 = no dropout layer. */
  dropout: number;
  learningRate: number;
  decay: number;
  epochs: number;
}

export interface Points {
  x: Float32Array;
  y: Uint32Array;
}

export interface Extent {
  min: number;
  max: number;
}

export interface FinalMetrics {
  trainAcc: number;
  /** Training data loss in inference mode (dropout off). */
  trainDataLoss: number;
  valAcc: number;
  valDataLoss: number;
  regLoss: number;
  epochs: number;
  seconds: number;
  stopped: boolean;
}

export type ToWorker = { type: "train"; config: TrainConfig } | { type: "stop" };

export type FromWorker =
  | { type: "start"; simd: boolean; train: Points; validation: Points; extent: Extent; gridSize: number }
  /** New epoch logs and the class probabilities on the boundary grid (gridSize² × classes). */
  | { type: "progress"; logs: EpochLog[]; probabilities: Float32Array }
  | { type: "done"; metrics: FinalMetrics }
  | { type: "error"; message: string };
