// fit() is asynchronous: it hands the event loop a macrotask after each batch once `yieldEvery` ms of
// work have passed (every batch at 0), so other work runs meanwhile; counted, not timed. A call that
// would break the running epoch (evaluate, predict, computeGradients, fit, free) made from such a
// macrotask throws, and training finishes with the same bits as an undisturbed run; between epochs
// (onEpochEnd) evaluate and predict work and change nothing.
import { describe, expect, it } from "vitest";
import { Dense, Dropout, init, ReLU, SGD, Sequential, spiralData } from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { errorOf, firstBitDifference } from "./support.js";

await init();

const data = spiralData(30, 3, { seed: 11 }); // 90 rows
const val = spiralData(10, 3, { seed: 12 });
const model = () =>
  new Sequential([
    new Dense(2, 12, { seed: 21 }),
    new ReLU(),
    new Dropout(0.2, { seed: 22 }),
    new Dense(12, 3, { seed: 23 }),
  ]);
const EPOCHS = 3;
const BATCHES = 6; // batches of 15
const options = () => ({ epochs: EPOCHS, batchSize: 15, seed: 1, optimizer: new SGD({ learningRate: 0.5 }) });

/** The weights and logs of an undisturbed run. */
async function undisturbed() {
  const m = model();
  const history = await m.fit(data.x, data.y, { ...options(), yieldEvery: 0, validationData: [val.x, val.y] });
  const weights = m.getWeights();
  m.free();
  return { weights, logs: history.logs };
}

function expectWeights(m: Sequential, want: Float32Array[]) {
  m.getWeights().forEach((w, i) => expect(firstBitDifference(w, want[i]), `params()[${i}]`).toBe(-1));
}

