// earlyStopping against Keras 3's EarlyStopping (keras/src/callbacks/early_stopping.py), transcribed
// below as the reference: scripted and seeded random sequences of the monitored figure are driven
// through onEpochEnd with a stub model, and every decision (epochs run, stopped epoch, best value and
// epoch, weights restored) must match. Then in a real fit: restoreBestWeights sets exactly the weights
// of the best epoch, and monitoring a validation figure without validation data is refused.
import { describe, expect, it } from "vitest";
import {
  Adam,
  Dense,
  EarlyStopping,
  type EarlyStoppingOptions,
  type EpochLog,
  earlyStopping,
  init,
  type Monitor,
  ReLU,
  Sequential,
  spiralData,
  type TrainingParams,
} from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { mulberry32 } from "../support/mulberry32.js";
import { errorOf, firstBitDifference } from "./support.js";

await init();

/**
 * Keras 3's EarlyStopping, line by line: monitor_op is less (min) or greater (max), 'auto' maximizes
 * accuracies; min_delta is negated for less; best starts at ±∞; wait counts every monitored epoch
 * and restarts only on an improvement that also beats the baseline; stop when wait >= patience on an
 * epoch > 0 that did not improve; best weights taken on the first monitored epoch and each improvement.
 */
class KerasEarlyStopping {
  readonly less: boolean;
  readonly minDelta: number;
  best: number;
  bestEpoch = 0;
  stoppedEpoch = 0;
  wait = 0;
  bestWeights: number | null = null;

  constructor(
    readonly monitor: Monitor,
    readonly o: {
      minDelta?: number;
      patience?: number;
      mode?: string;
      baseline?: number;
      restoreBestWeights?: boolean;
      startFromEpoch?: number;
    },
  ) {
    const mode = o.mode ?? "auto";
    this.less = mode === "min" || (mode === "auto" && !monitor.toLowerCase().endsWith("acc"));
    const d = Math.abs(o.minDelta ?? 0);
    this.minDelta = this.less ? -d : d;
    this.best = this.less ? Infinity : -Infinity;
  }

  #isImprovement(value: number, reference: number): boolean {
    return this.less ? value - this.minDelta < reference : value - this.minDelta > reference;
  }

  /** Returns whether training stops; `weights` stands for model.get_weights() at this epoch. */
  onEpochEnd(epoch: number, current: number | undefined, weights: number): boolean {
    if (current === undefined || epoch < (this.o.startFromEpoch ?? 0)) return false;
    if (this.o.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = weights;
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.#isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.o.restoreBestWeights) this.bestWeights = weights;
      if (this.o.baseline === undefined || this.#isImprovement(current, this.o.baseline)) this.wait = 0;
      return false;
    }
    if (this.wait >= (this.o.patience ?? 0) && epoch > 0) {
      this.stoppedEpoch = epoch;
      return true;
    }
    return false;
  }
}

/** A model as far as EarlyStopping sees it: stopTraining, and weights that name their epoch. */
function stubModel() {
  const stub = {
    stopTraining: false,
    epoch: -1,
    restored: null as number | null,
    getWeights: () => [Float32Array.of(stub.epoch)],
    setWeights: (w: Float32Array[]) => {
      stub.restored = w[0][0];
    },
  };
  return stub;
}

const PARAMS: TrainingParams = { epochs: 100, batchSize: 1, rows: 1, batches: 1, validation: true, logEvery: 1 };

/** Drives `values` (undefined: the figure is missing that epoch) through both; returns both traces. */
function run(monitor: Monitor, options: Omit<EarlyStoppingOptions, "monitor">, values: (number | undefined)[]) {
  const ours = earlyStopping({ monitor, ...options });
  const keras = new KerasEarlyStopping(monitor, options);
  const model = stubModel();
  ours.onTrainBegin(PARAMS);
  let epochs = 0;
  let kerasEpochs = 0;
  let kerasStopped = false;
  for (const [epoch, value] of values.entries()) {
    model.epoch = epoch;
    const log = { epoch, loss: 0, dataLoss: 0, regLoss: 0, acc: 0, lr: 0.1, [monitor]: value } as EpochLog;
    if (value === undefined) delete (log as unknown as Record<string, unknown>)[monitor];
    if (!model.stopTraining) {
      ours.onEpochEnd(log, model as never);
      epochs++;
    }
    if (!kerasStopped) {
      kerasStopped = keras.onEpochEnd(epoch, value, epoch);
      kerasEpochs++;
    }
  }
  ours.onTrainEnd(null, model as never);
  return {
    ours: {
      epochs,
      stoppedEpoch: ours.stoppedEpoch,
      best: ours.best,
      bestEpoch: ours.bestEpoch,
      restored: model.restored,
    },
    keras: {
      epochs: kerasEpochs,
      stoppedEpoch: kerasStopped ? keras.stoppedEpoch : -1,
      best: keras.best,
      bestEpoch: keras.bestEpoch,
      restored: options.restoreBestWeights ? keras.bestWeights : null,
    },
  };
}

