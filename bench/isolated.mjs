// A benchmark task that runs in its own worker thread (isolated-worker.mjs): the plain-JS and TF.js
// baselines, each measured at its best, monomorphic and warm, rather than in the process that runs
// every other row. The main thread waits while the worker measures, so the two never compete.
import { Worker } from "node:worker_threads";

const WORKER = new URL("./isolated-worker.mjs", import.meta.url);

/** Starts the worker and waits until it has warmed up and calibrated; returns the task. */
export async function isolatedTask({ id, label, kernel, n }, calibration) {
  const worker = new Worker(WORKER, { workerData: { kernel, impl: id, n, calibration } });
  const pending = [];
  worker.on("message", (message) => pending.shift()?.resolve(message));
  worker.on("error", (error) => {
    for (const p of pending.splice(0)) p.reject(error);
  });
  const ask = (message) =>
    new Promise((resolve, reject) => {
      pending.push({ resolve, reject });
      if (message) worker.postMessage(message);
    });
  const ready = await ask(null);
  const task = {
    id,
    label,
    isolated: true,
    inner: ready.inner,
    perCall: ready.perCall,
    maxRounds: ready.maxRounds,
    /** { ms per call (median of the round's batches), samples } */
    round: (time) => ask({ type: "round", time }),
    /** ms per call of one batch */
    batch: async () => (await ask({ type: "batch" })).ms,
    close: async () => {
      worker.postMessage({ type: "close" });
      await worker.terminate();
    },
  };
  if (ready.skipped) {
    await task.close();
    return { id, label, skipped: ready.skipped };
  }
  return task;
}
