// Messages between the page and a training worker.
import type { EpochLog, ExperimentConfig } from "regwasm";

/**
 * One training run, as set in the form: the CLI's experiment config (same fields, same model), with
 * the spiral's noise always set and a validation spiral as large as the training one.
 */
export type TrainConfig = ExperimentConfig & { noise: number };

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
  | {
      type: "start";
      simd: boolean;
      threads: number;
      train: Points;
      validation: Points;
      extent: Extent;
      gridSize: number;
    }
  /** New epoch logs and the class probabilities on the boundary grid (gridSize² × classes). */
  | { type: "progress"; logs: EpochLog[]; probabilities: Float32Array }
  | { type: "done"; metrics: FinalMetrics }
  | { type: "error"; message: string };
