// Runs one experiment for the CLI: train on its spiral with validation, then measure the final
// figures and the decision boundary for the report.
import type { EpochLog } from "../model/history.js";
import type { ExperimentConfig } from "../experiments/course.js";
import { experimentData } from "../experiments/data.js";
import { buildExperiment } from "../experiments/model.js";
import { gridFor, type DecisionBoundary } from "./report/boundary.js";

export interface ExperimentResult {
  config: ExperimentConfig;
  history: EpochLog[];
  /**
   * The training data measured in inference mode (dropout off) on the epochs with validation, so that
   * the report's gap (validation − training loss) compares like with like.
   */
  trainCurve: TrainPoint[];
  /** On the training data in inference mode (dropout off) after training; loss = dataLoss + regLoss. */
  train: { acc: number; loss: number; dataLoss: number; regLoss: number };
  /** On the validation data; loss is the data loss (cross-entropy), as the course reports it. */
  validation: { acc: number; loss: number };
  /** Epochs trained: config.epochs unless stopped early. */
  epochs: number;
  /** Whether onEpoch stopped the run before config.epochs. */
  stopped: boolean;
  /** Seconds spent in fit(). */
  wallS: number;
  boundary: DecisionBoundary;
}

export interface TrainPoint {
  epoch: number;
  /** Data loss (cross-entropy) and accuracy. */
  loss: number;
  acc: number;
}

export interface RunOptions {
  /** Called after every epoch with the 1-based count of epochs done; returning false stops training. */
  onEpoch?: (epochsDone: number, log: EpochLog) => void | boolean;
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

/** Trains one configuration (or until onEpoch returns false); the caller must have awaited init(). */
export async function runExperiment(c: ExperimentConfig, options: RunOptions = {}): Promise<ExperimentResult> {
  const { train, validation } = experimentData(c);
  const { model, optimizer } = buildExperiment(c);
  try {
    let done = 0;
    const trainCurve: TrainPoint[] = [];
    const start = performance.now();
    const { logs: history } = await model.fit(train.x, train.y, {
      epochs: c.epochs,
      optimizer,
      validationData: [validation.x, validation.y],
      logEvery: validationInterval(c.epochs),
      onEpoch: (log) => {
        // inference mode: the training itself (weights, dropout stream) is unchanged
        if (log.valLoss !== undefined) {
          const t = model.evaluate(train.x, train.y);
          trainCurve.push({ epoch: log.epoch, loss: t.dataLoss, acc: t.acc });
        }
        done++; // counted whether or not anyone listens
        return options.onEpoch?.(done, log);
      },
    });
    const wallS = (performance.now() - start) / 1000;
    const finalTrain = model.evaluate(train.x, train.y);
    const finalValidation = model.evaluate(validation.x, validation.y);
    const grid = gridFor(train.x, options.gridSize ?? 120, options.gridSize ?? 120);
    const cellClasses = argmaxRows(model.predict(grid.centers), grid.rows * grid.cols, c.classes);
    return {
      config: c,
      history,
      trainCurve,
      train: { acc: finalTrain.acc, loss: finalTrain.loss, dataLoss: finalTrain.dataLoss, regLoss: finalTrain.regLoss },
      validation: { acc: finalValidation.acc, loss: finalValidation.dataLoss },
      epochs: done,
      stopped: done < c.epochs,
      wallS,
      boundary: { ...grid, cellClasses, points: train.x, labels: train.y, classes: c.classes },
    };
  } finally {
    model.free();
  }
}
