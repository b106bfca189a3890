// Training worker: trains one config with run.ts's trainRun, streaming progress (snapshots, the
// decision boundary and the hidden layer's weights) to the page every SLICE_MS; fit() yields to the
// event loop while it trains, so a "stop" message gets in and stops it.
import { init, simd, threads } from "regwasm";
import type { Extent, FromWorker, Snapshot, ToWorker, TrainConfig } from "./protocol.js";
import { hiddenWeights, trainRun } from "./run.js";

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
  let grid: Float32Array = new Float32Array(0);
  let pending: Snapshot[] = [];
  let lastPost = 0;
  const { metrics, weights } = await trainRun(c, {
    yieldEvery: 10,
    shouldStop: () => stopRequested,
    onStart({ train, validation }) {
      const extent = extentOf(train.x);
      grid = gridPoints(extent);
      post({
        type: "start",
        simd: simd(),
        threads: threads(),
        train: { x: train.x, y: train.y },
        validation: { x: validation.x, y: validation.y },
        extent,
        gridSize: GRID,
      });
    },
    onSnapshot(snapshot, model) {
      pending.push(snapshot);
      const now = performance.now();
      const last = snapshot.epoch === c.epochs - 1 || stopRequested;
      if (!last && now - lastPost < SLICE_MS) return;
      lastPost = now;
      const probabilities = model.predict(grid);
      const weights = hiddenWeights(model);
      post({ type: "progress", snapshots: pending, probabilities, weights }, [probabilities.buffer, weights.buffer]);
      pending = [];
    },
  });
  post({ type: "done", metrics, weights }, [weights.buffer]);
}
