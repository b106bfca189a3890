// Runs one kernel over a range cut into parts for the instance's threads, or in one call when the
// range is too small to be worth cutting (or there is one thread).
import { MAX_PART_ELEMENTS, partCount, partition } from "./partition.js";
import type { Instance, KernelExports, KernelName } from "./instance.js";

/**
 * Calls `kernel` with `argsOf(start, end)` for parts of [0, total) that start at multiples of `align`
 * and hold at least `minPart` units each, and at most MAX_PART_ELEMENTS units in a large call (units
 * are elements for the streaming kernels; gatherRows' rows never come near it); a single call when
 * one part is all it is worth.
 */
export function runSplit<K extends KernelName>(
  inst: Instance,
  kernel: K,
  total: number,
  align: number,
  minPart: number,
  argsOf: (start: number, end: number) => Parameters<KernelExports[K]>,
): void {
  const parts = partCount(inst.threads, total, minPart, MAX_PART_ELEMENTS);
  if (parts <= 1) {
    (inst.kernels[kernel] as (...args: number[]) => unknown)(...(argsOf(0, total) as number[]));
    return;
  }
  inst.run(
    kernel,
    partition(total, parts, align, minPart).map(([start, end]) => argsOf(start, end)),
  );
}
