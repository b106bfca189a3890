// dst += src on buffers already in WASM memory (assembly/add-into.ts). Internal: a layer adds its row
// groups' partial gradients into the batch's with it.
import type { F32Buffer } from "../wasm/buffer.js";
import { MIN_PART_ELEMENTS } from "../wasm/partition.js";
import { runSplit } from "../wasm/run-split.js";

/** dst[i] += src[i] for every i (same length, same instance: the caller's buffers). */
export function addInto(dst: F32Buffer, src: F32Buffer): void {
  runSplit(dst.instance, "addInto", dst.length, 4, MIN_PART_ELEMENTS, (start, end) => [
    dst.ptr + 4 * start,
    src.ptr + 4 * start,
    end - start,
  ]);
}
