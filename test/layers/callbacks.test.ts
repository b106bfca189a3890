// Callbacks: the hooks in Keras's order, each awaited before training goes on; BatchLog's running
// figures against a hand-written loop of computeGradients; stopTraining from a batch; bad callbacks
// refused by name before anything is allocated; a throwing hook rejects fit() and frees its memory.
import { describe, expect, it } from "vitest";
import {
  type BatchLog,
  type Callback,
  Dense,
  Dropout,
  type EpochLog,
  init,
  ReLU,
  SGD,
  Sequential,
  spiralData,
} from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { errorOf, firstBitDifference } from "./support.js";

await init();

const data = spiralData(30, 3, { seed: 11 }); // 90 rows: batches of 30 make 3 per epoch
const ROWS = data.y.length;
const model = () =>
  new Sequential([
    new Dense(2, 12, { seed: 21, weightL2: 1e-3 }),
    new ReLU(),
    new Dropout(0.2, { seed: 22 }),
    new Dense(12, 3, { seed: 23 }),
  ]);

describe("hook order", () => {
  it("2 epochs of 3 batches: onTrainBegin, then per epoch onEpochBegin, onBatchEnd ×3, onEpochEnd; onTrainEnd", async () => {
    const m = model();
    const calls: string[] = [];
    const models = new Set<unknown>();
    const recorder = (name: string): Callback => ({
      onTrainBegin: (params, model) => {
        calls.push(`${name} trainBegin ${JSON.stringify(params)}`);
        models.add(model);
      },
      onEpochBegin: (epoch, model) => {
        calls.push(`${name} epochBegin ${epoch}`);
        models.add(model);
      },
      onBatchEnd: (log, model) => {
        calls.push(`${name} batchEnd ${log.epoch}.${log.batch} size ${log.size}`);
        models.add(model);
      },
      onEpochEnd: (log, model) => {
        calls.push(`${name} epochEnd ${log.epoch}`);
        models.add(model);
      },
      onTrainEnd: (history, model) => {
        calls.push(`${name} trainEnd ${history.epoch}`);
        models.add(model);
      },
    });
    await m.fit(data.x, data.y, {
      epochs: 2,
      batchSize: 30,
      optimizer: new SGD({ learningRate: 0.5 }),
      callbacks: [recorder("a"), recorder("b")],
      onEpoch: (log) => void calls.push(`onEpoch ${log.epoch}`),
    });
    const params = JSON.stringify({ epochs: 2, batchSize: 30, rows: 90, batches: 3, validation: false, logEvery: 1 });
    const both = (call: string) => [`a ${call}`, `b ${call}`];
    const epoch = (e: number) => [
      ...both(`epochBegin ${e}`),
      ...[0, 1, 2].flatMap((b) => both(`batchEnd ${e}.${b} size 30`)),
      `onEpoch ${e}`, // the option runs before the callbacks' onEpochEnd
      ...both(`epochEnd ${e}`),
    ];
    expect(calls).toEqual([...both(`trainBegin ${params}`), ...epoch(0), ...epoch(1), ...both("trainEnd 0,1")]);
    expect([...models]).toEqual([m]);
    m.free();
  });

  it("a class instance's hooks run with `this` bound to it", async () => {
    class Counter implements Callback {
      batches = 0;
      onBatchEnd() {
        this.batches++;
      }
    }
    const counter = new Counter();
    const m = model();
    await m.fit(data.x, data.y, { epochs: 3, batchSize: 40, optimizer: new SGD(), callbacks: [counter] });
    expect(counter.batches).toBe(9); // 40 + 40 + 10 rows per epoch
    m.free();
  });
});

