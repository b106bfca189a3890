// Reductions cut into parts for threads. A reduction adds each 1024-element block's fold into an f64
// total, block after block; here each part writes the folds of its own blocks (f64 pairs [Σ|x|, Σx²]
// per block) and addBlockTotals then adds them into acc in block order: the same additions in the
// same order as one call, whatever the parts.
import { CHUNK, BLOCK } from "./reduce";
import { addBlockSums } from "./penalty";
import { addGradRange } from "./gradient";

// @ts-ignore: decorator
@inline function blockFolds(outPtr: usize, xPtr: usize, n: usize, wantAbs: bool, wantSq: bool): void {
  let i: usize = 0, slot = outPtr;
  while (i < n) {
    const count = min(BLOCK, n - i);
    store<f64>(slot, 0);
    store<f64>(slot, 0, 8);
    addBlockSums(slot, xPtr + (i << 2), count, wantAbs, wantSq);
    i += count;
    slot += 16;
  }
}

/**
 * Writes [Σ|x|, Σx²] of each block of n elements at xPtr (n a multiple of CHUNK) as f64 pairs at
 * outPtr; `sums` picks the sums: 1 Σ|x|, 2 Σx², 3 both (the other one is written as 0).
 */
export function penaltyBlocks(outPtr: usize, xPtr: usize, n: usize, sums: i32): void {
  const full = n & ~(CHUNK - 1);
  if (sums == 1) absFolds(outPtr, xPtr, full);
  else if (sums == 2) squareFolds(outPtr, xPtr, full);
  else bothFolds(outPtr, xPtr, full);
}

// One function per choice of sums. Inlined, all three, into penaltyBlocks (blockFolds is @inline), the
// optimizer merged their loops into one that computed both sums whatever was asked: Σx² alone ran 1.3×
// slower than l2Penalty's. Called through functions of their own, each keeps its own loop; Binaryen
// decides what it inlines, so test/architecture/kernel-code.test.ts checks the built code for it.
function absFolds(outPtr: usize, xPtr: usize, n: usize): void {
  blockFolds(outPtr, xPtr, n, true, false);
}
function squareFolds(outPtr: usize, xPtr: usize, n: usize): void {
  blockFolds(outPtr, xPtr, n, false, true);
}
function bothFolds(outPtr: usize, xPtr: usize, n: usize): void {
  blockFolds(outPtr, xPtr, n, true, true);
}

/** addPenaltyGrad over n elements (a multiple of CHUNK), its block folds written as penaltyBlocks does. */
export function addPenaltyGradBlocks(gradPtr: usize, outPtr: usize, xPtr: usize, n: usize, l1: f64, l2: f64, signAtZero: f32): void {
  const l1f = <f32>l1, l2x2f = <f32>(2 * l2);
  const l1AtZero = l1f * signAtZero;
  const full = n & ~(CHUNK - 1);
  let i: usize = 0, slot = outPtr;
  while (i < full) {
    const count = min(BLOCK, full - i);
    const p = i << 2;
    store<f64>(slot, 0);
    store<f64>(slot, 0, 8);
    addBlockSums(slot, xPtr + p, count, true, true);
    addGradRange(gradPtr + p, xPtr + p, count, l1f, l2x2f, l1AtZero);
    i += count;
    slot += 16;
  }
}

/** acc[0] += each block's Σ|x| and acc[1] += its Σx², block 0 first; `sums` as in penaltyBlocks. */
export function addBlockTotals(accPtr: usize, blocksPtr: usize, blocks: usize, sums: i32): void {
  let abs = load<f64>(accPtr), sq = load<f64>(accPtr, 8);
  for (let b: usize = 0; b < blocks; b++) {
    abs += load<f64>(blocksPtr + (b << 4));
    sq += load<f64>(blocksPtr + (b << 4), 8);
  }
  if (sums & 1) store<f64>(accPtr, abs);
  if (sums & 2) store<f64>(accPtr, sq, 8);
}


