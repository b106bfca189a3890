// The per-shape workspace cache (src/wasm/row-cache.ts): one entry per row count, made once and
// reused, the least recently used one released when a new row count would exceed the limit (default
// 4), and all released by clear(). Runtime-neutral (no node:* imports).
import { describe, expect, it } from "vitest";
import { RowCache } from "../../src/wasm/row-cache.js";
import { beginLane, endLane, runDeferredReleases } from "../../src/wasm/tape.js";

function tracked(limit?: number) {
  const made: number[] = [];
  const released: number[] = [];
  const cache = new RowCache(
    (rows) => {
      made.push(rows);
      return { rows };
    },
    (entry) => released.push(entry.rows),
    limit,
  );
  return { cache, made, released };
}

describe("RowCache", () => {
  it("makes an entry once per row count and returns the same one afterwards", () => {
    const { cache, made, released } = tracked();
    const a = cache.get(3);
    expect(cache.get(5)).not.toBe(a);
    expect(cache.get(3)).toBe(a);
    expect(made).toEqual([3, 5]);
    expect(released).toEqual([]);
  });

  it("keeps the 4 most recently used row counts by default, releasing the least recently used", () => {
    const { cache, made, released } = tracked();
    for (const rows of [1, 2, 3, 4]) cache.get(rows);
    cache.get(1); // 1 is now the most recent: 2 is the oldest
    expect(released).toEqual([]);
    cache.get(5);
    expect(released).toEqual([2]);
    cache.get(6);
    expect(released).toEqual([2, 3]);
    cache.get(1); // still there
    expect(made).toEqual([1, 2, 3, 4, 5, 6]);
    cache.get(2); // made again, releasing 4
    expect(made).toEqual([1, 2, 3, 4, 5, 6, 2]);
    expect(released).toEqual([2, 3, 4]);
  });

  it("honours another limit, and clear() releases every entry once and starts afresh", () => {
    const { cache, made, released } = tracked(2);
    cache.get(1);
    cache.get(2);
    cache.get(3);
    expect(released).toEqual([1]);
    cache.clear();
    expect(released.sort()).toEqual([1, 2, 3]);
    cache.clear();
    expect(released).toHaveLength(3);
    cache.get(2);
    expect(made).toEqual([1, 2, 3, 2]);
  });

  it("after clear(), the row count asked for last is made again, not the released entry", () => {
    const { cache, made, released } = tracked();
    const first = cache.get(3);
    expect(cache.get(3)).toBe(first);
    cache.clear();
    const second = cache.get(3);
    expect(second).not.toBe(first);
    expect([made, released]).toEqual([[3, 3], [3]]);
  });

  it("with a limit of 1, a make() that throws after the eviction leaves no released entry to return", () => {
    const released: number[] = [];
    let failNext = false;
    const cache = new RowCache(
      (rows) => {
        if (failNext) throw new RangeError("out of memory");
        return { rows };
      },
      (entry) => released.push(entry.rows),
      1,
    );
    const first = cache.get(1);
    failNext = true;
    expect(() => cache.get(2)).toThrow("out of memory");
    expect(released).toEqual([1]);
    failNext = false;
    const again = cache.get(1);
    expect(again).not.toBe(first);
    expect(again).toEqual({ rows: 1 });
  });

  it("asking again for the most recent row count keeps the order of the others", () => {
    const { cache, released } = tracked(2);
    cache.get(1);
    cache.get(2);
    cache.get(2);
    cache.get(2);
    cache.get(3); // 1 is the oldest
    expect(released).toEqual([1]);
    cache.get(3);
    cache.get(2); // now 3 is the oldest
    cache.get(4);
    expect(released).toEqual([1, 3]);
  });

  it("each lane has its own entries, also for the row count another lane asked for last", () => {
    const { cache, made } = tracked();
    const outside = cache.get(7);
    beginLane(1);
    try {
      const inLane = cache.get(7);
      expect(inLane).not.toBe(outside);
      expect(cache.get(7)).toBe(inLane);
    } finally {
      endLane();
      runDeferredReleases();
    }
    expect(cache.get(7)).toBe(outside);
    expect(made).toEqual([7, 7]);
  });
});