/** Our trace against Keras's; where no epoch was monitored Keras keeps best = ±∞, we keep NaN. */
function expectKeras(monitor: Monitor, options: Omit<EarlyStoppingOptions, "monitor">, values: (number | undefined)[]) {
  const { ours, keras } = run(monitor, options, values);
  if (!Number.isFinite(keras.best)) {
    expect(ours.best).toBeNaN();
    expect(ours.bestEpoch).toBe(-1);
    expect({ ...ours, best: 0, bestEpoch: 0 }).toEqual({ ...keras, best: 0, bestEpoch: 0 });
  } else expect(ours).toEqual(keras);
  return ours;
}

describe("earlyStopping decides as Keras 3's EarlyStopping", () => {
  it("Keras's documented example: monitor loss, patience 3, a loss that only increases: 4 epochs", () => {
    const ours = expectKeras("loss", { patience: 3 }, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ours.epochs).toBe(4);
    expect(ours.stoppedEpoch).toBe(3);
    expect(ours.bestEpoch).toBe(0);
  });

  it.each<[string, Monitor, Omit<EarlyStoppingOptions, "monitor">, (number | undefined)[], number, number]>([
    // [name, monitor, options, values, epochs run, best epoch]
    ["patience 0 stops at the first epoch without improvement", "loss", {}, [3, 2, 2, 1], 3, 1],
    ["patience 2 waits two epochs", "loss", { patience: 2 }, [3, 2, 2.5, 1.5, 1.6, 1.7, 1], 6, 3],
    [
      "minDelta in min mode: falls of 0.05 and 0.08 are not enough",
      "loss",
      { minDelta: 0.1, patience: 2 },
      [1, 0.95, 0.92, 0.5],
      3,
      0,
    ],
    [
      "minDelta in max mode: a rise of 0.2 is, of 0.05 is not",
      "acc",
      { minDelta: 0.1, patience: 2 },
      [0.5, 0.55, 0.7, 0.72, 0.75],
      5,
      2,
    ],
    ["'auto' maximizes acc", "acc", {}, [0.5, 0.6, 0.55], 3, 1],
    ["'auto' maximizes valAcc", "valAcc", { patience: 1 }, [0.5, 0.6, 0.7, 0.65, 0.6], 4, 2],
    ["'auto' minimizes valLoss", "valLoss", {}, [0.5, 0.6], 2, 0],
    ["'auto' minimizes regLoss", "regLoss", {}, [0.5, 0.4, 0.45], 3, 1],
    ["mode max on a loss", "loss", { mode: "max" }, [1, 2, 1.5], 3, 1],
    ["mode min on acc", "acc", { mode: "min" }, [0.5, 0.6], 2, 0],
    // a regression loss reports acc NaN: NaN never improves (Keras compares it false), so patience runs out
    [
      "NaN never improves (acc of a regression)",
      "acc",
      { patience: 2 },
      [Number.NaN, Number.NaN, Number.NaN, Number.NaN],
      2,
      -1,
    ],
    [
      "a baseline not beaten: improvements do not reset the wait",
      "loss",
      { baseline: 0.5, patience: 2 },
      [1, 0.9, 0.95, 0.8, 0.85, 0.7],
      3,
      1,
    ],
    [
      "a baseline beaten: the wait restarts (else epoch 2 would stop)",
      "loss",
      { baseline: 0.5, patience: 2 },
      [1, 0.4, 0.45, 0.42, 0.3],
      4,
      1,
    ],
    ["baseline with minDelta", "loss", { baseline: 0.5, minDelta: 0.1, patience: 1 }, [0.45, 0.3, 0.35], 3, 1],
    ["startFromEpoch 3: warm-up epochs are not monitored", "loss", { startFromEpoch: 3 }, [1, 2, 3, 4, 5, 4.5], 5, 3],
    [
      "epochs without the figure do not count",
      "valLoss",
      { patience: 1 },
      [1, undefined, undefined, 1.2, undefined, 1.3],
      4,
      0,
    ],
    ["equal is not an improvement", "loss", { patience: 1 }, [1, 1, 1], 2, 0],
  ])("%s", (_, monitor, options, values, epochs, bestEpoch) => {
    const ours = expectKeras(monitor, options, values);
    expect(ours.epochs).toBe(epochs);
    expect(ours.bestEpoch).toBe(bestEpoch);
  });

  it.each<[string, Omit<EarlyStoppingOptions, "monitor">, number[], number, number]>([
    // [name, options, values, epochs run, epoch whose weights are restored]
    ["restoreBestWeights without a stop: the best epoch's weights", { patience: 5 }, [3, 2, 2.5, 2.2], 4, 1],
    ["restoreBestWeights after a stop", { patience: 2 }, [3, 1, 2.5, 2.2, 2.1], 4, 1],
    [
      "restoreBestWeights, a baseline never beaten: the best epoch seen",
      { patience: 2, baseline: 0.5 },
      [3, 2, 2.5, 2.6],
      3,
      1,
    ],
    [
      "restoreBestWeights after warm-up: the first monitored epoch at least",
      { patience: 1, startFromEpoch: 2 },
      [1, 0.5, 3, 4],
      4,
      2,
    ],
  ])("%s", (_, options, values, epochs, restored) => {
    const ours = expectKeras("valLoss", { ...options, restoreBestWeights: true }, values);
    expect(ours.epochs).toBe(epochs);
    expect(ours.restored).toBe(restored);
  });

  it("600 seeded random runs: every option combined, the same decisions as Keras", () => {
    const next = mulberry32(2024);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    const monitors: Monitor[] = ["loss", "dataLoss", "regLoss", "acc", "valLoss", "valAcc"];
    for (let k = 0; k < 600; k++) {
      const monitor = pick(monitors);
      const options = {
        patience: pick([0, 1, 2, 3, 5]),
        minDelta: pick([0, 0, 0.01, 0.05]),
        mode: pick(["auto", "auto", "min", "max"] as const),
        baseline: pick([undefined, undefined, 0.3, 0.5, 0.7]),
        restoreBestWeights: pick([false, true]),
        startFromEpoch: pick([0, 0, 1, 3]),
      };
      // a noisy walk on a 0.01 grid (ties happen), sometimes missing (validation skipped)
      let v = 0.5;
      const values = Array.from({ length: 30 }, () => {
        v = Math.round((v + (next() - 0.5) * 0.1) * 100) / 100;
        return next() < 0.1 ? undefined : v;
      });
      const { ours, keras } = run(monitor, options, values);
      if (!Number.isFinite(keras.best)) expect(ours.best, JSON.stringify({ monitor, options, values })).toBeNaN();
      else expect(ours, JSON.stringify({ monitor, options, values })).toEqual(keras);
    }
  });
});

