// The History fit() resolves to, as Keras and TF.js return it: `epoch` (0-based within the call) and
// one array per figure, each entry the figure of that epoch's log; validation figures exist when
// validation ran, NaN on the epochs that logEvery skipped (their logs have no valLoss at all).
import { describe, expect, it } from "vitest";
import { Adam, Dense, type EpochLog, init, ReLU, Sequential, spiralData } from "../../src/index.js";

await init();

const data = spiralData(30, 3, { seed: 11 });
const val = spiralData(10, 3, { seed: 12 });
const model = () =>
  new Sequential([
    new Dense(2, 12, { seed: 21, weightL1: 1e-3, weightInit: "course" }),
    new ReLU(),
    new Dense(12, 3, { seed: 23, weightInit: "course" }),
  ]);

const FIGURES = ["loss", "dataLoss", "regLoss", "acc", "lr"] as const;

describe("History", () => {
  it("each array holds its figure of every epoch's log; epoch counts from 0 in every call", async () => {
    const m = model();
    const seen: EpochLog[] = [];
    const opts = { epochs: 5, batchSize: 32, optimizer: new Adam({ learningRate: 0.02, decay: 0.01 }) };
    const history = await m.fit(data.x, data.y, { ...opts, onEpoch: (log) => void seen.push(log) });
    expect(history.logs).toEqual(seen);
    expect(history.epoch).toEqual([0, 1, 2, 3, 4]);
    for (const f of FIGURES) expect(history.history[f], f).toEqual(seen.map((log) => log[f]));
    expect(history.history.valLoss).toBeUndefined();
    expect(history.history.valAcc).toBeUndefined();
    // figures that differ from epoch to epoch, so a misaligned column cannot pass
    for (const f of FIGURES) expect(new Set(history.history[f]).size, f).toBe(5);
    const again = await m.fit(data.x, data.y, { epochs: 2 });
    expect(again.epoch).toEqual([0, 1]);
    m.free();
  });

  it("logEvery 3 over 8 epochs: validation on epochs 0, 3, 6 and the last; NaN in between", async () => {
    const m = model();
    const history = await m.fit(data.x, data.y, {
      epochs: 8,
      optimizer: new Adam({ learningRate: 0.02 }),
      validationData: [val.x, val.y],
      logEvery: 3,
    });
    const logged = [0, 3, 6, 7];
    history.logs.forEach((log, e) => {
      expect("valLoss" in log, `epoch ${e}`).toBe(logged.includes(e));
      expect("valAcc" in log, `epoch ${e}`).toBe(logged.includes(e));
    });
    const valLoss = history.history.valLoss!;
    const valAcc = history.history.valAcc!;
    expect(valLoss.map(Number.isNaN)).toEqual(history.epoch.map((e) => !logged.includes(e)));
    expect(valAcc.map(Number.isNaN)).toEqual(history.epoch.map((e) => !logged.includes(e)));
    for (const e of logged) {
      expect(valLoss[e]).toBe(history.logs[e].valLoss);
      expect(valAcc[e]).toBe(history.logs[e].valAcc);
    }
    // the last epoch's figures are the trained model's, in inference mode
    const final = m.evaluate(val.x, val.y);
    expect(valLoss[7]).toBe(final.dataLoss);
    expect(valAcc[7]).toBe(final.acc);
    m.free();
  });

  it("an epoch cut short by stopTraining is logged with validation even when logEvery skips it", async () => {
    const m = model();
    const stopped = await m.fit(data.x, data.y, {
      epochs: 10,
      batchSize: 32,
      optimizer: new Adam(),
      validationData: [val.x, val.y],
      logEvery: 4,
      callbacks: [
        {
          onBatchEnd: (log, model) => {
            if (log.epoch === 2 && log.batch === 1) model.stopTraining = true;
          },
        },
      ],
    });
    expect(stopped.epoch).toEqual([0, 1, 2]);
    expect(stopped.history.valLoss!.map(Number.isNaN)).toEqual([false, true, false]);
    // a stop decided from the epoch's log (onEpoch returning false) comes after its figures: none added
    const m2 = model();
    const decided = await m2.fit(data.x, data.y, {
      epochs: 10,
      optimizer: new Adam(),
      validationData: [val.x, val.y],
      logEvery: 4,
      onEpoch: (log) => log.epoch !== 2,
    });
    expect(decided.epoch).toEqual([0, 1, 2]);
    expect(decided.history.valLoss!.map(Number.isNaN)).toEqual([false, true, true]);
    m.free();
    m2.free();
  });
});
