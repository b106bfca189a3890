// The CLI's training thread: the main thread stays free to draw progress at its own pace and to take
// SIGINT and raise `stop`, which onEpoch reads after every epoch.
import { parentPort, workerData } from "node:worker_threads";
import type { ExperimentConfig } from "../experiments/course.js";
import { init } from "../index.js";
import { type ExperimentResult, runExperiment } from "./run-experiment.js";

export interface TrainJob {
  experiments: ExperimentConfig[];
  /** Int32Array over a SharedArrayBuffer: [0] becomes 1 when training should stop. */
  stop: Int32Array;
  /** Threads for the kernels (undefined: one per core). */
  threads?: number;
}

export type TrainMessage =
  | { type: "epoch"; run: number; epoch: number; loss: number; acc: number; valAcc?: number }
  | { type: "result"; run: number; result: ExperimentResult };

/** Epoch messages at most this often (plus the first and last epoch): the main thread draws at 10 Hz. */
const EPOCH_MESSAGE_MS = 20;

const { experiments, stop, threads } = workerData as TrainJob;
const post = (message: TrainMessage) => parentPort!.postMessage(message);
const stopRequested = () => Atomics.load(stop, 0) !== 0;

await init(threads === undefined ? {} : { threads });
for (let run = 0; run < experiments.length && !stopRequested(); run++) {
  const config = experiments[run];
  let lastPost = -Infinity;
  let valAcc: number | undefined;
  const result = await runExperiment(config, {
    onEpoch: (epoch, log) => {
      if (log.valAcc !== undefined) valAcc = log.valAcc;
      const now = performance.now();
      const stopping = stopRequested();
      if (epoch === 1 || epoch === config.epochs || stopping || now - lastPost >= EPOCH_MESSAGE_MS) {
        lastPost = now;
        post({ type: "epoch", run, epoch, loss: log.loss, acc: log.acc, valAcc });
      }
      return !stopping;
    },
  });
  post({ type: "result", run, result });
}
