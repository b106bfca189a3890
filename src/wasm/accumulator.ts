// A pair of f64 running sums in WASM memory that reduction kernels add into (penalty sums, loss
// sums): kernels load, add in a fixed order and store, so sums can run across several calls.
import type { Heap } from "./heap.js";

export class Accumulator {
  /** Byte address of the two f64 sums. */
  readonly ptr: number;

  constructor(private readonly heap: Heap) {
    this.ptr = heap.alloc(16);
    this.clear();
  }

  clear(): void {
    this.heap.f64().fill(0, this.ptr >>> 3, (this.ptr >>> 3) + 2);
  }

  /** The two sums since clear(). */
  read(): [number, number] {
    const f64 = this.heap.f64();
    return [f64[this.ptr >>> 3], f64[(this.ptr >>> 3) + 1]];
  }

  /** Adds `other`'s sums into this one's and clears `other`. */
  absorb(other: Accumulator): void {
    const f64 = this.heap.f64();
    const at = this.ptr >>> 3;
    const from = other.ptr >>> 3;
    f64[at] += f64[from];
    f64[at + 1] += f64[from + 1];
    f64[from] = 0;
    f64[from + 1] = 0;
  }

  /** Returns the memory; the accumulator is unusable afterwards. */
  free(): void {
    this.heap.free(this.ptr);
  }
}
