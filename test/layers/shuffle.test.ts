// Shuffled mini-batches: the order is a pure function of (seed, the model's epoch count), so runs are
// bit-identical, another seed trains elsewhere, training split across fit() calls or resumed from
// JSON continues the sequence, shuffle: false is the plain in-order loop, and one full batch is never
// shuffled. And why it matters: class-sorted data in batches of 32 trains only when shuffled.
import { describe, expect, it } from "vitest";
import { Adam, Dense, Dropout, init, ReLU, Sequential, SGD, spiralData } from "../../src/index.js";
import { firstBitDifference } from "./support.js";

await init();

const data = spiralData(30, 3, { seed: 11 }); // 90 rows, sorted by class
const ROWS = data.y.length;

const model = () =>
  new Sequential([
    new Dense(2, 12, { seed: 21, weightL2: 1e-3 }),
    new ReLU(),
    new Dropout(0.25, { seed: 22 }),
    new Dense(12, 3, { seed: 23 }),
  ]);

const sameBits = (a: Sequential, b: Sequential) =>
  a.getWeights().every((w, i) => firstBitDifference(w, b.getWeights()[i]) === -1);

function expectSameBits(a: Sequential, b: Sequential) {
  const wb = b.getWeights();
  a.getWeights().forEach((w, i) => expect(firstBitDifference(w, wb[i]), `params()[${i}]`).toBe(-1));
}

describe("shuffled mini-batches", () => {
  it("the same seed gives the same bits (weights and logs); another seed other weights", async () => {
    const [a, b, c] = [model(), model(), model()];
    const train = (m: Sequential, seed: number) =>
      m.fit(data.x, data.y, { epochs: 4, batchSize: 16, seed, optimizer: new Adam({ learningRate: 0.02 }) });
    const [ha, hb] = [await train(a, 7), await train(b, 7)];
    await train(c, 8);
    expectSameBits(a, b);
    expect(hb.logs).toEqual(ha.logs);
    expect(sameBits(a, c)).toBe(false);
    for (const m of [a, b, c]) m.free();
  });

  it("shuffle: false is the in-order loop: one full-batch fit per consecutive slice", async () => {
    const shuffled = model();
    const inOrder = model();
    const bySlices = model();
    const opts = { epochs: 2, batchSize: 32, optimizer: new SGD({ learningRate: 0.5, momentum: 0.5 }) };
    await inOrder.fit(data.x, data.y, { ...opts, shuffle: false });
    await shuffled.fit(data.x, data.y, opts);
    // the reference: each batch as a data set of its own, trained for one (full-batch) epoch
    const optimizer = new SGD({ learningRate: 0.5, momentum: 0.5 });
    for (let epoch = 0; epoch < 2; epoch++)
      for (let start = 0; start < ROWS; start += 32) {
        const end = Math.min(start + 32, ROWS);
        await bySlices.fit(data.x.subarray(2 * start, 2 * end), data.y.subarray(start, end), { epochs: 1, optimizer });
      }
    expectSameBits(inOrder, bySlices);
    expect(sameBits(inOrder, shuffled)).toBe(false);
    for (const m of [shuffled, inOrder, bySlices]) m.free();
  });

  it.each([ROWS, 1000])(
    "one full batch (batchSize %i) is visited in order: shuffle changes nothing",
    async (batchSize) => {
      const [a, b] = [model(), model()];
      await a.fit(data.x, data.y, { epochs: 3, batchSize, shuffle: true, seed: 5, optimizer: new Adam() });
      await b.fit(data.x, data.y, { epochs: 3, batchSize, shuffle: false, optimizer: new Adam() });
      expectSameBits(a, b);
      // and the epochs still count: a later shuffled fit draws the orders of epochs 3, 4, …
      expect(a.epochsTrained).toBe(3);
      a.free();
      b.free();
    },
  );

  it("a model resumed from JSON continues the sequence: k + m epochs == k + m straight, bit for bit", async () => {
    const opts = { batchSize: 16, seed: 3 };
    const straight = model();
    await straight.fit(data.x, data.y, { ...opts, epochs: 5, optimizer: new Adam({ learningRate: 0.02 }) });

    const first = model();
    await first.fit(data.x, data.y, { ...opts, epochs: 2, optimizer: new Adam({ learningRate: 0.02 }) });
    const json = JSON.parse(JSON.stringify(first.toJSON()));
    expect(json.epochsTrained).toBe(2);
    const resumed = Sequential.fromJSON(json);
    expect(resumed.epochsTrained).toBe(2);
    await resumed.fit(data.x, data.y, { ...opts, epochs: 3 });
    expectSameBits(resumed, straight);
    expect(resumed.epochsTrained).toBe(5);

    // the same model over two fit() calls
    await first.fit(data.x, data.y, { ...opts, epochs: 3 });
    expectSameBits(first, straight);

    // without the epoch count, the resumed model would replay epoch 0's order: other weights
    const forgetful = Sequential.fromJSON({ ...json, epochsTrained: undefined });
    await forgetful.fit(data.x, data.y, { ...opts, epochs: 3 });
    expect(sameBits(forgetful, straight)).toBe(false);
    for (const m of [straight, first, resumed, forgetful]) m.free();
  });

  it("gathered batches are chunked like placed ones: any chunkRows gives the same bits", async () => {
    const chunked = (chunkRows?: number) =>
      new Sequential(
        [
          new Dense(2, 12, { seed: 21, weightL2: 1e-3 }),
          new ReLU(),
          new Dropout(0.25, { seed: 22 }),
          new Dense(12, 3, { seed: 23 }),
        ],
        { chunkRows },
      );
    const [a, b] = [chunked(), chunked(7)];
    const opts = { epochs: 3, batchSize: 32, seed: 9 };
    const ha = await a.fit(data.x, data.y, { ...opts, optimizer: new Adam({ learningRate: 0.02 }) });
    const hb = await b.fit(data.x, data.y, { ...opts, optimizer: new Adam({ learningRate: 0.02 }) });
    expectSameBits(a, b);
    expect(hb.logs).toEqual(ha.logs);
    a.free();
    b.free();
  });

  it("json.epochsTrained must be a count", () => {
    const json = model().toJSON();
    for (const bad of [-1, 1.5, Number.NaN, "2", 2 ** 53])
      expect(() => Sequential.fromJSON({ ...json, epochsTrained: bad as number }), String(bad)).toThrow(
        /json\.epochsTrained/,
      );
  });
});

