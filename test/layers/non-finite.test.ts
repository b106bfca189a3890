// Training that diverges stops loudly: before every update the batch's loss, its penalty and every
// gradient are checked, and the first NaN or ±∞ rejects fit() with a RangeError naming the epoch and
// batch; that update is not applied (the parameters are, bit for bit, those a callback saw after the
// last good update, and the optimizer's count did not advance). Data that is not finite in f32 is
// refused before anything is allocated or any parameter changes.
import { describe, expect, it } from "vitest";
import { Adam, Dense, type DenseOptions, init, ReLU, Sequential, SGD, spiralData } from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { errorOf, firstBitDifference } from "./support.js";

await init();

const data = spiralData(30, 3, { seed: 11 }); // 90 rows, 2 features
const ROWS = data.y.length;

/** A Dense layer whose gradient `param` gets `value` at element 0 when `poison(call)` says so. */
class PoisonedDense extends Dense {
  calls = 0;
  constructor(
    nIn: number,
    nOut: number,
    options: DenseOptions,
    readonly param: "weights" | "biases",
    readonly value: number,
    readonly poison: (call: number) => boolean,
  ) {
    super(nIn, nOut, options);
  }

  finishGradients(): number {
    const penalty = super.finishGradients();
    if (this.poison(this.calls++))
      this.params()
        .find((p) => p.name === this.param)!
        .grad.view()[0] = this.value;
    return penalty;
  }
}

const model = (last: Dense = new Dense(16, 3, { seed: 2 })) =>
  new Sequential([new Dense(2, 16, { seed: 1 }), new ReLU(), last]);

/** Copies of every parameter and the optimizer's count after each update, as onBatchEnd sees them. */
function recorder() {
  const seen: { epoch: number; batch: number; weights: Float32Array[]; iterations: number }[] = [];
  return {
    seen,
    callback: {
      onBatchEnd: (log: { epoch: number; batch: number }, m: Sequential) => {
        seen.push({ epoch: log.epoch, batch: log.batch, weights: m.getWeights(), iterations: m.optimizer!.iterations });
      },
    },
  };
}

function expectWeights(m: Sequential, want: Float32Array[]) {
  m.getWeights().forEach((w, i) => expect(firstBitDifference(w, want[i]), `params()[${i}]`).toBe(-1));
}

/** The epoch and batch the next update would have been, after the last one recorded. */
function nextBatch(last: { epoch: number; batch: number } | undefined, batches: number) {
  if (!last) return { epoch: 0, batch: 0 };
  return last.batch + 1 < batches ? { epoch: last.epoch, batch: last.batch + 1 } : { epoch: last.epoch + 1, batch: 0 };
}

describe("a diverging learning rate", () => {
  it.each([
    ["SGD lr 1e30, shuffled batches of 16", () => new SGD({ learningRate: 1e30 }), 16, true],
    ["SGD lr 1e30 + momentum, batches of 32 in order", () => new SGD({ learningRate: 1e30, momentum: 0.9 }), 32, false],
    ["Adam lr 1e30, full batch", () => new Adam({ learningRate: 1e30 }), ROWS, true],
  ] as const)(
    "%s: rejects naming epoch and batch, the failed update not applied",
    async (_, optimizer, batchSize, shuffle) => {
      const m = model();
      const { seen, callback } = recorder();
      const batches = Math.ceil(ROWS / batchSize);
      const error = await errorOf(() =>
        m.fit(data.x, data.y, { epochs: 20, batchSize, shuffle, optimizer: optimizer(), callbacks: [callback] }),
      );
      expect(error).toBeInstanceOf(RangeError);
      expect(seen.length).toBeGreaterThan(0); // at least one good update happened first
      const last = seen[seen.length - 1];
      const { epoch, batch } = nextBatch(last, batches);
      const start = batch * batchSize;
      const end = Math.min(start + batchSize, ROWS) - 1;
      const where =
        shuffle && batches > 1 ? `rows ${start}–${end} of the epoch's shuffled order` : `rows ${start}–${end}`;
      expect((error as Error).message).toContain(`training stopped at epoch ${epoch}, batch ${batch} (${where}): `);
      expect((error as Error).message).toMatch(/is not finite \(NaN or ±∞\)\. That update was not applied/);
      expectWeights(m, last.weights);
      expect(m.optimizer!.iterations).toBe(last.iterations);
      expect(m.optimizer!.iterations).toBe(seen.length);
      m.free();
    },
  );
});

