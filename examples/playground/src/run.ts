// One training run of the playground, without any page or worker: the spiral data, the model and the
// figures the page shows. The worker streams them to the page; the Node test runs the same function
// to check each preset's claim over many seeds, so what the page shows is what the test verified.
import { buildExperiment, type EpochLog, experimentData, type Sequential } from "regwasm";
import { zeroFraction } from "./histogram.js";
import type { FinalMetrics, Snapshot, TrainConfig } from "./protocol.js";

export interface RunHooks {
  /** The data, before training starts. */
  onStart?(data: ReturnType<typeof experimentData>): void;
  /** After each snapshot epoch (about 400 per run, and the last), with the model between epochs. */
  onSnapshot?(snapshot: Snapshot, model: Sequential): void;
  /** Polled after every epoch: true stops training after it. */
  shouldStop?(): boolean;
  /** Epochs between yields to the event loop (a worker needs them to see "stop"); default: none. */
  yieldEvery?: number;
}

/** Epochs between snapshots: about 400 points per curve. */
export const snapshotInterval = (epochs: number): number => Math.max(1, Math.floor(epochs / 400));

/** The hidden (regularized) layer's weights, copied out of WASM memory. */
export function hiddenWeights(model: Sequential): Float32Array {
  // the first layer with weights: an input noise layer may come before it
  const weights = model.layers.flatMap((l) => l.params()).find((p) => p.name === "weights");
  if (!weights) throw new Error("the model has no weights");
  return weights.value.view().slice();
}

/**
 * Trains the config (init() must have resolved). Snapshots measure the training data in inference
 * mode (dropout and input noise off), as the validation data is measured, so that the gap compares
 * like with like; they leave the training itself unchanged.
 */
export async function trainRun(
  c: TrainConfig,
  hooks: RunHooks = {},
): Promise<{ metrics: FinalMetrics; weights: Float32Array }> {
  const data = experimentData(c);
  const { train, validation } = data;
  hooks.onStart?.(data);
  const { model, optimizer } = buildExperiment(c);
  const every = snapshotInterval(c.epochs);
  let done = 0;
  const started = performance.now();
  try {
    await model.fit(train.x, train.y, {
      epochs: c.epochs,
      optimizer,
      validationData: [validation.x, validation.y],
      logEvery: every,
      ...(hooks.yieldEvery ? { yieldEvery: hooks.yieldEvery } : {}),
      callbacks: [
        {
          onEpochEnd(log: EpochLog, m: Sequential) {
            done++;
            const stop = hooks.shouldStop?.() ?? false;
            if (stop) m.stopTraining = true;
            // measuring costs a forward pass over the training data: only when someone looks
            if (!hooks.onSnapshot || (log.valLoss === undefined && !stop)) return;
            const t = m.evaluate(train.x, train.y);
            const v =
              log.valLoss === undefined
                ? m.evaluate(validation.x, validation.y)
                : { dataLoss: log.valLoss, acc: log.valAcc ?? Number.NaN };
            hooks.onSnapshot?.(
              {
                epoch: log.epoch,
                trainLoss: t.dataLoss,
                trainAcc: t.acc,
                valLoss: v.dataLoss,
                valAcc: v.acc,
                regLoss: log.regLoss,
                regShare: log.loss > 0 ? log.regLoss / log.loss : 0,
              },
              m,
            );
          },
        },
      ],
    });
    const seconds = (performance.now() - started) / 1000;
    const t = model.evaluate(train.x, train.y);
    const v = model.evaluate(validation.x, validation.y);
    const weights = hiddenWeights(model);
    return {
      metrics: {
        trainAcc: t.acc,
        trainDataLoss: t.dataLoss,
        valAcc: v.acc,
        valDataLoss: v.dataLoss,
        gap: v.dataLoss - t.dataLoss,
        regLoss: t.regLoss,
        zeros: zeroFraction(weights),
        epochs: done,
        seconds,
        stopped: done < c.epochs,
      },
      weights,
    };
  } finally {
    model.free();
  }
}