/** Counts the turns of a setImmediate chain until stopped. */
function immediateChain() {
  const chain = { ticks: 0, running: true };
  const tick = () => {
    if (!chain.running) return;
    chain.ticks++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return chain;
}

const BUSY = (method: string) => `${method}() cannot run while fit() is training this model: await fit() first`;

describe("fit() yields to the event loop", () => {
  it("yieldEvery 0: a setImmediate chain started before fit turns at every batch", async () => {
    const m = model();
    const chain = immediateChain();
    let batches = 0;
    await m.fit(data.x, data.y, { ...options(), yieldEvery: 0, callbacks: [{ onBatchEnd: () => void batches++ }] });
    const ticks = chain.ticks;
    chain.running = false;
    expect(batches).toBe(EPOCHS * BATCHES);
    expect(ticks).toBeGreaterThanOrEqual(EPOCHS * BATCHES - 1);
    m.free();
  });

  it("a huge yieldEvery: no macrotask runs before fit resolves", async () => {
    const m = model();
    const chain = immediateChain();
    await m.fit(data.x, data.y, { ...options(), yieldEvery: 1e9 });
    const ticks = chain.ticks;
    chain.running = false;
    expect(ticks).toBe(0);
    m.free();
  });

  it("a timer already due runs at the first yield, within the first batches", async () => {
    const m = model();
    let batches = 0;
    let ranAt = -1;
    setTimeout(() => {
      ranAt = batches;
    }, 0);
    const until = performance.now() + 3;
    while (performance.now() < until); // the timer is now due, whenever the loop next looks
    await m.fit(data.x, data.y, { ...options(), yieldEvery: 0, callbacks: [{ onBatchEnd: () => void batches++ }] });
    expect(ranAt).toBeGreaterThanOrEqual(1);
    expect(ranAt).toBeLessThanOrEqual(2);
    m.free();
  });

  it("yieldEvery must be a finite number >= 0", async () => {
    const m = model();
    for (const bad of [-1, Number.NaN, Infinity, "5"]) {
      const error = await errorOf(() => m.fit(data.x, data.y, { ...options(), yieldEvery: bad as number }));
      expect((error as Error).message, String(bad)).toMatch(/^options\.yieldEvery must be a finite number >= 0/);
    }
    m.free();
  });
});

describe("calls into a training model", () => {
  it("from a macrotask mid-epoch: evaluate, predict, computeGradients, fit and free throw; training ends as undisturbed", async () => {
    const reference = await undisturbed();
    const m = model();
    const heap = defaultInstance().heap;
    const errors: Record<string, unknown> = {};
    let calledAt = "";
    let allocationsChanged = false;
    const history = await m.fit(data.x, data.y, {
      ...options(),
      yieldEvery: 0,
      validationData: [val.x, val.y],
      callbacks: [
        {
          onBatchEnd: (log, model) => {
            if (log.epoch !== 1 || log.batch !== 2) return;
            setImmediate(async () => {
              calledAt = `epoch ${log.epoch}, batch ${log.batch}`;
              const allocations = heap.allocations;
              errors.evaluate = await errorOf(() => model.evaluate(data.x, data.y));
              errors.predict = await errorOf(() => model.predict(data.x));
              errors.computeGradients = await errorOf(() => model.computeGradients(data.x, data.y));
              errors.free = await errorOf(() => model.free());
              errors.fit = await errorOf(() => model.fit(data.x, data.y, { epochs: 1 }));
              allocationsChanged = heap.allocations !== allocations;
            });
          },
        },
      ],
    });
    expect(calledAt).toBe("epoch 1, batch 2");
    for (const method of ["evaluate", "predict", "computeGradients", "free", "fit"]) {
      expect(errors[method], method).toBeInstanceOf(Error);
      expect((errors[method] as Error).message, method).toBe(BUSY(method));
    }
    expect(allocationsChanged).toBe(false);
    expectWeights(m, reference.weights);
    expect(history.logs).toEqual(reference.logs);
    // once fit has resolved, all of them work again
    expect(m.evaluate(data.x, data.y).acc).toBeGreaterThan(0);
    m.free();
  });

  it("a second fit() while the first runs rejects at once; the first is undisturbed", async () => {
    const reference = await undisturbed();
    const m = model();
    const first = m.fit(data.x, data.y, { ...options(), yieldEvery: 0, validationData: [val.x, val.y] });
    const second = await errorOf(() => m.fit(data.x, data.y, { epochs: 1 }));
    expect((second as Error).message).toBe(BUSY("fit"));
    expect(() => m.free()).toThrow(BUSY("free"));
    const history = await first;
    expectWeights(m, reference.weights);
    expect(history.logs).toEqual(reference.logs);
    m.free();
  });

  it("from onBatchEnd: evaluate throws (the epoch's running sums would be lost)", async () => {
    const m = model();
    let error: unknown = null;
    await m.fit(data.x, data.y, {
      ...options(),
      callbacks: [
        {
          onBatchEnd: (log, model) => {
            if (log.batch === 0 && log.epoch === 0) error = errorOfSync(() => model.evaluate(data.x, data.y));
          },
        },
      ],
    });
    expect((error as Error).message).toBe(BUSY("evaluate"));
    m.free();
  });

  it("from onEpochEnd: evaluate and predict work, give the epoch's model, and change nothing", async () => {
    const reference = await undisturbed();
    const m = model();
    const evaluations: number[] = [];
    const predictions: Float32Array[] = [];
    const busy: unknown[] = [];
    const history = await m.fit(data.x, data.y, {
      ...options(),
      yieldEvery: 0,
      validationData: [val.x, val.y],
      callbacks: [
        {
          onEpochEnd: async (log, model) => {
            const v = model.evaluate(val.x, val.y);
            evaluations.push(v.dataLoss);
            expect(v.dataLoss).toBe(log.valLoss); // the log's validation figures are this model's
            expect(v.acc).toBe(log.valAcc);
            predictions.push(model.predict(val.x));
            busy.push(
              errorOfSync(() => model.free()),
              await errorOf(() => model.fit(data.x, data.y, { epochs: 1 })),
            );
          },
        },
      ],
    });
    expect(evaluations.length).toBe(EPOCHS);
    expectWeights(m, reference.weights);
    expect(history.logs).toEqual(reference.logs);
    expect(firstBitDifference(m.predict(val.x), predictions[EPOCHS - 1])).toBe(-1);
    // free and fit still refuse between epochs: fit() has not finished
    expect(busy.map((e) => (e as Error).message)).toEqual(
      Array.from({ length: EPOCHS }, () => [BUSY("free"), BUSY("fit")]).flat(),
    );
    m.free();
  });
});

function errorOfSync(run: () => unknown): unknown {
  try {
    run();
    return null;
  } catch (error) {
    return error;
  }
}
