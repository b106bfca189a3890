// Plain-JS model of the documented summation order of the penalty sums (README "Penalty accuracy",
// the header of assembly/reduce.ts), written from that description, not from the kernels' code. It
// gives the exact bits every build must return, so tests can compare with toBe instead of a tolerance.
//
//   - x is cut into 16-element chunks; the last n mod 16 elements are the tail.
//   - Chunks are grouped into blocks of 1024 elements (the last block may be shorter).
//   - Per block, 16 f32 lanes start at +0; lane j adds the block's elements j, j+16, j+32, … in that
//     order, each add rounded to f32; terms are |x| and f32(x·x).
//   - The lanes are seen as 4 vectors v of 4 lanes p (lane j = 4v + p) and folded in f64:
//       P_v = [L(4v) + L(4v+2), L(4v+1) + L(4v+3)],  S = (P_0 + P_1) + (P_2 + P_3),  fold = S[0] + S[1]
//   - Each block's fold is added to one f64 total, blocks in order; then each tail term is added to
//     that total, one by one, in order.
// Plain JS so that scripts/golden.mjs imports it too; types in penalty-order.d.ts.

export const CHUNK = 16;
export const BLOCK = 1024;

const f32 = Math.fround;

/** The documented fold of 16 f32 lanes into one f64. */
export function documentedFold(lanes) {
  const pair = (v, p) => lanes[4 * v + p] + lanes[4 * v + p + 2];
  const s0 = pair(0, 0) + pair(1, 0) + (pair(2, 0) + pair(3, 0));
  const s1 = pair(0, 1) + pair(1, 1) + (pair(2, 1) + pair(3, 1));
  return s0 + s1;
}

/**
 * [Σ|x|, Σx²] of f32 data in the documented order. `fold` replaces the lane fold (tests use it to show
 * that their data tells the documented fold from other plausible ones).
 * @param {ArrayLike<number>} x f32 values
 * @param {(lanes: number[]) => number} [fold]
 * @returns {[number, number]}
 */
export function orderedSums(x, fold = documentedFold) {
  const n = x.length;
  const full = n - (n % CHUNK);
  let abs = 0,
    sq = 0;
  for (let start = 0; start < full; start += BLOCK) {
    const end = Math.min(start + BLOCK, full);
    const absLanes = new Array(CHUNK).fill(0),
      sqLanes = new Array(CHUNK).fill(0);
    for (let i = start; i < end; i++) {
      const j = (i - start) % CHUNK;
      absLanes[j] = f32(absLanes[j] + Math.abs(x[i]));
      sqLanes[j] = f32(sqLanes[j] + f32(x[i] * x[i]));
    }
    abs += fold(absLanes);
    sq += fold(sqLanes);
  }
  for (let i = full; i < n; i++) {
    abs += Math.abs(x[i]);
    sq += f32(x[i] * x[i]);
  }
  return [abs, sq];
}

/** λ1·Σ|x| + λ2·Σx² in f64 from the ordered sums; a λ of 0 contributes +0 (so 0·∞ never makes a NaN). */
export function orderedPenalty(x, l1, l2) {
  const [abs, sq] = orderedSums(x);
  return (l1 === 0 ? 0 : l1 * abs) + (l2 === 0 ? 0 : l2 * sq);
}
