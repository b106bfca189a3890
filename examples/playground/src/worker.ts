// Training worker: builds the spiral data and the model, trains in short slices of fit() so that
// progress (epoch logs and the decision boundary) streams to the page and a "stop" message gets in.
import { buildExperiment, experimentData, init, simd } from "regwasm";
import type { Extent, FromWorker, ToWorker, TrainConfig } from "./protocol.js";

/** Boundary grid cells per side. */
const GRID = 96;
/** Wall time of one training slice between progress messages. */
const SLICE_MS = 80;

let stopRequested = false;

const post = (message: FromWorker, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(message, transfer);

self.onmessage = (event: MessageEvent<ToWorker>) => {
  if (event.data.type === "stop") stopRequested = true;
  else
    train(event.data.config).catch((e: unknown) =>
      post({ type: "error", message: e instanceof Error ? e.message : String(e) }),
    );
};

/** A square extent around the points with a small margin, so the boundary is not distorted. */
function extentOf(x: Float32Array): Extent {
  let m = 0;
  for (const v of x) m = Math.max(m, Math.abs(v));
  return { min: -m * 1.08, max: m * 1.08 };
}

/** Cell centers of a GRID × GRID grid over the extent, row 0 at the top (largest y). */
function gridPoints({ min, max }: Extent): Float32Array {
  const cells = new Float32Array(GRID * GRID * 2);
  const step = (max - min) / GRID;
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      cells[(r * GRID + c) * 2] = min + (c + 0.5) * step;
      cells[(r * GRID + c) * 2 + 1] = max - (r + 0.5) * step;
    }
  }
  return cells;
}

async function train(c: TrainConfig): Promise<void> {
  await init();
  // the CLI's data and model for the same config
  const { train: data, validation } = experimentData(c);
  const extent = extentOf(data.x);
  const grid = gridPoints(extent);
  post({
    type: "start",
    simd: simd(),
    train: { x: data.x, y: data.y },
    validation: { x: validation.x, y: validation.y },
    extent,
    gridSize: GRID,
  });

  const { model, optimizer } = buildExperiment(c);
  // validation metrics for about 400 points per curve
  const logEvery = Math.max(1, Math.floor(c.epochs / 400));
  const started = performance.now();
  let done = 0;
  let slice = logEvery;
  try {
    while (done < c.epochs && !stopRequested) {
      const sliceStart = performance.now();
      const epochs = Math.min(slice, c.epochs - done);
      const logs = model.fit(data.x, data.y, {
        epochs,
        optimizer,
        validationData: [validation.x, validation.y],
        logEvery,
      });
      for (const log of logs) log.epoch += done;
      done += epochs;
      const probabilities = model.predict(grid);
      post({ type: "progress", logs, probabilities }, [probabilities.buffer]);
      // size the next slice to about SLICE_MS, in whole multiples of logEvery
      const perEpoch = (performance.now() - sliceStart) / epochs;
      slice = Math.max(logEvery, Math.round(SLICE_MS / perEpoch / logEvery) * logEvery);
      await new Promise((resolve) => setTimeout(resolve, 0)); // lets a "stop" message in
    }
    const seconds = (performance.now() - started) / 1000;
    const trainEval = model.evaluate(data.x, data.y);
    const valEval = model.evaluate(validation.x, validation.y);
    post({
      type: "done",
      metrics: {
        trainAcc: trainEval.acc,
        trainDataLoss: trainEval.dataLoss,
        valAcc: valEval.acc,
        valDataLoss: valEval.dataLoss,
        regLoss: trainEval.regLoss,
        epochs: done,
        seconds,
        stopped: done < c.epochs,
      },
    });
  } finally {
    model.free();
  }
}
