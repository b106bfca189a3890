// The one WebAssembly.Memory of an instance and the allocator over it. Every growth goes through
// grow(), and every view is re-derived when memory.buffer has changed (growth detaches old views).

const PAGE = 65536;
/** Allocation granularity: a cache line, which also aligns every buffer for v128 loads. */
const ALIGN = 64;

interface FreeBlock {
  ptr: number;
  bytes: number;
}

export class Heap {
  readonly memory: WebAssembly.Memory;
  private top: number;
  private readonly sizes = new Map<number, number>();
  /** Free blocks below top, sorted by address, never adjacent (coalesced on free). */
  private readonly freeBlocks: FreeBlock[] = [];
  private f32View = new Float32Array(0);
  private u32View = new Uint32Array(0);
  private f64View = new Float64Array(0);

  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  /** Bytes of address space in use (allocated or free below the top). */
  get used(): number {
    return this.top;
  }

  /** Number of blocks allocated and not yet freed (leak checks). */
  get allocations(): number {
    return this.sizes.size;
  }

  /** Reserves `bytes` (rounded up to 64), returning a 64-byte aligned address; may grow memory. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const fit = this.freeBlocks.findIndex((b) => b.bytes >= size);
    let ptr: number;
    if (fit >= 0) {
      const block = this.freeBlocks[fit];
      ptr = block.ptr;
      if (block.bytes === size) this.freeBlocks.splice(fit, 1);
      else {
        block.ptr += size;
        block.bytes -= size;
      }
    } else {
      ptr = this.top;
      this.ensure(ptr + size);
      this.top = ptr + size;
    }
    this.sizes.set(ptr, size);
    return ptr;
  }

  /** Returns a block from alloc(); freeing twice or an unknown address throws. */
  free(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) throw new Error(`regwasm: free of an address that is not allocated (${ptr})`);
    this.sizes.delete(ptr);
    let at = this.freeBlocks.findIndex((b) => b.ptr > ptr);
    if (at < 0) at = this.freeBlocks.length;
    this.freeBlocks.splice(at, 0, { ptr, bytes: size });
    const next = this.freeBlocks[at + 1];
    if (next && ptr + size === next.ptr) {
      this.freeBlocks[at].bytes += next.bytes;
      this.freeBlocks.splice(at + 1, 1);
    }
    const prev = this.freeBlocks[at - 1];
    if (prev && prev.ptr + prev.bytes === ptr) {
      prev.bytes += this.freeBlocks[at].bytes;
      this.freeBlocks.splice(at, 1);
      at--;
    }
    const last = this.freeBlocks[this.freeBlocks.length - 1];
    if (last && last.ptr + last.bytes === this.top) {
      this.top = last.ptr;
      this.freeBlocks.pop();
    }
  }

  /** Grows memory (the only place that does) so that addresses below `end` exist. */
  ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    if (end > 2 ** 32) throw new RangeError(`regwasm: out of memory: ${end} bytes exceed the 4 GiB of wasm32`);
    this.memory.grow(Math.ceil((end - have) / PAGE));
  }

  /** A Float32Array over all of memory, fresh after any growth. */
  f32(): Float32Array {
    if (this.f32View.buffer !== this.memory.buffer) this.f32View = new Float32Array(this.memory.buffer);
    return this.f32View;
  }

  /** A Uint32Array over all of memory, fresh after any growth. */
  u32(): Uint32Array {
    if (this.u32View.buffer !== this.memory.buffer) this.u32View = new Uint32Array(this.memory.buffer);
    return this.u32View;
  }

  /** A Float64Array over all of memory, fresh after any growth. */
  f64(): Float64Array {
    if (this.f64View.buffer !== this.memory.buffer) this.f64View = new Float64Array(this.memory.buffer);
    return this.f64View;
  }
}
