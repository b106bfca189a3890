// EarlyStopping contracts the Keras-trace tests leave open, each from Keras 3's EarlyStopping
// (keras/src/callbacks/early_stopping.py) or the documented fields: the state before training,
// 'auto' mode for valAcc, the first monitored epoch's weights kept even when its figure is NaN,
// no stop on epoch 0, no restore when no epoch was monitored, and no parameter copies without
// restoreBestWeights.
import { describe, expect, it } from "vitest";
import {
  EarlyStopping,
  type EarlyStoppingOptions,
  type EpochLog,
  type Sequential,
  type TrainingParams,
} from "../../src/index.js";

const PARAMS: TrainingParams = { epochs: 100, batchSize: 1, rows: 1, batches: 1, validation: true, logEvery: 1 };

/** A model as EarlyStopping sees it, whose weights name the epoch they were taken at. */
function stubModel() {
  const stub = {
    stopTraining: false,
    epoch: -1,
    copies: 0,
    restored: [] as (number | undefined)[],
    getWeights: () => {
      stub.copies++;
      return [Float32Array.of(stub.epoch)];
    },
    setWeights: (w: Float32Array[]) => {
      stub.restored.push(w?.[0]?.[0]);
    },
  };
  return stub;
}

/** Runs `values` as valLoss (or `monitor`) epoch by epoch until the callback stops training. */
function drive(options: EarlyStoppingOptions, values: number[]) {
  const cb = new EarlyStopping(options);
  const model = stubModel();
  const m = model as unknown as Sequential;
  cb.onTrainBegin(PARAMS);
  let epochs = 0;
  for (const [epoch, value] of values.entries()) {
    model.epoch = epoch;
    cb.onEpochEnd({ epoch, [options.monitor ?? "valLoss"]: value } as unknown as EpochLog, m);
    epochs++;
    if (model.stopTraining) break;
  }
  cb.onTrainEnd(undefined, m);
  return { cb, model, epochs };
}

describe("EarlyStopping contracts", () => {
  it("before any epoch, bestEpoch and stoppedEpoch are −1 and best is NaN (as documented)", () => {
    const cb = new EarlyStopping();
    expect(cb.bestEpoch).toBe(-1);
    expect(cb.stoppedEpoch).toBe(-1);
    expect(cb.best).toBeNaN();
  });

  it("'auto' maximizes valAcc and acc, minimizes the losses (Keras: 'acc' in the name → max)", () => {
    expect(new EarlyStopping({ monitor: "valAcc" }).mode).toBe("max");
    expect(new EarlyStopping({ monitor: "acc" }).mode).toBe("max");
    expect(new EarlyStopping({ monitor: "valLoss" }).mode).toBe("min");
    // a rising valAcc never stops; a falling one stops after patience epochs
    expect(drive({ monitor: "valAcc", patience: 1 }, [0.1, 0.2, 0.3, 0.4]).epochs).toBe(4);
    const falling = drive({ monitor: "valAcc", patience: 1 }, [0.4, 0.3, 0.2, 0.1]);
    expect(falling.epochs).toBe(2);
    expect(falling.cb.stoppedEpoch).toBe(1);
  });

  it("epoch 0 never stops training, even with patience 0 and a NaN figure (Keras: epoch > 0)", () => {
    const { cb, epochs } = drive({ patience: 0 }, [Number.NaN, Number.NaN, 1]);
    // epoch 0: NaN does not improve, but epoch 0 cannot stop; epoch 1 stops
    expect(epochs).toBe(2);
    expect(cb.stoppedEpoch).toBe(1);
    expect(cb.bestEpoch).toBe(-1);
  });

  it("restoreBestWeights keeps the first monitored epoch's weights when no epoch improves (NaN figures)", () => {
    // Keras takes best_weights on the first monitored epoch whatever its value
    const { model } = drive({ patience: 5, restoreBestWeights: true, startFromEpoch: 1 }, [
      Number.NaN,
      Number.NaN,
      Number.NaN,
    ]);
    expect(model.restored).toEqual([1]);
  });

  it("restoreBestWeights restores nothing when no epoch was monitored (all before startFromEpoch)", () => {
    const { model } = drive({ restoreBestWeights: true, startFromEpoch: 5 }, [1, 0.5, 0.25]);
    expect(model.restored).toEqual([]);
  });

  it("without restoreBestWeights the parameters are never copied nor set", () => {
    const { model } = drive({ patience: 2 }, [3, 2, 1, 1, 1, 1]);
    expect(model.copies).toBe(0);
    expect(model.restored).toEqual([]);
  });

  it("with restoreBestWeights, the best epoch's weights come back at the end", () => {
    const { model, cb } = drive({ patience: 2, restoreBestWeights: true }, [3, 1, 2, 2, 2]);
    expect(cb.bestEpoch).toBe(1);
    expect(model.restored).toEqual([1]);
  });

  it("a baseline must be a finite number", () => {
    for (const [baseline, got] of [
      [Number.POSITIVE_INFINITY, "number Infinity"],
      ["1", "string 1"],
    ] as const) {
      expect(() => new EarlyStopping({ baseline: baseline as number })).toThrow(
        new RangeError(`options.baseline must be a finite number, got ${got}`),
      );
    }
  });
});