describe("why shuffling matters: spiral data sorted by class, 300 epochs", () => {
  // 300 rows, 100 per class in order. In batches of 32 without shuffling, every epoch ends with
  // three batches of class 2 only (rows 224–299), which pull the model toward class 2 each time.
  // Shuffled, the same batches generalize as well as full batch. Seeds are fixed, so the figures are
  // exact (validation accuracy, seeds 10/30/50/70: full 0.747 0.700 0.730 0.703, shuffled 0.723
  // 0.710 0.730 0.723, in order 0.613 0.657 0.647 0.650); the margins are wide.
  const spiral = spiralData(100, 3, { seed: 0 });
  const validation = spiralData(100, 3, { seed: 1 });
  const SEEDS = [10, 30, 50, 70];
  async function validationAcc(batchSize: number | undefined, shuffle: boolean, seed: number) {
    const m = new Sequential([new Dense(2, 64, { seed }), new ReLU(), new Dense(64, 3, { seed: seed + 1 })]);
    await m.fit(spiral.x, spiral.y, { epochs: 300, batchSize, shuffle, optimizer: new Adam({ learningRate: 0.02 }) });
    const { acc } = m.evaluate(validation.x, validation.y);
    m.free();
    return acc;
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

  it("shuffled batches of 32 generalize as well as full batch; in order they do not", async () => {
    const full: number[] = [];
    const shuffled: number[] = [];
    const inOrder: number[] = [];
    for (const seed of SEEDS) {
      full.push(await validationAcc(undefined, true, seed));
      shuffled.push(await validationAcc(32, true, seed));
      inOrder.push(await validationAcc(32, false, seed));
    }
    expect(mean(full)).toBeGreaterThan(0.65);
    expect(mean(shuffled)).toBeGreaterThanOrEqual(mean(full) - 0.01);
    shuffled.forEach((acc, i) => expect(acc, `seed ${SEEDS[i]}`).toBeGreaterThan(full[i] - 0.05));
    expect(mean(inOrder)).toBeLessThan(mean(full) - 0.05);
  });
});
