// validationSplit: the last ⌊rows·(1 − split)⌋… rows held out before shuffling, as Keras's
// train_validation_split does (split_at = floor(rows·(1.0 − split)), an error when either side is
// empty). The row counts below were computed with that formula in Python (CPython floats are the
// same doubles), rounding included: 10 rows at 0.8 keep 1 training row, not 2.
import { describe, expect, it } from "vitest";
import { Adam, Dense, Dropout, init, ReLU, Sequential, spiralData, type TrainingParams } from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { errorOf, firstBitDifference } from "./support.js";

await init();

const data = spiralData(30, 3, { seed: 11 }); // 90 rows
const model = () =>
  new Sequential([
    new Dense(2, 12, { seed: 21 }),
    new ReLU(),
    new Dropout(0.2, { seed: 22 }),
    new Dense(12, 3, { seed: 23 }),
  ]);

/** The first `rows` rows of the data. */
const head = (rows: number) => ({ x: data.x.subarray(0, 2 * rows), y: data.y.subarray(0, rows) });

describe("validationSplit", () => {
  it("equals validationData holding the last rows: the same logs and weights, bit for bit", async () => {
    const [bySplit, byData] = [model(), model()];
    const opts = { epochs: 4, batchSize: 16, seed: 2 };
    const split = await bySplit.fit(data.x, data.y, {
      ...opts,
      validationSplit: 0.2,
      optimizer: new Adam({ learningRate: 0.02 }),
    });
    // ⌊90 · 0.8⌋ = 72 training rows
    const given = await byData.fit(data.x.subarray(0, 144), data.y.subarray(0, 72), {
      ...opts,
      validationData: [data.x.subarray(144), data.y.subarray(72)],
      optimizer: new Adam({ learningRate: 0.02 }),
    });
    expect(split.logs).toEqual(given.logs);
    expect(split.logs.every((log) => log.valLoss !== undefined)).toBe(true);
    const w = byData.getWeights();
    bySplit.getWeights().forEach((v, i) => expect(firstBitDifference(v, w[i])).toBe(-1));
    bySplit.free();
    byData.free();
  });

  it.each([
    [90, 0.2, 72],
    [9, 0.5, 4],
    [7, 0.3, 4],
    [3, 0.5, 1],
    [25, 0.28, 18],
    [25, 0.68, 7],
    [10, 0.8, 1], // 10 · (1 − 0.8) = 1.9999999999999996
  ])("%i rows at %f: %i training rows (Keras's floor), the rest validate", async (rows, split, trainRows) => {
    const m = model();
    const { x, y } = head(rows);
    let params: TrainingParams | null = null;
    let valLoss = Number.NaN;
    const history = await m.fit(x, y, {
      epochs: 1,
      validationSplit: split,
      optimizer: new Adam(),
      callbacks: [
        {
          onTrainBegin: (p) => {
            params = p;
          },
          // the held-out rows evaluated by hand, in inference mode, after the epoch
          onEpochEnd: (_, model) => {
            valLoss = model.evaluate(x.subarray(2 * trainRows), y.subarray(trainRows)).dataLoss;
          },
        },
      ],
    });
    expect(params!.rows).toBe(trainRows);
    expect(params!.validation).toBe(true);
    expect(history.logs[0].valLoss).toBe(valLoss);
    m.free();
  });

  it.each<[string, () => object, RegExp, ErrorConstructor]>([
    ["0", () => ({ validationSplit: 0 }), /options\.validationSplit must be in \(0, 1\), got number 0/, RangeError],
    ["1", () => ({ validationSplit: 1 }), /options\.validationSplit must be in \(0, 1\), got number 1/, RangeError],
    [
      "NaN",
      () => ({ validationSplit: Number.NaN }),
      /options\.validationSplit must be in \(0, 1\), got number NaN/,
      RangeError,
    ],
    ["−0.2", () => ({ validationSplit: -0.2 }), /options\.validationSplit must be in \(0, 1\)/, RangeError],
    ["a string", () => ({ validationSplit: "0.2" }), /options\.validationSplit must be in \(0, 1\)/, RangeError],
    [
      "with validationData",
      () => ({ validationSplit: 0.2, validationData: [data.x, data.y] }),
      /options\.validationSplit and options\.validationData exclude each other/,
      TypeError,
    ],
  ])("refuses %s before anything is allocated", async (_, extra, message, type) => {
    const m = model();
    const heap = defaultInstance().heap;
    const allocations = heap.allocations;
    const error = await errorOf(() => m.fit(data.x, data.y, { epochs: 1, optimizer: new Adam(), ...extra() }));
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    expect(heap.allocations).toBe(allocations);
    expect(m.optimizer).toBe(null);
    m.free();
  });

  it.each([
    [1, 0.5, "no training"], // ⌊0.5⌋ = 0
    [10, 0.9, "no training"], // 10 · (1 − 0.9) = 0.9999999999999998
    [5, 0.8, "no training"],
    [90, 1e-17, "no validation"], // 1 − 1e-17 rounds to 1
  ])("%i rows at %f leave %s rows: refused before anything is allocated", async (rows, split, side) => {
    const m = model();
    const { x, y } = head(rows);
    const heap = defaultInstance().heap;
    const allocations = heap.allocations;
    const error = await errorOf(() => m.fit(x, y, { epochs: 1, validationSplit: split, optimizer: new Adam() }));
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(`options.validationSplit ${split} of ${rows} rows leaves ${side} rows`);
    expect(heap.allocations).toBe(allocations);
    m.free();
  });

  it("a plain array is split too (copied, not viewed)", async () => {
    const [byArray, byTyped] = [model(), model()];
    const a = await byArray.fit(Array.from(data.x), Array.from(data.y), {
      epochs: 2,
      batchSize: 30,
      validationSplit: 0.25,
      optimizer: new Adam(),
    });
    const t = await byTyped.fit(data.x, data.y, {
      epochs: 2,
      batchSize: 30,
      validationSplit: 0.25,
      optimizer: new Adam(),
    });
    expect(a.logs).toEqual(t.logs);
    byArray.free();
    byTyped.free();
  });
});
