// The allocator (src/wasm/heap.ts) on its own memory, against a model written from its contract
// rather than from its free list: blocks are 64-byte multiples at 64-byte aligned addresses; a block
// goes to the lowest free gap between live blocks that is large enough, else on top; freeing the
// highest blocks lowers the top, so `used` is the end of the highest live block. Random alloc/free
// sequences must match the model address for address. Runtime-neutral (no node:* imports).
import { describe, expect, it } from "vitest";
import { Heap } from "../../src/wasm/heap.js";
import { mulberry32 } from "../support/mulberry32.js";

const PAGE = 65536;

/** The address the contract gives to a block of `size` bytes, from the live blocks alone. */
function modelAlloc(live: Map<number, number>, base: number, size: number): number {
  const blocks = [...live].sort((a, b) => a[0] - b[0]);
  let end = base;
  for (const [ptr, bytes] of blocks) {
    if (ptr - end >= size) return end;
    end = ptr + bytes;
  }
  return end;
}

const rounded = (bytes: number) => Math.max(64, Math.ceil(bytes / 64) * 64);

describe("Heap", () => {
  it("rounds the base up to 64 bytes and sizes up to 64-byte multiples (at least 64)", () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1 }), 100);
    expect(heap.used).toBe(128);
    expect(heap.alloc(0)).toBe(128);
    expect(heap.alloc(1)).toBe(192);
    expect(heap.alloc(64)).toBe(256);
    expect(heap.alloc(65)).toBe(320);
    expect(heap.alloc(8)).toBe(448);
    expect([heap.used, heap.allocations]).toEqual([512, 5]);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("random alloc/free sequence %i follows the model address for address", (seed) => {
    const next = mulberry32(seed);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const base = 64 * Math.floor(next() * 8);
    const heap = new Heap(memory, base);
    const live = new Map<number, number>();
    for (let op = 0; op < 400; op++) {
      if (live.size > 0 && next() < 0.45) {
        const ptrs = [...live.keys()];
        const ptr = ptrs[Math.floor(next() * ptrs.length)];
        heap.free(ptr);
        live.delete(ptr);
      } else {
        // mostly small blocks, sometimes several pages (growth)
        const bytes = next() < 0.1 ? Math.floor(next() * 3 * PAGE) : Math.floor(next() * 700);
        const size = rounded(bytes);
        const want = modelAlloc(live, base, size);
        expect(heap.alloc(bytes)).toBe(want);
        live.set(want, size);
      }
      const top = Math.max(base, ...[...live].map(([p, b]) => p + b));
      expect(heap.used).toBe(top);
      expect(heap.allocations).toBe(live.size);
      expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(top);
    }
    for (const ptr of [...live.keys()]) heap.free(ptr);
    expect([heap.used, heap.allocations]).toEqual([base, 0]);
  });

  it("frees in any order coalesce: after freeing three neighbours, one block of their total size fits there", () => {
    for (const order of [
      [0, 1, 2],
      [2, 1, 0],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
    ]) {
      const heap = new Heap(new WebAssembly.Memory({ initial: 1 }), 0);
      const blocks = [heap.alloc(64), heap.alloc(128), heap.alloc(64)];
      const guard = heap.alloc(64); // keeps the three below the top
      for (const i of order) heap.free(blocks[i]);
      expect(heap.used).toBe(320);
      expect(heap.alloc(256)).toBe(0);
      expect(heap.alloc(64)).toBe(320); // nothing left below the guard
      heap.free(guard);
    }
  });

  it("a block of exactly a gap's size takes the gap; a smaller one takes its start and leaves the rest", () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1 }), 0);
    const [a, , c] = [heap.alloc(192), heap.alloc(64), heap.alloc(64), heap.alloc(64)];
    heap.free(a); // gap [0, 192)
    heap.free(c); // gap [256, 320)
    expect(heap.alloc(64)).toBe(0);
    expect(heap.alloc(128)).toBe(64);
    expect(heap.alloc(64)).toBe(256);
    expect(heap.alloc(64)).toBe(384);
  });

  it("refuses to free an address twice or one it never gave", () => {
    const heap = new Heap(new WebAssembly.Memory({ initial: 1 }), 0);
    const p = heap.alloc(10);
    expect(() => heap.free(p + 64)).toThrow(/^regwasm: free of an address that is not allocated \(64\)$/);
    heap.free(p);
    expect(() => heap.free(p)).toThrow(/^regwasm: free of an address that is not allocated \(0\)$/);
  });

  it("grows memory only past its end, by whole pages, and never past 4 GiB", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new Heap(memory, 0);
    // up to its end, memory is not grown at all (not even by 0 pages, which would detach its views)
    const buffer = memory.buffer;
    heap.ensure(PAGE);
    expect(memory.buffer).toBe(buffer);
    expect(memory.buffer.byteLength).toBe(PAGE);
    heap.ensure(PAGE + 1);
    expect(memory.buffer.byteLength).toBe(2 * PAGE);
    heap.ensure(4 * PAGE);
    expect(memory.buffer.byteLength).toBe(4 * PAGE);
    const grown = memory.buffer;
    expect(heap.alloc(4 * PAGE - 64)).toBe(0); // ends exactly at the end of memory
    expect(memory.buffer).toBe(grown);
    expect(memory.buffer.byteLength).toBe(4 * PAGE);
    expect(() => heap.ensure(2 ** 32 + 1)).toThrow(
      /^regwasm: out of memory: 4294967297 bytes exceed the 4 GiB of wasm32$/,
    );
    expect(memory.buffer.byteLength).toBe(4 * PAGE);
  });

  it("hands out whole-memory views that are fresh after every growth", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new Heap(memory, 0);
    const views = () => [heap.f32(), heap.u32(), heap.f64()];
    const first = views();
    expect(first.map((v) => v.buffer === memory.buffer)).toEqual([true, true, true]);
    expect(first.map((v) => v.byteLength)).toEqual([PAGE, PAGE, PAGE]);
    views().forEach((v, i) => expect(v).toBe(first[i])); // no new view without growth
    heap.ensure(3 * PAGE);
    const second = views();
    expect(second.map((v) => v.buffer === memory.buffer)).toEqual([true, true, true]);
    expect(second.map((v) => v.byteLength)).toEqual([3 * PAGE, 3 * PAGE, 3 * PAGE]);
  });
});