describe("options", () => {
  it.each<[string, object, RegExp]>([
    ["an unknown key", { patients: 3 }, /options\.patients is not a known option \(did you mean patience\?\)/],
    [
      "a Keras name",
      { monitor: "val_loss" },
      /options\.monitor must be 'loss', 'dataLoss', 'regLoss', 'acc', 'valLoss' or 'valAcc', got string val_loss/,
    ],
    ["patience −1", { patience: -1 }, /options\.patience must be an integer >= 0, got number -1/],
    ["patience 1.5", { patience: 1.5 }, /options\.patience must be an integer >= 0/],
    ["startFromEpoch NaN", { startFromEpoch: Number.NaN }, /options\.startFromEpoch must be an integer >= 0/],
    ["minDelta −0.1", { minDelta: -0.1 }, /options\.minDelta must be a finite number >= 0/],
    ["mode 'up'", { mode: "up" }, /options\.mode must be 'auto', 'min' or 'max', got string up/],
    ["baseline NaN", { baseline: Number.NaN }, /options\.baseline must be a finite number, got number NaN/],
    ["baseline a string", { baseline: "0.5" }, /options\.baseline must be a finite number/],
    ["restoreBestWeights 1", { restoreBestWeights: 1 }, /options\.restoreBestWeights/],
  ])("%s is refused", (_, options, message) => {
    expect(() => earlyStopping(options as EarlyStoppingOptions)).toThrow(message);
  });

  it("defaults are Keras's: valLoss, patience 0, minDelta 0, min mode, no baseline, no restore, from epoch 0", () => {
    const s = new EarlyStopping();
    expect({
      monitor: s.monitor,
      patience: s.patience,
      minDelta: s.minDelta,
      mode: s.mode,
      baseline: s.baseline,
      restoreBestWeights: s.restoreBestWeights,
      startFromEpoch: s.startFromEpoch,
    }).toEqual({
      monitor: "valLoss",
      patience: 0,
      minDelta: 0,
      mode: "min",
      baseline: undefined,
      restoreBestWeights: false,
      startFromEpoch: 0,
    });
  });
});

