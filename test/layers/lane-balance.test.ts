// How a batch's sum slots are split between lanes (src/wasm/lane-balance.ts): the calling thread's
// share follows the lanes' times per slot, and whichever split runs, the gradients have the bits of
// one thread (each slot's sums are added in slot order).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Instance } from "../../src/index.js";
import * as balance from "../../src/wasm/lane-balance.js";
import { GROUP_ROWS } from "../../src/wasm/row-groups.js";
import { threadsPossible } from "../support/threads-possible.js";
import { firstBitDifference } from "./support.js";

/** The calling thread's share that ownSlots() gives, unless a test forces one. */
let forcedOwn: number | null = null;
const asked: number[] = [];
vi.mock("../../src/wasm/lane-balance.js", async (importActual) => {
  const actual = await importActual<typeof balance>();
  return {
    ...actual,
    ownSlots: (lanes: number, slots: number, times: balance.SlotTimes | null) => {
      const own = forcedOwn ?? actual.ownSlots(lanes, slots, times);
      asked.push(own);
      return own;
    },
  };
});

describe("splitSlots", () => {
  it.each([2, 3, 4])(
    "%i lanes: consecutive, non-empty runs covering every slot, the last lane taking `own`",
    (lanes) => {
      for (let slots = lanes; slots <= 8; slots++) {
        for (let own = 1; own <= slots - (lanes - 1); own++) {
          let next = 0;
          for (let lane = 0; lane < lanes; lane++) {
            const [first, end] = balance.splitSlots(lane, lanes, slots, own);
            expect([lanes, slots, own, lane, first]).toEqual([lanes, slots, own, lane, next]);
            expect(end).toBeGreaterThan(first);
            next = end;
          }
          expect(next).toBe(slots);
          expect(balance.splitSlots(lanes - 1, lanes, slots, own)).toEqual([slots - own, slots]);
        }
      }
    },
  );
});

describe("ownSlots", () => {
  it("is the even share until times are known", () => {
    expect(balance.ownSlots(2, 6, null)).toBe(3);
    expect(balance.ownSlots(2, 7, null)).toBe(4);
    expect(balance.ownSlots(3, 7, null)).toBe(3);
    expect(balance.ownSlots(4, 8, null)).toBe(2);
  });

  it.each([
    // [lanes, slots, ms per slot: own, others, the share that ends the slowest lane soonest]
    [2, 6, 1, 1, 3], // alike: the even share
    [2, 6, 1, 1.2, 3], // 4 own slots would end at 4 > 3.6
    [2, 6, 1, 1.5, 4], // max(4, 3) < max(3, 4.5)
    [2, 6, 1, 3, 5], // max(5, 3) < max(4, 6)
    [2, 6, 2, 1, 2], // the calling thread slower: max(4, 4)
    [2, 6, 10, 1, 1], // at least one slot on each lane
    [2, 6, 1, 10, 5],
    [3, 7, 1, 2, 3], // the others take ⌈(7 − own)/2⌉ each: 3 and 4 own slots both end at 4, the even share stays
  ])("%i lanes, %i slots, %f / %f ms per slot: %i", (lanes, slots, own, others, want) => {
    expect(balance.ownSlots(lanes, slots, { own, others })).toBe(want);
  });
});

describe("smoothedSlotTimes", () => {
  it("starts from a batch's times per slot, then weighs each new batch by 1/4", () => {
    const first = balance.smoothedSlotTimes(null, { own: 6, others: 12 }, 2, 6, 3);
    expect(first).toEqual({ own: 2, others: 4 });
    // own 4 slots in 4 ms, the others' 2 slots in 4 ms
    expect(balance.smoothedSlotTimes(first, { own: 4, others: 4 }, 2, 6, 4)).toEqual({
      own: 0.25 * 1 + 0.75 * 2,
      others: 0.25 * 2 + 0.75 * 4,
    });
    // three lanes: the others' most is ⌈(7 − 3)/2⌉ = 2 slots
    expect(balance.smoothedSlotTimes(null, { own: 3, others: 5 }, 3, 7, 3)).toEqual({ own: 1, others: 2.5 });
  });
});

describe("any split of the slots", () => {
  let lib: typeof import("../../src/index.js");
  let one: Instance;
  let two: Instance;
  beforeAll(async () => {
    // a module graph of its own, so that the model uses the ownSlots above even where a setup file
    // imported the library before this file's mock was in place
    vi.resetModules();
    lib = await import("../../src/index.js");
    await lib.init();
    [one, two] = await Promise.all([lib.instantiate({ threads: 1 }), lib.instantiate({ threads: 2 })]);
  });
  afterAll(() => {
    forcedOwn = null;
    two.stopThreads();
  });
  const model = (instance: Instance) =>
    new lib.Sequential(
      [new lib.Dense(2, 64, { seed: 1, instance }), new lib.ReLU(), new lib.Dense(64, 3, { seed: 2, instance })],
      { loss: new lib.SoftmaxCrossEntropy() },
    );

  it("gives the gradients of one thread, bit for bit", () => {
    const groups = 6;
    const data = lib.spiralData((groups * GROUP_ROWS - 72) / 3, 3, { seed: 21 });
    const reference = model(one);
    reference.computeGradients(data.x, data.y);
    const want = reference.params().map((p) => p.grad.view().slice());
    for (const own of [1, 2, 3, 4, 5]) {
      forcedOwn = own;
      asked.length = 0;
      const m = model(two);
      m.computeGradients(data.x, data.y);
      if (threadsPossible) expect(asked, "the model asked for the split once").toEqual([own]);
      m.params().forEach((p, i) => {
        expect({ own, param: i, difference: firstBitDifference(p.grad.view(), want[i]) }).toEqual({
          own,
          param: i,
          difference: -1,
        });
      });
      m.free();
    }
    reference.free();
  });
});
