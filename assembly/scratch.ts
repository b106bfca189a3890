// Per-instance scratch. Every instance on a shared memory sees the same static data, so the first
// instance uses static segments and each worker's instance is pointed at a region of its own.
import { LANES_ABS, LANES_BYTES, LANES_SQ } from "./reduce";
import { STEP_SCRATCH, STEP_SCRATCH_BYTES } from "./optimizer";

/** Bytes of scratch an instance needs (16-byte aligned parts). */
export function scratchBytes(): usize {
  return LANES_BYTES + STEP_SCRATCH_BYTES;
}

/** Points this instance's scratch at scratchBytes() bytes of its own, 16-byte aligned. */
export function useScratch(ptr: usize): void {
  LANES_ABS = ptr;
  LANES_SQ = ptr + 64;
  STEP_SCRATCH = ptr + LANES_BYTES;
}
