// Row gathering (assembly/gather.ts) inside WASM memory. Internal: the training loop assembles each
// shuffled mini-batch with it, after checking the indices once per epoch.
import type { F32Buffer, U32Buffer } from "../wasm/buffer.js";

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
  dst.instance.kernels.gatherRows(dst.ptr, src.ptr, indices.ptr + 4 * start, count, width);
}
