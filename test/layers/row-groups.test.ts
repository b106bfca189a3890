// Row groups (src/wasm/row-groups.ts): a batch of more than GROUP_ROWS rows sums its gradients and
// its loss group by group, then adds the groups in order. Checked against the groups computed alone:
// with 4 groups of 512 rows, the batch's gradient scale 1/2048 is the groups' 1/512 times 1/4, a
// power of two, so the batch's gradient must equal, bit for bit, the f32 sum in group order of each
// group's own gradient divided by 4, and its loss sum the f64 sum of the groups' sums
// On 1 to 4 threads (the groups then run as lanes on several threads) the bits are the same.
import { afterAll, describe, expect, it } from "vitest";
import {
  Dense,
  type Instance,
  init,
  instantiate,
  ReLU,
  Sequential,
  SoftmaxCrossEntropy,
  spiralData,
} from "../../src/index.js";
import { GROUP_ROWS, groupCount, laneGroups } from "../../src/wasm/row-groups.js";
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
  it("cut batches into groups of GROUP_ROWS and lanes into consecutive runs of groups", () => {
    expect(groupCount(1)).toBe(1);
    expect(groupCount(GROUP_ROWS)).toBe(1);
    expect(groupCount(GROUP_ROWS + 1)).toBe(2);
    expect(groupCount(3000)).toBe(Math.ceil(3000 / GROUP_ROWS));
    for (const groups of [1, 2, 5, 6, 7]) {
      for (const lanes of [1, 2, 3, 4]) {
        if (lanes > groups) continue;
        let next = 0;
        for (let lane = 0; lane < lanes; lane++) {
          const [first, end] = laneGroups(lane, lanes, groups);
          expect(first).toBe(next);
          expect(end - first).toBeGreaterThanOrEqual(Math.floor(groups / lanes));
          expect(end - first).toBeLessThanOrEqual(Math.ceil(groups / lanes));
          next = end;
        }
        expect(next).toBe(groups);
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
