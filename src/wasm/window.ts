// Runs a kernel over operands that may live outside WASM memory. Data already in WASM memory
// (F32Buffer/U32Buffer, or a view of the instance's memory) is passed by address; other typed arrays
// are copied in and out through a bounded window of scratch memory, so memory stays bounded
// whatever n is. Windows are multiples of 1024 elements, so reductions (folded per 1024-element
// block) and bit masks (32 per word) come out the same bits as one call over the whole input.
import { bufferOverView, F32Buffer, type F32Data, isFloat32Array, U32Buffer, type U32Data } from "./buffer.js";
import type { Instance } from "./instance.js";

/** Elements per window when something must be copied (256 KiB per f32 operand). */
export const WINDOW = 1 << 16;

export interface Operand {
  data: F32Data | U32Data;
  /** Copy in before the kernel runs. */
  read: boolean;
  /** Copy out after the kernel runs. */
  write: boolean;
  /** A bit mask: one u32 word per 32 elements. */
  bits?: boolean;
}

const words = (elements: number, bits: boolean | undefined) => (bits ? Math.ceil(elements / 32) : elements);

/** The byte address of data that already lives in this instance's memory, else undefined. */
function addressInWasm(inst: Instance, data: F32Data | U32Data): number | undefined {
  if (data instanceof F32Buffer || data instanceof U32Buffer) return data.instance === inst ? data.ptr : undefined;
  return data.buffer === inst.heap.memory.buffer ? data.byteOffset : undefined;
}

/** The typed array to copy through a window: a buffer of another instance is read and written through its view. */
const copyable = (data: F32Data | U32Data): Float32Array | Uint32Array =>
  data instanceof F32Buffer || data instanceof U32Buffer ? data.view() : data;

/**
 * For a call that allocates before it runs its windows: every typed-array view of this instance's
 * memory as a buffer over the same bytes, since the allocation may grow memory, which detaches views.
 */
export function pinViews<T extends (F32Data | U32Data | null)[]>(inst: Instance, ...data: T): T {
  return data.map((d) =>
    d !== null && !(d instanceof F32Buffer || d instanceof U32Buffer) && d.buffer === inst.heap.memory.buffer
      ? bufferOverView(inst, d)
      : d,
  ) as T;
}

/**
 * Calls `kernel(ptrs, count, start)` over consecutive windows of n elements; ptrs[k] addresses
 * operand k at the window's first element (its first mask word for bit operands).
 */
export function runWindowed(
  inst: Instance,
  n: number,
  operands: Operand[],
  kernel: (ptrs: number[], count: number, start: number) => void,
): void {
  // addresses first: allocating scratch may grow memory, which detaches views of it
  const addresses = operands.map((op) => addressInWasm(inst, op.data));
  if (addresses.every((a) => a !== undefined)) {
    kernel(addresses as number[], n, 0); // zero-copy: one call
    return;
  }
  // one scratch slot per distinct plain array (an aliased array shares its slot)
  const slotOf = new Map<F32Data | U32Data, number>();
  let slotBytes = 0;
  operands.forEach((op, k) => {
    if (addresses[k] !== undefined || slotOf.has(op.data)) return;
    slotOf.set(op.data, slotBytes);
    slotBytes += words(WINDOW, op.bits) * 4;
  });
  const scratch = slotBytes ? inst.scratch(slotBytes) : 0;
  const heapOf = (data: F32Data | U32Data) =>
    isFloat32Array(data) || data instanceof F32Buffer ? inst.heap.f32() : inst.heap.u32();
  for (let start = 0; start < n || start === 0; start += WINDOW) {
    const count = Math.min(WINDOW, n - start);
    const copied = new Set<F32Data | U32Data>();
    const ptrs = operands.map((op, k) => {
      const first = words(start, op.bits);
      if (addresses[k] !== undefined) return addresses[k] + first * 4;
      const ptr = scratch + slotOf.get(op.data)!;
      if (!copied.has(op.data) && operands.some((other) => other.data === op.data && other.read)) {
        copied.add(op.data);
        heapOf(op.data).set(copyable(op.data).subarray(first, first + words(count, op.bits)), ptr >>> 2);
      }
      return ptr;
    });
    kernel(ptrs, count, start);
    operands.forEach((op, k) => {
      if (!op.write || addresses[k] !== undefined) return;
      const first = words(start, op.bits);
      const from = ptrs[k] >>> 2;
      (copyable(op.data) as Float32Array).set(
        heapOf(op.data).subarray(from, from + words(count, op.bits)) as Float32Array,
        first,
      );
    });
    if (n === 0) break;
  }
}