describe("a gradient that is not finite while the loss is", () => {
  it.each([
    ["NaN", "biases", Number.NaN],
    ["+∞", "weights", Infinity],
    ["−∞", "biases", -Infinity],
  ] as const)("%s in the last layer's %s gradient at the 8th update: named, not applied", async (_, param, value) => {
    // batches of 32 over 90 rows: 3 per epoch, so the 8th update (call 7) is epoch 2, batch 1
    const poisoned = new PoisonedDense(16, 3, { seed: 2 }, param, value, (call) => call === 7);
    const m = model(poisoned);
    const { seen, callback } = recorder();
    const error = await errorOf(() =>
      m.fit(data.x, data.y, {
        epochs: 5,
        batchSize: 32,
        optimizer: new Adam({ learningRate: 0.01 }),
        callbacks: [callback],
      }),
    );
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain(
      `training stopped at epoch 2, batch 1 (rows 32–63 of the epoch's shuffled order): the gradient of layers[2] (dense) ${param} is not finite`,
    );
    expect(seen.length).toBe(7);
    expectWeights(m, seen[6].weights);
    expect(m.optimizer!.iterations).toBe(7);
    // the model is usable afterwards: fit is not left "training", and it trains on from those weights
    poisoned.calls = -1e9;
    const history = await m.fit(data.x, data.y, { epochs: 1, batchSize: 32 });
    expect(history.epoch).toEqual([0]);
    expect(m.optimizer!.iterations).toBe(10);
    m.free();
  });

  it("several gradients not finite: the first parameter of the first layer is named", async () => {
    const first = new PoisonedDense(2, 16, { seed: 1 }, "biases", Number.NaN, (call) => call === 0);
    const last = new PoisonedDense(16, 3, { seed: 2 }, "weights", Infinity, (call) => call === 0);
    const m = new Sequential([first, new ReLU(), last]);
    const error = await errorOf(() => m.fit(data.x, data.y, { epochs: 1, optimizer: new SGD() }));
    expect((error as Error).message).toContain(
      "training stopped at epoch 0, batch 0 (rows 0–89): the gradient of layers[0] (dense) biases is not finite",
    );
    m.free();
  });

  it("the regularization loss is checked before the gradients", async () => {
    // biasL2 = 1 on a bias of 2e19: the penalty 4e38 overflows f32 while that bias's gradient 4e19 does not
    const m = model(new Dense(16, 3, { seed: 2, biasL2: 1 }));
    const w = m.getWeights();
    w[3][1] = 2e19;
    m.setWeights(w);
    const before = m.getWeights();
    const error = await errorOf(() => m.fit(data.x, data.y, { epochs: 1, optimizer: new SGD({ learningRate: 0.1 }) }));
    expect((error as Error).message).toContain(
      "training stopped at epoch 0, batch 0 (rows 0–89): the regularization loss is not finite",
    );
    expectWeights(m, before);
    expect(m.optimizer!.iterations).toBe(0);
    m.free();
  });
});

it("a data loss that is not finite is named first (the gradients it makes are not finite either)", async () => {
  // weights of 3e38: the hidden sums overflow to ±∞, the logits to NaN, and so do the loss and every gradient
  const m = model();
  const w = m.getWeights();
  w[0].fill(3e38);
  m.setWeights(w);
  const before = m.getWeights();
  const error = await errorOf(() => m.fit(data.x, data.y, { epochs: 1, optimizer: new SGD() }));
  expect(error).toBeInstanceOf(RangeError);
  expect((error as Error).message).toContain(
    "training stopped at epoch 0, batch 0 (rows 0–89): the data loss is not finite (NaN or ±∞). That update was not applied",
  );
  expectWeights(m, before);
  m.free();
});

describe("data that is not finite is refused before anything happens", () => {
  const bad: [string, number][] = [
    ["NaN", Number.NaN],
    ["+∞", Infinity],
    ["−∞", -Infinity],
    ["1e39 (∞ in f32)", 1e39],
    ["−3.5e38 (−∞ in f32)", -3.5e38],
  ];
  it.each(bad)("%s in x, in the validation x, in the rows validationSplit holds out", async (_, value) => {
    const m = model();
    await m.fit(data.x, data.y, { epochs: 1, optimizer: new SGD({ learningRate: 0.5 }) });
    const optimizer = m.optimizer;
    const weights = m.getWeights();
    const heap = defaultInstance().heap;
    const allocations = heap.allocations;
    const epochsTrained = m.epochsTrained;
    const x = Array.from(data.x);
    x[37] = value;
    const f64 = Float64Array.from(data.x);
    f64[ROWS * 2 - 1] = value;
    const runs: [() => Promise<unknown>, RegExp][] = [
      [() => m.fit(x, data.y, { epochs: 1, optimizer: new SGD() }), /^x\[37\] must be finite/],
      [
        () => m.fit(data.x, data.y, { epochs: 1, validationData: [f64, data.y], optimizer: new SGD() }),
        /^options\.validationData\[0\]\[179\] must be finite/,
      ],
      [() => m.fit(f64, data.y, { epochs: 1, validationSplit: 0.2, optimizer: new SGD() }), /^x\[179\] must be finite/],
    ];
    for (const [run, message] of runs) {
      const error = await errorOf(run);
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(message);
      expect(heap.allocations).toBe(allocations);
      expect(m.optimizer).toBe(optimizer); // not replaced (nor freed)
      expect(m.epochsTrained).toBe(epochsTrained);
      expectWeights(m, weights);
    }
    m.free();
  });

  it("the largest finite f32 values are training data like any other", async () => {
    const m = model();
    const x = Float64Array.from(data.x);
    x[0] = 3.4028234663852886e38;
    x[1] = -3.4028234663852886e38;
    // accepted (±f32 max are the bounds of the rule), and this model's small weights keep them finite
    const history = await m.fit(x, data.y, { epochs: 1, optimizer: new SGD({ learningRate: 1e-3 }) });
    expect(Number.isFinite(history.logs[0].loss)).toBe(true);
    m.free();
  });
});
