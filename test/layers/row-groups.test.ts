// Row groups (src/wasm/row-groups.ts): a batch of more than GROUP_ROWS rows sums its gradients and
// its loss group by group, then adds the groups in order. Checked against the groups computed alone:
// with 4 groups of 512 rows, the batch's gradient scale 1/2048 is the groups' 1/512 times 1/4, a
// power of two, so the batch's gradient must equal, bit for bit, the f32 sum in group order of each
// group's own gradient divided by 4, and its loss sum the f64 sum of the groups' sums
// On 1 to 4 threads (the groups then run as lanes on several threads) the bits are the same.
import { afterAll, describe, expect, it } from "vitest";
import {
  Dense,
  SGD,
  type Instance,
  init,
  instantiate,
  ReLU,
  Sequential,
  SoftmaxCrossEntropy,
  spiralData,
} from "../../src/index.js";
import { GROUP_ROWS, groupCount, laneSlots, SUM_SLOTS, slotCount, slotOf } from "../../src/wasm/row-groups.js";
import { firstBitDifference } from "./support.js";
import { threadsPossible } from "../support/threads-possible.js";

await init();
const GROUPS = 4;
const ROWS = GROUPS * GROUP_ROWS;
const data = spiralData(ROWS / 4, 4, { seed: 11 }); // 2048 rows, 4 classes

function model(instance: Instance) {
  return new Sequential(
    [
      new Dense(2, 96, { seed: 1, instance }),
      new ReLU(),
      new Dense(96, 4, { seed: 2, instance }), // narrow: sums dWᵀ, transposed at the end
    ],
    { loss: new SoftmaxCrossEntropy(), chunkRows: 200 }, // chunks that do not divide a group
  );
}

const instances: Instance[] = [];
afterAll(() => {
  for (const inst of instances) inst.stopThreads();
});

describe("row groups", () => {
  it("cut batches into groups of GROUP_ROWS, groups into SUM_SLOTS slots, slots into consecutive runs per lane", () => {
    expect(groupCount(1)).toBe(1);
    expect(groupCount(GROUP_ROWS)).toBe(1);
    expect(groupCount(GROUP_ROWS + 1)).toBe(2);
    expect(groupCount(3000)).toBe(Math.ceil(3000 / GROUP_ROWS));
    expect([0, 1, 7, 8, 9, 17].map(slotOf)).toEqual([0, 1, 7, 0, 1, 1]);
    expect([1, 6, 8, 9, 117].map(slotCount)).toEqual([1, 6, 8, 8, 8]);
    for (const slots of [1, 2, 5, 6, 7, SUM_SLOTS]) {
      for (const lanes of [1, 2, 3, 4]) {
        if (lanes > slots) continue;
        let next = 0;
        for (let lane = 0; lane < lanes; lane++) {
          const [first, end] = laneSlots(lane, lanes, slots);
          expect(first).toBe(next);
          expect(end - first).toBeGreaterThanOrEqual(Math.floor(slots / lanes));
          expect(end - first).toBeLessThanOrEqual(Math.ceil(slots / lanes));
          next = end;
        }
        expect(next).toBe(slots);
      }
    }
  });

  it("give a batch's gradient and loss as the groups' own, added in group order", async () => {
    const one = await instantiate({ threads: 1 });
    instances.push(one);
    // each group alone: one group of 512 rows, summed row by row
    const perGroup = [];
    for (let g = 0; g < GROUPS; g++) {
      const m = model(one);
      const rows = [g * GROUP_ROWS, (g + 1) * GROUP_ROWS];
      const ev = m.computeGradients(data.x.subarray(2 * rows[0], 2 * rows[1]), data.y.subarray(rows[0], rows[1]));
      perGroup.push({ grads: m.params().map((p) => p.grad.view().slice()), lossSum: ev.dataLoss * GROUP_ROWS });
      m.free();
    }
    const expected = perGroup[0].grads.map((_, p) => {
      const sum = new Float32Array(perGroup[0].grads[p].length);
      for (let i = 0; i < sum.length; i++) {
        let s = Math.fround(perGroup[0].grads[p][i] / GROUPS);
        for (let g = 1; g < GROUPS; g++) s = Math.fround(s + Math.fround(perGroup[g].grads[p][i] / GROUPS));
        sum[i] = s;
      }
      return sum;
    });
    let lossSum = perGroup[0].lossSum;
    for (let g = 1; g < GROUPS; g++) lossSum += perGroup[g].lossSum;

    for (const threads of [1, 2, 3, 4]) {
      const inst = threads === 1 ? one : await instantiate({ threads: threadsPossible ? threads : 1 });
      if (threads > 1) instances.push(inst);
      const m = model(inst);
      const ev = m.computeGradients(data.x, data.y);
      expect({ threads, lossSum: ev.dataLoss * ROWS }).toEqual({ threads, lossSum });
      m.params().forEach((p, i) => {
        expect({ threads, param: i, difference: firstBitDifference(p.grad.view(), expected[i]) }).toEqual({
          threads,
          param: i,
          difference: -1,
        });
      });
      m.free();
    }
  });
});

