/** Elements per chunk (16 f32 lanes). */
export const CHUNK: 16;
/** Elements per block summed in f32 lanes before the f64 fold. */
export const BLOCK: 1024;
/** The documented fold of 16 f32 lanes into one f64: ((P0 + P1) + (P2 + P3)), then lane 0 + lane 1. */
export function documentedFold(lanes: number[]): number;
/** [Σ|x|, Σx²] of f32 data in the documented order; `fold` replaces the lane fold. */
export function orderedSums(x: ArrayLike<number>, fold?: (lanes: number[]) => number): [number, number];
/** λ1·Σ|x| + λ2·Σx² in f64 from the ordered sums; a λ of 0 contributes +0. */
export function orderedPenalty(x: ArrayLike<number>, l1: number, l2: number): number;
