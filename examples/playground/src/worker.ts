// Training worker: builds the spiral data and the model and trains them in one fit(), whose callback
// streams progress (epoch logs and the decision boundary) to the page every SLICE_MS; fit() yields to
// the event loop while it trains, so a "stop" message gets in and stops it.
import { buildExperiment, type EpochLog, experimentData, init, simd, threads } from "regwasm";
import type { Extent, FromWorker, ToWorker, TrainConfig } from "./protocol.js";

/** Boundary grid cells per side. */
const GRID = 96;
/** Wall time between progress messages. */
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
    threads: threads(),
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
  let pending: EpochLog[] = [];
  let lastPost = started;
  try {
    await model.fit(data.x, data.y, {
      epochs: c.epochs,
      optimizer,
      validationData: [validation.x, validation.y],
      logEvery,
      yieldEvery: 10,
      callbacks: [
        {
          onEpochEnd(log, m) {
            done++;
            pending.push(log);
            if (stopRequested) m.stopTraining = true;
            const now = performance.now();
            const last = done === c.epochs || stopRequested;
            // otherwise on a validation epoch, so every message ends with a point of the validation curves
            if (!last && (log.valLoss === undefined || now - lastPost < SLICE_MS)) return;
            lastPost = now;
            const probabilities = m.predict(grid);
            post({ type: "progress", logs: pending, probabilities }, [probabilities.buffer]);
            pending = [];
          },
        },
      ],
    });
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
