// Loading and the small wasm/ pieces: init() is idempotent and refuses to switch builds, instantiate()
// picks SIMD where the runtime has it, copy windows share one scratch region that is replaced (not
// leaked) when it grows, Matrix checks its shape, and allocF32's argument errors. Runtime-neutral.
import { describe, expect, it } from "vitest";
import {
  addPenaltyGrad,
  allocF32,
  allocU32,
  init,
  instantiate,
  Matrix,
  penalty,
  simd,
  simdSupported,
} from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";

function outcome(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
  return "ok";
}

describe("scratch memory of the copy windows", () => {
  // First in this file: the default instance has no scratch region yet.
  it("grows by replacing its one region: the allocation count stays at one region", async () => {
    await init();
    const heap = defaultInstance().heap;
    const before = heap.allocations;
    penalty(new Float32Array(10), { l1: 1 }); // one plain operand: one window slot
    expect(heap.allocations).toBe(before + 1);
    addPenaltyGrad(new Float32Array(10), new Float32Array(10), { l1: 1 }); // two slots: a larger region
    expect(heap.allocations).toBe(before + 1);
    penalty(new Float32Array(10), { l2: 1 }); // fits: reused
    expect(heap.allocations).toBe(before + 1);
  });
});

describe("init() and instantiate()", () => {
  it("init() is idempotent: the default instance stays the same", async () => {
    await init();
    const first = defaultInstance();
    await init();
    await init({ simd: first.simd });
    expect(defaultInstance()).toBe(first);
    expect(simd()).toBe(first.simd);
  });

  it("init() refuses the other build once one is loaded, naming the loaded one", async () => {
    await init();
    const loaded = simd();
    await expect(init({ simd: !loaded })).rejects.toThrow(
      `regwasm: init() already loaded the ${loaded ? "SIMD" : "scalar"} build`,
    );
    if (!loaded) await expect(init({ simd: true })).rejects.toThrow(/scalar build$/);
  });

  it("instantiate() picks SIMD exactly where the runtime supports it; each instance has its own memory", async () => {
    const a = await instantiate();
    expect(a.simd).toBe(simdSupported());
    const b = await instantiate({ simd: false });
    expect(b.simd).toBe(false);
    expect(b.heap.memory).not.toBe(a.heap.memory);
  });
});

describe("Matrix and buffers", () => {
  it("a Matrix must hold rows × cols values; toArray() is a copy", async () => {
    await init();
    const buf = allocF32(6);
    expect(outcome(() => new Matrix(allocF32(5), 2, 3))).toBe(
      "RangeError: matrix data must hold rows × cols = 6 values, got 5",
    );
    const m = new Matrix(buf, 2, 3);
    buf.view().set([1, 2, 3, 4, 5, 6]);
    const copy = m.toArray();
    expect(Array.from(copy)).toEqual([1, 2, 3, 4, 5, 6]);
    copy[0] = 9;
    expect(buf.view()[0]).toBe(1);
    expect(copy.buffer).not.toBe(buf.view().buffer);
    buf.free();
  });

  it("allocF32 / allocU32 take a non-negative integer length", async () => {
    await init();
    expect(outcome(() => allocF32("3" as never))).toBe("TypeError: length must be a number, got string 3");
    expect(outcome(() => allocU32(-1))).toBe("RangeError: length must be a non-negative integer, got -1");
    expect(outcome(() => allocF32(1.5))).toBe("RangeError: length must be a non-negative integer, got 1.5");
    const empty = allocF32(0);
    expect([empty.length, empty.view().length, empty.freed]).toEqual([0, 0, false]);
    empty.free();
    expect(empty.freed).toBe(true);
  });
});
