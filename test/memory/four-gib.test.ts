// The 4 GiB bound of wasm32 memory, exactly: growth up to 2^32 bytes is allowed, one byte more is
// refused with a clear error. Untouched pages cost address space only; Node project only.
import { expect, it } from "vitest";
import { Heap } from "../../src/wasm/heap.js";

it("Heap.ensure() grows to exactly 4 GiB and refuses 2^32 + 1", () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const heap = new Heap(memory, 0);
  heap.ensure(2 ** 32);
  expect(memory.buffer.byteLength).toBe(2 ** 32);
  expect(() => heap.ensure(2 ** 32 + 1)).toThrow(
    /^regwasm: out of memory: 4294967297 bytes exceed the 4 GiB of wasm32$/,
  );
});