describe("in a real fit", () => {
  const data = spiralData(40, 3, { seed: 5 });
  const val = spiralData(15, 3, { seed: 6 });
  const model = () =>
    new Sequential([
      new Dense(2, 32, { seed: 1, weightInit: "course" }),
      new ReLU(),
      new Dense(32, 3, { seed: 2, weightInit: "course" }),
    ]);

  it("restoreBestWeights sets exactly the weights at the end of the best epoch", async () => {
    const m = model();
    const stopper = earlyStopping({ patience: 3, restoreBestWeights: true });
    const snapshots: Float32Array[][] = [];
    // too large a learning rate: the validation loss jumps about, so the best epoch is not the last
    const history = await m.fit(data.x, data.y, {
      epochs: 200,
      batchSize: 20,
      optimizer: new Adam({ learningRate: 0.2 }),
      validationData: [val.x, val.y],
      callbacks: [stopper, { onEpochEnd: (_, model) => void snapshots.push(model.getWeights()) }],
    });
    const valLoss = history.history.valLoss!;
    // the reference best epoch: the first minimum of the logged validation losses
    const best = valLoss.indexOf(Math.min(...valLoss));
    expect(stopper.bestEpoch).toBe(best);
    expect(stopper.best).toBe(valLoss[best]);
    expect(stopper.stoppedEpoch).toBe(history.epoch.length - 1);
    expect(history.epoch.length - 1 - best).toBe(3); // stopped after patience epochs without improvement
    m.getWeights().forEach((w, i) => expect(firstBitDifference(w, snapshots[best][i]), `params()[${i}]`).toBe(-1));
    const last = snapshots[snapshots.length - 1];
    expect(m.getWeights().some((w, i) => firstBitDifference(w, last[i]) !== -1)).toBe(true);
    expect(m.evaluate(val.x, val.y).dataLoss).toBe(stopper.best);
    m.free();
  });

  it("monitoring valLoss without validation data rejects fit, naming both, and frees its memory", async () => {
    const m = model();
    const heap = defaultInstance().heap;
    const allocations = heap.allocations;
    const error = await errorOf(() =>
      m.fit(data.x, data.y, { epochs: 5, optimizer: new Adam(), callbacks: [earlyStopping()] }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      "earlyStopping monitors 'valLoss', but fit() has no options.validationData or options.validationSplit",
    );
    expect(heap.allocations).toBe(allocations);
    expect(m.getWeights()).toEqual(model().getWeights());
    // with a validationSplit it runs
    const history = await m.fit(data.x, data.y, {
      epochs: 3,
      validationSplit: 0.2,
      callbacks: [earlyStopping({ monitor: "valAcc", patience: 5 })],
    });
    expect(history.epoch).toEqual([0, 1, 2]);
    m.free();
  });

  it("an instance is reused across fits: each fit starts afresh (Keras 3 keeps `best` from the last one)", async () => {
    const m = model();
    const initial = m.getWeights();
    const stopper = earlyStopping({ monitor: "loss", patience: 0 });
    const first = await m.fit(data.x, data.y, {
      epochs: 3,
      optimizer: new Adam({ learningRate: 0.01 }),
      callbacks: [stopper],
    });
    expect(stopper.bestEpoch).toBe(2); // the loss fell every epoch
    // back to the start: the losses of the next fit are all above the first fit's best
    m.setWeights(initial);
    const second = await m.fit(data.x, data.y, { epochs: 3, callbacks: [stopper] });
    expect(Math.min(...second.history.loss)).toBeGreaterThan(first.history.loss[2]);
    // measured against its own epochs, the loss falls every epoch again: no stop
    expect(second.epoch).toEqual([0, 1, 2]);
    expect(stopper.best).toBe(second.history.loss[2]);
    expect(stopper.bestEpoch).toBe(2);
    m.free();
  });
});
