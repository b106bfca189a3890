// Contracts of the memory layer below the kernels: buffer handles at address 0 (a valid address, not
// a freed one), the copy windows' calls and copies (runWindowed), and row slices of a matrix.
// Runtime-neutral (no node:* imports).
import { beforeAll, describe, expect, it } from "vitest";
import { init, instantiate, type Instance } from "../../src/index.js";
import { allocF32, bufferOverView } from "../../src/wasm/buffer.js";
import { Heap } from "../../src/wasm/heap.js";
import { Instance as InstanceClass, type KernelExports } from "../../src/wasm/instance.js";
import { allocMatrix, rowSlice } from "../../src/wasm/matrix.js";
import { type Operand, runWindowed, WINDOW } from "../../src/wasm/window.js";

let inst: Instance;
beforeAll(async () => {
  await init();
  inst = await instantiate();
});

describe("address 0 is a live address", () => {
  it("a buffer the heap puts at 0 is usable, not freed, and free() returns its memory", () => {
    // a heap starting at 0, held there while the instance allocates its accumulator, so a buffer gets 0
    const heap = new Heap(new WebAssembly.Memory({ initial: 1 }), 0);
    const hold = heap.alloc(64);
    const own = new InstanceClass(false, {} as KernelExports, heap);
    heap.free(hold);
    const buf = allocF32(16, own);
    expect([buf.ptr, buf.freed]).toEqual([0, false]);
    buf.view().set([1.5, -2]);
    expect(Array.from(buf.view().subarray(0, 3))).toEqual([1.5, -2, 0]);
    const live = heap.allocations;
    buf.free();
    expect([buf.freed, heap.allocations]).toEqual([true, live - 1]);
    expect(() => buf.ptr).toThrow(/^regwasm: buffer used after free\(\)$/);
    expect(heap.alloc(64)).toBe(0); // the block really went back
  });

  it("a pinned view at byte 0 of an instance's memory reads those bytes", () => {
    const view = new Float32Array(inst.heap.memory.buffer, 0, 8);
    const pinned = bufferOverView(inst, view);
    expect([pinned.ptr, pinned.freed]).toEqual([0, false]);
    expect(Array.from(pinned.view())).toEqual(Array.from(view));
  });
});

describe("runWindowed", () => {
  const calls = (n: number, operands: Operand[]) => {
    const seen: [number, number][] = [];
    runWindowed(inst, n, operands, (_ptrs, count, start) => seen.push([count, start]));
    return seen;
  };
  const read = (data: Float32Array): Operand => ({ data, read: true, write: false });

  it("up to one window, a plain array gets the zero-copy path's single call, n = 0 included", () => {
    for (const n of [0, 1, WINDOW]) {
      const buf = allocF32(n, inst);
      expect(calls(n, [read(new Float32Array(n))])).toEqual([[n, 0]]);
      expect(calls(n, [{ data: buf, read: true, write: false }])).toEqual([[n, 0]]);
      buf.free();
    }
  });

  it("whole windows: one call per window, no empty call after the last", () => {
    expect(calls(2 * WINDOW, [read(new Float32Array(2 * WINDOW))])).toEqual([
      [WINDOW, 0],
      [WINDOW, WINDOW],
    ]);
    expect(calls(2 * WINDOW + 1, [read(new Float32Array(2 * WINDOW + 1))])).toEqual([
      [WINDOW, 0],
      [WINDOW, WINDOW],
      [1, 2 * WINDOW],
    ]);
  });

  it("a write-only operand's old values are not copied in, and a read-only one is never written back", () => {
    const n = 40;
    const out = Float32Array.from({ length: n }, (_, i) => 1000.5 + i);
    const x = Float32Array.from({ length: n }, (_, i) => i - 7.25);
    const x0 = Float32Array.from(x);
    let before: number[] = [];
    runWindowed(
      inst,
      n,
      [
        { data: out, read: false, write: true },
        { data: x, read: true, write: false },
      ],
      ([outPtr, xPtr], count) => {
        const f32 = inst.heap.f32();
        before = Array.from(f32.subarray(outPtr >>> 2, (outPtr >>> 2) + count));
        for (let i = 0; i < count; i++) {
          f32[(outPtr >>> 2) + i] = 2 * f32[(xPtr >>> 2) + i];
          f32[(xPtr >>> 2) + i] = -1; // scribbles on the input's window: must not reach x
        }
      },
    );
    expect(before).not.toEqual(Array.from({ length: n }, (_, i) => 1000.5 + i));
    expect(Array.from(out)).toEqual(Array.from(x0, (v) => 2 * v));
    expect(Array.from(x)).toEqual(Array.from(x0));
  });
});

it("runWindowed: an operand in WASM memory is written in place, even when the scratch allocation detached its view", async () => {
  const own = await instantiate({ threads: 1 }); // unshared memory: growth detaches its views
  const at = own.heap.alloc(4 * 8);
  const out = new Float32Array(own.heap.memory.buffer, at, 8);
  own.heap.alloc(own.heap.memory.buffer.byteLength - own.heap.used); // memory full: scratch must grow it
  const x = Float32Array.from({ length: 8 }, (_, i) => i + 0.5);
  runWindowed(
    own,
    8,
    [
      { data: out, read: false, write: true },
      { data: x, read: true, write: false },
    ],
    ([outPtr, xPtr], count) => {
      const f32 = own.heap.f32();
      for (let i = 0; i < count; i++) f32[(outPtr >>> 2) + i] = 3 * f32[(xPtr >>> 2) + i];
    },
  );
  expect(out.length).toBe(0); // detached by the growth: the test's premise
  const result = new Float32Array(own.heap.memory.buffer, at, 8);
  expect(Array.from(result)).toEqual(Array.from(x, (v) => 3 * v));
});

describe("rowSlice", () => {
  it("rows [start, start + rows) alias the matrix's memory; all rows are the matrix itself", () => {
    const m = allocMatrix(5, 3, inst);
    m.data.view().set(Float32Array.from({ length: 15 }, (_, i) => i));
    const s = rowSlice(m, 2, 2);
    expect([s.rows, s.cols, s.ptr - m.ptr]).toEqual([2, 3, 2 * 3 * 4]);
    expect(Array.from(s.toArray())).toEqual([6, 7, 8, 9, 10, 11]);
    s.data.view()[0] = -6;
    expect(m.toArray()[6]).toBe(-6);
    const head = rowSlice(m, 0, 4);
    expect([head.rows, head.ptr]).toEqual([4, m.ptr]);
    expect(head).not.toBe(m);
    expect(rowSlice(m, 0, 5)).toBe(m); // no second handle to the same memory
    m.data.free();
  });
});
