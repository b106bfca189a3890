// How many parts a call is cut into: never more than 4 per thread (more only where a part would exceed
// the largest part asked for) or than the parts worth a hand-off, nor than one job holds, and a
// multiple of the thread count wherever that many are worth it (each thread owns as many).
import { describe, expect, it } from "vitest";
import { PARTS_PER_THREAD, partCount } from "../../src/wasm/partition.js";
import { MAX_PARTS } from "../../src/wasm/pool-protocol.js";

const MIN = 1000;

describe("partCount", () => {
  it.each([
    // [threads, total, parts]
    [1, 100 * MIN, 1],
    [2, MIN - 1, 1],
    [2, MIN, 1],
    [2, 2 * MIN, 2],
    [2, 3 * MIN, 2],
    [2, 3 * MIN + MIN - 1, 2],
    [2, 5 * MIN, 4],
    [2, 100 * MIN, 2 * PARTS_PER_THREAD],
    [3, 2 * MIN, 2],
    [3, 5 * MIN, 3],
    [3, 7 * MIN, 6],
    [3, 100 * MIN, 3 * PARTS_PER_THREAD],
    [4, 3 * MIN, 3],
    [4, 11 * MIN, 8],
    // at most one job's parts
    [20, 1000 * MIN, MAX_PARTS - (MAX_PARTS % 20)],
    [100, 1000 * MIN, MAX_PARTS],
  ])("%i threads, %i units: %i parts", (threads, total, parts) => {
    expect(partCount(threads, total, MIN)).toBe(parts);
  });

  it.each([
    // [threads, total, maxPart, parts]: more parts per thread only where 4 would exceed maxPart
    [2, 8 * 10 * MIN, 10 * MIN, 2 * PARTS_PER_THREAD],
    [2, 8 * 10 * MIN + 1, 10 * MIN, 10],
    [2, 31 * 10 * MIN, 10 * MIN, 32],
    [3, 31 * 10 * MIN, 10 * MIN, 33],
    [2, 1000 * 10 * MIN, 10 * MIN, MAX_PARTS],
    [3, 1000 * 10 * MIN, 10 * MIN, MAX_PARTS - (MAX_PARTS % 3)],
    [1, 1000 * 10 * MIN, 10 * MIN, 1],
    // never past what hand-offs are worth
    [2, 20 * MIN, MIN, 20],
    [2, 20 * MIN, MIN / 2, 20],
  ])("%i threads, %i units, parts of at most %i: %i parts", (threads, total, maxPart, parts) => {
    expect(partCount(threads, total, MIN, maxPart)).toBe(parts);
  });
});