// More groups than slots (20 groups: slots 0–3 hold three, the others two), on a linear softmax model
// whose gradient has a closed form: dW = xᵀ(p − onehot)/rows, db = Σ(p − onehot)/rows, computed in
// float64 from the model's own f32 probabilities. Every row must be summed once, whichever slot and
// thread took it; the bits are the same on 1–4 threads.
describe("sum slots", () => {
  it("sum every row once when groups outnumber the slots, with the same bits on 1–4 threads", async () => {
    const rows = 20 * GROUP_ROWS - 100;
    const big = spiralData(rows / 4, 4, { seed: 12 });
    const results = [];
    for (const threads of [1, 2, 3, 4]) {
      const inst = await instantiate({ threads: threadsPossible ? threads : 1 });
      instances.push(inst);
      const m = new Sequential([new Dense(2, 4, { seed: 5, instance: inst })], { loss: new SoftmaxCrossEntropy() });
      m.computeGradients(big.x, big.y);
      const grads = m.params().map((p) => p.grad.view().slice());
      const probs = m.predict(big.x); // no dropout: the forward of the gradient pass
      m.free();
      results.push(grads);
      if (threads > 1) {
        grads.forEach((g, i) =>
          expect({ threads, i, d: firstBitDifference(g, results[0][i]) }).toEqual({ threads, i, d: -1 }),
        );
        continue;
      }
      const dW = new Float64Array(8);
      const db = new Float64Array(4);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < 4; c++) {
          const d = (probs[4 * r + c] - (big.y[r] === c ? 1 : 0)) / rows;
          db[c] += d;
          for (let k = 0; k < 2; k++) dW[4 * k + c] += big.x[2 * r + k] * d;
        }
      const close = (got: Float32Array, want: Float64Array) =>
        Array.from(got).every((v, i) => Math.abs(v - want[i]) <= 1e-5 * Math.max(...want.map(Math.abs)) + 1e-7);
      expect(close(grads[0], dW)).toBe(true);
      expect(close(grads[1], db)).toBe(true);
    }
  });
});

// What a batch leaves behind must not reach the next: a batch of fewer groups (or slots) after one of
// more gives the gradients of a fresh model, and an epoch of two 3-group batches reports the loss of
// its rows counted once.
describe("row groups across batches", () => {
  it("give a batch the gradients of a fresh model whatever batch came before", async () => {
    const inst = await instantiate({ threads: threadsPossible ? 2 : 1 });
    instances.push(inst);
    const big = spiralData(2560, 4, { seed: 13 }); // 10240 rows: 20 groups
    const rowsOfBig = (n: number) => [big.x.subarray(0, 2 * n), big.y.subarray(0, n)] as const;
    for (const [before, after] of [
      [ROWS, 600],
      [10240, ROWS],
      [1500, 3000],
    ]) {
      const used = model(inst);
      used.computeGradients(...rowsOfBig(before));
      used.computeGradients(...rowsOfBig(after));
      const fresh = model(inst);
      fresh.computeGradients(...rowsOfBig(after));
      used.params().forEach((p, i) => {
        const d = firstBitDifference(p.grad.view(), fresh.params()[i].grad.view());
        expect({ before, after, param: i, difference: d }).toEqual({ before, after, param: i, difference: -1 });
      });
      used.free();
      fresh.free();
    }
  });

  it("count every row of an epoch's loss once", async () => {
    const inst = await instantiate({ threads: threadsPossible ? 2 : 1 });
    instances.push(inst);
    const m = model(inst);
    const rows = 2 * 1100; // two batches of 3 groups each
    const x = data.x.subarray(0, 2 * rows);
    const y = data.y.subarray(0, rows);
    // a step too small to move any weight: the epoch's loss is the loss of these weights
    const history = await m.fit(x, y, {
      epochs: 1,
      batchSize: 1100,
      shuffle: false,
      optimizer: new SGD({ learningRate: 1e-30 }),
    });
    const evaluation = m.evaluate(x, y);
    expect(Math.abs(history.history.dataLoss[0] - evaluation.dataLoss)).toBeLessThan(1e-12 * evaluation.dataLoss);
    m.free();
  });
});