describe("BatchLog", () => {
  it("running means over the epoch's rows so far == a hand loop of computeGradients, batch by batch", async () => {
    const byFit = model();
    const byHand = model();
    const batchSize = 25; // 25, 25, 25, 15
    const logs: BatchLog[] = [];
    const epochLogs: EpochLog[] = [];
    await byFit.fit(data.x, data.y, {
      epochs: 2,
      batchSize,
      shuffle: false,
      optimizer: new SGD({ learningRate: 0.5, decay: 0.1 }),
      callbacks: [{ onBatchEnd: (log) => void logs.push(log), onEpochEnd: (log) => void epochLogs.push(log) }],
    });
    const optimizer = new SGD({ learningRate: 0.5, decay: 0.1 });
    let k = 0;
    for (let epoch = 0; epoch < 2; epoch++) {
      let lossSum = 0,
        correct = 0,
        seen = 0;
      for (let start = 0, batch = 0; start < ROWS; start += batchSize, batch++) {
        const end = Math.min(start + batchSize, ROWS);
        const g = byHand.computeGradients(data.x.subarray(2 * start, 2 * end), data.y.subarray(start, end));
        const lr = optimizer.currentLearningRate;
        optimizer.step(byHand.params());
        lossSum += g.dataLoss * (end - start);
        correct += Math.round(g.acc * (end - start));
        seen += end - start;
        const log = logs[k++];
        expect({ epoch: log.epoch, batch: log.batch, size: log.size, lr: log.lr }).toEqual({
          epoch,
          batch,
          size: end - start,
          lr,
        });
        expect(log.dataLoss).toBeCloseTo(lossSum / seen, 12);
        expect(log.acc).toBe(correct / seen);
      }
      // the epoch's log is the last batch's running figures
      expect(epochLogs[epoch].dataLoss).toBe(logs[k - 1].dataLoss);
      expect(epochLogs[epoch].acc).toBe(logs[k - 1].acc);
    }
    expect(logs.length).toBe(8);
    const w = byHand.getWeights();
    byFit.getWeights().forEach((v, i) => expect(firstBitDifference(v, w[i])).toBe(-1));
    byFit.free();
    byHand.free();
  });
});

describe("async hooks are awaited", () => {
  it("a hook awaiting a timer holds the next batch back: no update happens meanwhile", async () => {
    const m = model();
    let inFlight = false;
    let overlaps = 0;
    let waits = 0;
    const enter = () => {
      if (inFlight) overlaps++;
    };
    const slow: Callback = {
      onEpochBegin: enter,
      onEpochEnd: enter,
      onTrainEnd: enter,
      async onBatchEnd(_log, model) {
        enter();
        inFlight = true;
        const before = model.getWeights();
        const iterations = model.optimizer!.iterations;
        await new Promise((resolve) => setTimeout(resolve, 2));
        // fit waited: the weights and the update count are as this batch left them
        if (model.optimizer!.iterations !== iterations) overlaps++;
        model.getWeights().forEach((w, i) => {
          if (firstBitDifference(w, before[i]) !== -1) overlaps++;
        });
        waits++;
        inFlight = false;
      },
    };
    const last: Callback = { onBatchEnd: enter }; // the next callback of the same hook waits too
    await m.fit(data.x, data.y, {
      epochs: 2,
      batchSize: 30,
      yieldEvery: 0,
      optimizer: new SGD(),
      callbacks: [slow, last],
    });
    expect(waits).toBe(6);
    expect(overlaps).toBe(0);
    m.free();
  });

  it("a promise from onTrainBegin and onEpochEnd is awaited too", async () => {
    const m = model();
    const order: string[] = [];
    const later = (what: string) => new Promise<void>((resolve) => setTimeout(() => resolve(void order.push(what)), 1));
    await m.fit(data.x, data.y, {
      epochs: 2,
      optimizer: new SGD(),
      callbacks: [
        {
          onTrainBegin: () => later("trainBegin done"),
          onEpochBegin: (e) => void order.push(`epochBegin ${e}`),
          onEpochEnd: (log) => later(`epochEnd ${log.epoch} done`),
          onTrainEnd: () => later("trainEnd done"),
        },
      ],
    });
    // onTrainEnd's promise is awaited before fit() resolves
    expect(order).toEqual([
      "trainBegin done",
      "epochBegin 0",
      "epochEnd 0 done",
      "epochBegin 1",
      "epochEnd 1 done",
      "trainEnd done",
    ]);
    m.free();
  });
});

