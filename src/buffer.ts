// Zero-copy buffers: typed data living in an instance's WASM memory. Kernels given these copy nothing.
import { defaultInstance, type Instance } from "./wasm/instance.js";

abstract class WasmBuffer {
  #ptr: number;

  constructor(readonly instance: Instance, ptr: number, readonly length: number) {
    this.#ptr = ptr;
  }

  /** Byte address in WASM memory; throws after free(). */
  get ptr(): number {
    if (this.#ptr < 0) throw new Error("regwasm: buffer used after free()");
    return this.#ptr;
  }

  /** True once free() has been called. */
  get freed(): boolean {
    return this.#ptr < 0;
  }

  /** Returns the memory to the instance; the buffer is unusable afterwards. Idempotent. */
  free(): void {
    if (this.#ptr < 0) return;
    this.instance.heap.free(this.#ptr);
    this.#ptr = -1;
  }
}

/** A Float32Array's worth of memory inside WASM. */
export class F32Buffer extends WasmBuffer {
  /** A fresh view of the data (re-derived after memory growth): use it at once, don't keep it. */
  view(): Float32Array {
    const start = this.ptr >>> 2;
    return this.instance.heap.f32().subarray(start, start + this.length);
  }
}

/** A Uint32Array's worth of memory inside WASM (dropout masks, random words). */
export class U32Buffer extends WasmBuffer {
  /** A fresh view of the data (re-derived after memory growth): use it at once, don't keep it. */
  view(): Uint32Array {
    const start = this.ptr >>> 2;
    return this.instance.heap.u32().subarray(start, start + this.length);
  }
}

function checkLength(length: unknown): asserts length is number {
  if (typeof length !== "number") throw new TypeError(`length must be a number, got ${typeof length} ${String(length)}`);
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`length must be a non-negative integer, got ${length}`);
}

/** Allocates n zeroed f32 values in WASM memory (default: the instance init() loaded). */
export function allocF32(length: number, instance: Instance = defaultInstance()): F32Buffer {
  checkLength(length);
  const buf = new F32Buffer(instance, instance.heap.alloc(length * 4), length);
  buf.view().fill(0);
  return buf;
}

/** Allocates n zeroed u32 values in WASM memory (default: the instance init() loaded). */
export function allocU32(length: number, instance: Instance = defaultInstance()): U32Buffer {
  checkLength(length);
  const buf = new U32Buffer(instance, instance.heap.alloc(length * 4), length);
  buf.view().fill(0);
  return buf;
}

/** Float data a kernel accepts: a plain array (copied through a window) or a zero-copy buffer. */
export type F32Data = Float32Array | F32Buffer;
/** Word data a kernel accepts (masks, random words). */
export type U32Data = Uint32Array | U32Buffer;
