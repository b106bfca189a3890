// Penalty sums in parts for threads (assembly/block-sums.ts): each part writes the folds of its own
// 1024-element blocks, then the calling thread adds them into the accumulator in block order, so the
// sums have the bits of one call for any thread count.
import type { Instance } from "../wasm/instance.js";
import { MAX_PART_ELEMENTS, MIN_PART_ELEMENTS, partCount, partition } from "../wasm/partition.js";

/** Elements per reduction block (assembly/reduce.ts BLOCK) and per SIMD step (CHUNK). */
const BLOCK = 1024;
const CHUNK = 16;
/** Which sums a kernel wants: 1 Σ|x|, 2 Σx², 3 both. */
export type SumsWanted = 1 | 2 | 3;

/** How many parts n elements are worth (1: run the one-call kernel instead). */
export function sumParts(inst: Instance, n: number): number {
  return partCount(inst.threads, n, MIN_PART_ELEMENTS, MAX_PART_ELEMENTS);
}

/**
 * Runs `blocks(blocksPtr, start, count)` over whole-chunk parts of [0, n) in parallel, adds their block
 * folds into acc in order, and returns where the tail (the last n mod 16 elements, for the one-call
 * kernel) starts.
 */
function inParts(
  inst: Instance,
  n: number,
  parts: number,
  sums: SumsWanted,
  run: (ranges: readonly (readonly [number, number])[], blocksPtr: number) => void,
): number {
  const full = n - (n % CHUNK);
  const blocks = Math.ceil(full / BLOCK);
  const blocksPtr = inst.heap.alloc(blocks * 16);
  try {
    run(partition(full, parts, BLOCK, MIN_PART_ELEMENTS), blocksPtr);
    inst.kernels.addBlockTotals(inst.accPtr, blocksPtr, blocks, sums);
  } finally {
    inst.heap.free(blocksPtr);
  }
  return full;
}

/** acc += the wanted sums of n elements at xPtr, in `parts` parts (see sumParts). */
export function penaltyInParts(inst: Instance, sums: SumsWanted, xPtr: number, n: number, parts: number): void {
  const tail = inParts(inst, n, parts, sums, (ranges, blocksPtr) =>
    inst.run(
      "penaltyBlocks",
      ranges.map(([start, end]) => [blocksPtr + (start / BLOCK) * 16, xPtr + 4 * start, end - start, sums]),
    ),
  );
  const kernel = sums === 1 ? "l1Penalty" : sums === 2 ? "l2Penalty" : "penalty";
  inst.kernels[kernel](inst.accPtr, xPtr + 4 * tail, n - tail);
}

/** addPenaltyGrad over n elements in `parts` parts: the same gradient and the same sums as one call. */
export function addPenaltyGradInParts(
  inst: Instance,
  gradPtr: number,
  xPtr: number,
  n: number,
  l1: number,
  l2: number,
  signAtZero: number,
  parts: number,
): void {
  const tail = inParts(inst, n, parts, 3, (ranges, blocksPtr) =>
    inst.run(
      "addPenaltyGradBlocks",
      ranges.map(([start, end]) => [
        gradPtr + 4 * start,
        blocksPtr + (start / BLOCK) * 16,
        xPtr + 4 * start,
        end - start,
        l1,
        l2,
        signAtZero,
      ]),
    ),
  );
  inst.kernels.addPenaltyGrad(gradPtr + 4 * tail, inst.accPtr, xPtr + 4 * tail, n - tail, l1, l2, signAtZero);
}