describe("stopTraining", () => {
  it("set in onBatchEnd: training ends after that batch, the partial epoch logged with its rows", async () => {
    const m = model();
    const batchLogs: BatchLog[] = [];
    let ended = false;
    const history = await m.fit(data.x, data.y, {
      epochs: 5,
      batchSize: 20, // 20, 20, 20, 20, 10
      optimizer: new SGD({ learningRate: 0.3 }),
      callbacks: [
        {
          onBatchEnd: (log, model) => {
            batchLogs.push(log);
            if (log.epoch === 1 && log.batch === 1) model.stopTraining = true;
          },
          onTrainEnd: () => {
            ended = true;
          },
        },
      ],
    });
    expect(history.epoch).toEqual([0, 1]);
    expect(batchLogs.length).toBe(5 + 2);
    expect(m.optimizer!.iterations).toBe(7);
    // epoch 1 covers its first 40 rows: its figures are the running ones after batch 1
    const partial = history.logs[1];
    expect(partial.dataLoss).toBe(batchLogs[6].dataLoss);
    expect(partial.acc).toBe(batchLogs[6].acc);
    expect(partial.acc * 40).toBeCloseTo(Math.round(partial.acc * 40), 9);
    expect(ended).toBe(true); // onTrainEnd runs on an early stop
    // the next fit starts afresh
    const next = await m.fit(data.x, data.y, { epochs: 2, batchSize: 20 });
    expect(next.epoch).toEqual([0, 1]);
    expect(m.optimizer!.iterations).toBe(7 + 10);
    m.free();
  });

  it("set in onEpochEnd or onTrainBegin: no further epoch, or none at all", async () => {
    const m = model();
    const h1 = await m.fit(data.x, data.y, {
      epochs: 5,
      optimizer: new SGD(),
      callbacks: [
        {
          onEpochEnd: (log, model) => {
            if (log.epoch === 2) model.stopTraining = true;
          },
        },
      ],
    });
    expect(h1.epoch).toEqual([0, 1, 2]);
    const h2 = await m.fit(data.x, data.y, {
      epochs: 5,
      callbacks: [
        {
          onTrainBegin: (_, model) => {
            model.stopTraining = true;
          },
        },
      ],
    });
    expect(h2.epoch).toEqual([]);
    expect(m.optimizer!.iterations).toBe(3);
    m.free();
  });
});

describe("bad callbacks", () => {
  it.each<[string, unknown, RegExp]>([
    ["not an array", { onEpochEnd() {} }, /^options\.callbacks must be an array of callbacks$/],
    ["null", [null], /^options\.callbacks\[0\] must be a callback object/],
    ["a function", [() => {}], /^options\.callbacks\[0\] must be a callback object/],
    [
      "no hook (a typo)",
      [{ onEpochEnd() {} }, { onEpochEnds() {} }],
      /^options\.callbacks\[1\] has none of the callback methods onTrainBegin, onEpochBegin, onBatchEnd, onEpochEnd, onTrainEnd$/,
    ],
    ["a hook that is not a function", [{ onBatchEnd: 3 }], /^options\.callbacks\[0\]\.onBatchEnd must be a function$/],
    ["onEpoch not a function", "onEpoch", /^options\.onEpoch must be a function, got string x$/],
  ])("%s: a TypeError naming it, before anything is allocated", async (_, callbacks, message) => {
    const m = model();
    const heap = defaultInstance().heap;
    const allocations = heap.allocations;
    const options = callbacks === "onEpoch" ? { onEpoch: "x" } : { callbacks: callbacks as Callback[] };
    const error = await errorOf(() => m.fit(data.x, data.y, { epochs: 1, optimizer: new SGD(), ...options } as never));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
    expect(heap.allocations).toBe(allocations);
    expect(m.optimizer).toBe(null);
    m.free();
  });

  it("a hook that throws rejects fit() with its error; memory is returned and the model trains again", async () => {
    const m = model();
    await m.fit(data.x, data.y, { epochs: 1, batchSize: 30, optimizer: new SGD() }); // optimizer state allocated
    const heap = defaultInstance().heap;
    const allocations = heap.allocations;
    const boom = new Error("boom");
    for (const hook of ["onTrainBegin", "onEpochBegin", "onBatchEnd", "onEpochEnd", "onTrainEnd"]) {
      const error = await errorOf(() =>
        m.fit(data.x, data.y, {
          epochs: 2,
          batchSize: 30,
          callbacks: [
            {
              [hook]: async () => {
                throw boom;
              },
            },
          ],
        }),
      );
      expect(error, hook).toBe(boom);
      expect(heap.allocations, hook).toBe(allocations);
    }
    const history = await m.fit(data.x, data.y, { epochs: 1, batchSize: 30 });
    expect(history.epoch).toEqual([0]);
    m.free();
  });
});
