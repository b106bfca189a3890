// Row gathering (assembly/gather.ts) inside WASM memory. Internal: the training loop assembles each
// shuffled mini-batch with it, after checking the indices once per epoch.
import type { F32Buffer, U32Buffer } from "../wasm/buffer.js";
import { MIN_PART_ELEMENTS } from "../wasm/partition.js";
import { runSplit } from "../wasm/run-split.js";

/**
 * Fewest elements of a gather worth a part of their own: a quarter of other streaming kernels'
 * (MIN_PART_ELEMENTS). On 2 threads a batch's two gather parts are the forward product's two row
 * halves, so each thread gathers the rows it multiplies next and finds them in its own cache: a
 * 2-thread MNIST step (batches of 128 × 784) ran 1.6–2.8 % faster. With more threads the parts need
 * not line up with the product's.
 */
export const GATHER_MIN_PART = MIN_PART_ELEMENTS / 4;

/**
 * dst row r = src row indices[start + r] for r < count, rows of `width` 32-bit words. Every index
 * must be a row of src, and dst must hold count rows and not overlap src (the caller's contract).
 */
export function gatherRows(
  dst: F32Buffer | U32Buffer,
  src: F32Buffer | U32Buffer,
  indices: U32Buffer,
  start: number,
  count: number,
  width: number,
): void {
  runSplit(dst.instance, "gatherRows", count, 1, Math.ceil(GATHER_MIN_PART / width), (from, to) => [
    dst.ptr + 4 * from * width,
    src.ptr,
    indices.ptr + 4 * (start + from),
    to - from,
    width,
  ]);
}
