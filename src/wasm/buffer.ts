// Zero-copy buffers: typed data living in an instance's WASM memory. Kernels given these copy nothing.
import { defaultInstance, type Instance } from "./instance.js";

/**
 * Only this module makes buffer handles (allocF32/allocU32, and bufferView for the library's row
 * slices): a handle made up by a caller could address any bytes of WASM memory.
 */
const MADE_HERE = Symbol("regwasm buffer");

abstract class WasmBuffer<View extends Float32Array | Uint32Array> {
  // private, and the object frozen: a kernel trusts a buffer's geometry, so nobody may rewrite it
  readonly #instance: Instance;
  readonly #length: number;
  #ptr: number;

  /** Not for callers: use allocF32 / allocU32. */
  constructor(instance: Instance, ptr: number, length: number, token?: symbol) {
    if (token !== MADE_HERE)
      throw new TypeError("regwasm: buffers are made by allocF32() and allocU32(), not constructed");
    this.#instance = instance;
    this.#ptr = ptr;
    this.#length = length;
    Object.freeze(this);
  }

  /** The instance whose memory holds the data. */
  get instance(): Instance {
    return this.#instance;
  }

  /** Number of elements. */
  get length(): number {
    return this.#length;
  }

  /** Byte address in WASM memory; throws a TypeError after free(). */
  get ptr(): number {
    if (this.#ptr < 0) throw new TypeError("regwasm: buffer used after free()");
    return this.#ptr;
  }

  /** True once free() has been called. */
  get freed(): boolean {
    return this.#ptr < 0;
  }

  /** Returns the memory to the instance; the buffer is unusable afterwards. Idempotent. */
  free(): void {
    if (this.#ptr < 0) return;
    this.#instance.heap.free(this.#ptr);
    this.#ptr = -1;
  }

  /** A fresh view of the data (re-derived after memory growth): use it at once, don't keep it. */
  view(): View {
    const start = this.ptr >>> 2; // unsigned: addresses reach 2^32
    return this.wholeMemory().subarray(start, start + this.#length) as View;
  }

  protected abstract wholeMemory(): View;
}

/** A Float32Array's worth of memory inside WASM. */
export class F32Buffer extends WasmBuffer<Float32Array> {
  protected wholeMemory(): Float32Array {
    return this.instance.heap.f32();
  }
}

/** A Uint32Array's worth of memory inside WASM (dropout masks, random words). */
export class U32Buffer extends WasmBuffer<Uint32Array> {
  protected wholeMemory(): Uint32Array {
    return this.instance.heap.u32();
  }
}

function alloc<B extends F32Buffer | U32Buffer>(
  Kind: new (instance: Instance, ptr: number, length: number, token: symbol) => B,
  length: unknown,
  instance: Instance,
): B {
  if (typeof length !== "number")
    throw new TypeError(`length must be a number, got ${typeof length} ${String(length)}`);
  if (!Number.isSafeInteger(length) || length < 0)
    throw new RangeError(`length must be a non-negative integer, got ${length}`);
  const buf = new Kind(instance, instance.heap.alloc(length * 4), length, MADE_HERE);
  buf.view().fill(0);
  return buf;
}

/** Allocates n zeroed f32 values in WASM memory (default: the instance init() loaded). */
export function allocF32(length: number, instance: Instance = defaultInstance()): F32Buffer {
  return alloc(F32Buffer, length, instance);
}

/** Allocates n zeroed u32 values in WASM memory (default: the instance init() loaded). */
export function allocU32(length: number, instance: Instance = defaultInstance()): U32Buffer {
  return alloc(U32Buffer, length, instance);
}

/**
 * An F32Buffer over `length` values at `ptr` inside memory another buffer owns (a row slice): it must
 * never be freed. Internal: the library's own, checked slices only.
 */
export function bufferView(instance: Instance, ptr: number, length: number): F32Buffer {
  return new F32Buffer(instance, ptr, length, MADE_HERE);
}

/**
 * The buffer over the bytes a typed-array view of `instance`'s memory covers (never to be freed):
 * unlike the view, growing memory cannot detach it. Internal: see pinViews.
 */
export function bufferOverView(instance: Instance, view: Float32Array | Uint32Array): F32Buffer | U32Buffer {
  const Kind = isFloat32Array(view) ? F32Buffer : U32Buffer;
  return new Kind(instance, view.byteOffset, view.length, MADE_HERE);
}

/** Float data a kernel accepts: a plain array (copied through a window) or a zero-copy buffer. */
export type F32Data = Float32Array | F32Buffer;
/** Word data a kernel accepts (masks, random words). */
export type U32Data = Uint32Array | U32Buffer;

const typedArrayName = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!
  .get as (this: unknown) => string | undefined;

/**
 * The element type of a typed array ("Float32Array", …; undefined for anything else), read from its
 * internal slot: not spoofable, and right for arrays of any realm.
 */
export const typedArrayType = (value: unknown): string | undefined => typedArrayName.call(value);

/** A Float32Array of this or another realm (a worker's, a vm context's, an iframe's). */
export const isFloat32Array = (value: unknown): value is Float32Array => typedArrayName.call(value) === "Float32Array";
/** A Uint32Array of this or another realm. */
export const isUint32Array = (value: unknown): value is Uint32Array => typedArrayName.call(value) === "Uint32Array";
