// fit() against a hand-written training loop of the public pieces (computeGradients on each batch,
// then optimizer.step): the same weights bit for bit and the same logged figures, for SGD and Adam,
// full batch and mini-batches in order and shuffled, and each regularizer on its own, so a fit() that
// skips or doubles any part of an update, or gathers a wrong row, cannot pass.
import { describe, expect, it } from "vitest";
import {
  Adam,
  Dense,
  type DenseOptions,
  Dropout,
  init,
  type Optimizer,
  ReLU,
  Sequential,
  SGD,
  spiralData,
} from "../../src/index.js";
import { permutation } from "../../src/data/permutation.js";
import { defaultInstance } from "../../src/wasm/instance.js";
import { firstBitDifference } from "./support.js";

await init();

const data = spiralData(30, 3, { seed: 11 }); // 90 rows
const ROWS = data.y.length;
const EPOCHS = 3;

function model(regularizer: DenseOptions): Sequential {
  return new Sequential([
    new Dense(2, 12, { ...regularizer, seed: 21 }),
    new ReLU(),
    new Dropout(0.25, { seed: 22 }),
    new Dense(12, 3, { ...regularizer, seed: 23 }),
  ]);
}

/** Rows [start, end) of the epoch's order, copied out of the data set as one batch. */
function batchOf(order: Uint32Array | null, start: number, end: number) {
  if (!order) return { x: data.x.subarray(start * 2, end * 2), y: data.y.subarray(start, end) };
  const rows = order.subarray(start, end);
  const x = new Float32Array(2 * rows.length);
  rows.forEach((row, r) => x.set(data.x.subarray(2 * row, 2 * row + 2), 2 * r));
  return { x, y: Uint32Array.from(rows, (row) => data.y[row]) };
}

/** The training loop written out: per batch, gradients of that batch, then one optimizer step. */
function handLoop(m: Sequential, optimizer: Optimizer, batchSize: number, shuffle: boolean) {
  const logs = [];
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    let lossSum = 0;
    let correct = 0;
    let penaltySum = 0;
    let steps = 0;
    // the order fit() draws for the model's epoch-th epoch under seed 0 (checked on its own in permutation.test.ts)
    const order = shuffle ? permutation(ROWS, 0, epoch, defaultInstance()) : null;
    for (let start = 0; start < ROWS; start += batchSize) {
      const end = Math.min(start + batchSize, ROWS);
      const batch = batchOf(order, start, end);
      const g = m.computeGradients(batch.x, batch.y);
      optimizer.step(m.params());
      lossSum += g.dataLoss * (end - start);
      correct += Math.round(g.acc * (end - start));
      penaltySum += g.regLoss;
      steps++;
    }
    logs.push({ dataLoss: lossSum / ROWS, acc: correct / ROWS, regLoss: penaltySum / steps });
  }
  return logs;
}

const regularizers: [string, DenseOptions][] = [
  ["weightL1", { weightL1: 3e-3 }],
  ["weightL2", { weightL2: 3e-3 }],
  ["biasL1", { biasL1: 3e-3 }],
  ["biasL2", { biasL2: 3e-3 }],
  ["weightL2, torch convention", { weightL2: 3e-3, convention: "torch" }],
];
const optimizers: [string, () => Optimizer][] = [
  ["SGD", () => new SGD({ learningRate: 0.5, decay: 1e-2 })],
  ["SGD + momentum + weight decay", () => new SGD({ learningRate: 0.3, momentum: 0.9, weightDecay: 1e-3 })],
  ["Adam", () => new Adam({ learningRate: 0.02, decay: 1e-3 })],
];
const batchings: [string, number, boolean][] = [
  ["full batch", ROWS, true],
  ["batch 32 in order", 32, false],
  ["batch 32 shuffled", 32, true],
];
const cases = regularizers.flatMap(([r, reg]) =>
  optimizers.flatMap(([o, make]) =>
    batchings.map(([b, batch, shuffle]) => [`${r}, ${o}, ${b}`, reg, make, batch, shuffle] as const),
  ),
);

describe("fit() equals the hand-written loop", () => {
  it.each(cases)("%s", async (_name, regularizer, makeOptimizer, batchSize, shuffle) => {
    const byFit = model(regularizer);
    const byHand = model(regularizer);
    const { logs: fitLogs } = await byFit.fit(data.x, data.y, {
      epochs: EPOCHS,
      optimizer: makeOptimizer(),
      batchSize,
      shuffle,
    });
    const handLogs = handLoop(byHand, makeOptimizer(), batchSize, shuffle && batchSize < ROWS);
    const fitWeights = byFit.params().map((p) => p.value.view().slice());
    byHand.params().forEach((p, i) => expect(firstBitDifference(p.value.view(), fitWeights[i]), p.name).toBe(-1));
    fitLogs.forEach((log, e) => {
      expect(log.regLoss).toBe(handLogs[e].regLoss);
      expect(log.acc).toBe(handLogs[e].acc);
      // the hand loop rebuilds Σ loss from per-batch means: equal to rounding
      expect(log.dataLoss).toBeCloseTo(handLogs[e].dataLoss, 12);
      expect(log.loss).toBe(log.dataLoss + log.regLoss);
    });
    // the regularizer did something: without it the weights end elsewhere
    const plain = model({});
    await plain.fit(data.x, data.y, { epochs: EPOCHS, optimizer: makeOptimizer(), batchSize, shuffle });
    const differs = plain.params().some((p, i) => firstBitDifference(p.value.view(), fitWeights[i]) !== -1);
    expect(differs).toBe(true);
    for (const m of [byFit, byHand, plain]) m.free();
  });
});
