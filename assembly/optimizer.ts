// Parameter updates, elementwise over n f32 values, in f32 arithmetic (no FMA: both builds agree).
// Every stored result is flushed to zero when subnormal (|x| < 2^-126), as hardware FTZ would:
// weights decaying under L2 otherwise end up subnormal, and each multiply by a subnormal costs
// ~100 cycles on x86 (it slowed the dropout-chapter model ~2× over 10k epochs). NaN and ±∞ are
// stored as they are: a diverging update must stay visible, never become a plausible 0.

/** Smallest normal f32, 2^-126. */
const FLT_MIN: f32 = 1.1754943508222875e-38;

/** x, or +0 where |x| < 2^-126 (subnormal); NaN fails the comparison and is kept. */
// @ts-ignore: decorator
@inline function ftz(x: v128, min: v128): v128 {
  return v128.andnot(x, f32x4.lt(f32x4.abs(x), min));
}

// @ts-ignore: decorator
@inline function ftzScalar(x: f32): f32 {
  const flush = -(<i32>(abs<f32>(x) < FLT_MIN));
  return reinterpret<f32>(reinterpret<i32>(x) & ~flush);
}

/** Elements of w whose steps adamUpdateInChunks computes before it stores any of them. */
const STEP_CHUNK: usize = 1024;
/** Bytes of scratch adamUpdateInChunks needs: one chunk's steps. */
export const STEP_SCRATCH_BYTES: usize = STEP_CHUNK << 2;
/** That scratch: a static segment for the first instance on a memory, a worker's own (useScratch). */
export let STEP_SCRATCH: usize = memory.data(<i32>STEP_SCRATCH_BYTES, 16);

/**
 * Adam's moments of 4 elements at byte offset o, stored, and their step lr·(m/c1)/(√(v/c2) + ε):
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
 */
// @ts-ignore: decorator
@inline function adamMomentsAndStep(gPtr: usize, mPtr: usize, vPtr: usize, o: usize, lrV: v128, b1: v128, b2: v128, ob1: v128, ob2: v128, epsV: v128, c1V: v128, c2V: v128, min: v128): v128 {
  const g = v128.load(gPtr + o);
  const m = ftz(f32x4.add(f32x4.mul(b1, v128.load(mPtr + o)), f32x4.mul(ob1, g)), min);
  const v = ftz(f32x4.add(f32x4.mul(b2, v128.load(vPtr + o)), f32x4.mul(ob2, f32x4.mul(g, g))), min);
  v128.store(mPtr + o, m);
  v128.store(vPtr + o, v);
  return f32x4.div(f32x4.mul(lrV, f32x4.div(m, c1V)), f32x4.add(f32x4.sqrt(f32x4.div(v, c2V)), epsV));
}

/** Adam on elements [from, n) one at a time (the scalar build, and the SIMD builds' last n mod 4). */
// @ts-ignore: decorator
@inline function adamScalarFrom(from: usize, wPtr: usize, gPtr: usize, mPtr: usize, vPtr: usize, n: usize, lr: f32, beta1: f32, beta2: f32, oneMinusB1: f32, oneMinusB2: f32, eps: f32, c1: f32, c2: f32, keep: f32): void {
  for (let i = from; i < n; i++) {
    const o = i << 2;
    const g = load<f32>(gPtr + o);
    const m = ftzScalar(beta1 * load<f32>(mPtr + o) + oneMinusB1 * g);
    const v = ftzScalar(beta2 * load<f32>(vPtr + o) + oneMinusB2 * (g * g));
    store<f32>(mPtr + o, m);
    store<f32>(vPtr + o, v);
    const step = (lr * (m / c1)) / (Mathf.sqrt(v / c2) + eps);
    store<f32>(wPtr + o, ftzScalar(load<f32>(wPtr + o) * keep - step));
  }
}

/**
 * Adam over n elements: each w stored as soon as its step is known, or (`inChunks`, a constant after
 * inlining) the steps of STEP_CHUNK elements to scratch first, then their w in one light loop.
 */
// @ts-ignore: decorator
@inline function adam(inChunks: bool, wPtr: usize, gPtr: usize, mPtr: usize, vPtr: usize, n: usize, lr: f32, beta1: f32, beta2: f32, oneMinusB1: f32, oneMinusB2: f32, eps: f32, c1: f32, c2: f32, keep: f32): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const n4 = n & ~3;
    const lrV = f32x4.splat(lr), b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2), epsV = f32x4.splat(eps);
    const c1V = f32x4.splat(c1), c2V = f32x4.splat(c2), keepV = f32x4.splat(keep);
    const ob1 = f32x4.splat(oneMinusB1), ob2 = f32x4.splat(oneMinusB2), min = f32x4.splat(FLT_MIN);
    if (inChunks) {
      const steps = STEP_SCRATCH;
      while (i < n4) {
        const end = i + STEP_CHUNK < n4 ? i + STEP_CHUNK : n4;
        for (let j = i; j < end; j += 4) {
          const step = adamMomentsAndStep(gPtr, mPtr, vPtr, j << 2, lrV, b1, b2, ob1, ob2, epsV, c1V, c2V, min);
          v128.store(steps + ((j - i) << 2), step);
        }
        for (let j = i; j < end; j += 4) {
          const o = j << 2;
          const w = f32x4.mul(v128.load(wPtr + o), keepV);
          v128.store(wPtr + o, ftz(f32x4.sub(w, v128.load(steps + ((j - i) << 2))), min));
        }
        i = end;
      }
    } else if (i < n4) do {
      const o = i << 2;
      const step = adamMomentsAndStep(gPtr, mPtr, vPtr, o, lrV, b1, b2, ob1, ob2, epsV, c1V, c2V, min);
      v128.store(wPtr + o, ftz(f32x4.sub(f32x4.mul(v128.load(wPtr + o), keepV), step), min));
      i += 4;
    } while (i < n4);
  }
  adamScalarFrom(i, wPtr, gPtr, mPtr, vPtr, n, lr, beta1, beta2, oneMinusB1, oneMinusB2, eps, c1, c2, keep);
}

/**
 * Adam (Kingma & Ba, as in the reference course), with decoupled weight decay first (AdamW):
 *   w ← w·keep;  m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;
 *   w ← w − lr·(m / c1) / (√(v / c2) + ε)
 * keep = 1 − lr·weightDecay, c1 = 1 − β1^t, c2 = 1 − β2^t, and 1 − β1, 1 − β2 are computed by the
 * caller in f64 (f32(1 − f32(0.999)) would be 1.3e-5 off 0.001). m, v and w are stored flushed.
 */
export function adamUpdate(wPtr: usize, gPtr: usize, mPtr: usize, vPtr: usize, n: usize, lr: f32, beta1: f32, beta2: f32, oneMinusB1: f32, oneMinusB2: f32, eps: f32, c1: f32, c2: f32, keep: f32): void {
  adam(false, wPtr, gPtr, mPtr, vPtr, n, lr, beta1, beta2, oneMinusB1, oneMinusB2, eps, c1, c2, keep);
}

/**
 * adamUpdate with the same bits, for a w that another core has read since it was last written (a
 * part of a threaded step: the forward products cut by rows read all of w on every thread). Storing
 * to such a line waits until the other core gives it up; between Adam's divisions and square roots
 * only a few of those waits overlap, and a 2-thread update took longer than one thread's. Here the
 * steps of a chunk go to scratch first, then the chunk's w is updated in one light loop, whose stores
 * ask for many lines at once. Where w is not shared (one thread) the extra pass costs 10–15%.
 */
export function adamUpdateInChunks(wPtr: usize, gPtr: usize, mPtr: usize, vPtr: usize, n: usize, lr: f32, beta1: f32, beta2: f32, oneMinusB1: f32, oneMinusB2: f32, eps: f32, c1: f32, c2: f32, keep: f32): void {
  adam(true, wPtr, gPtr, mPtr, vPtr, n, lr, beta1, beta2, oneMinusB1, oneMinusB2, eps, c1, c2, keep);
}

/**
 * SGD as in the reference course, with decoupled weight decay first:
 *   w ← w·keep;  then with momentum (mPtr ≠ 0): u ← μ·u − lr·g, w ← w + u;  without: w ← w − lr·g.
 * u and w are stored flushed.
 */
export function sgdUpdate(wPtr: usize, gPtr: usize, mPtr: usize, n: usize, lr: f32, momentum: f32, keep: f32): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const n4 = n & ~3;
    const lrV = f32x4.splat(lr), mu = f32x4.splat(momentum), keepV = f32x4.splat(keep), min = f32x4.splat(FLT_MIN);
    if (i < n4) do {
      const o = i << 2;
      const w = f32x4.mul(v128.load(wPtr + o), keepV);
      const step = f32x4.mul(lrV, v128.load(gPtr + o));
      if (mPtr) {
        const u = ftz(f32x4.sub(f32x4.mul(mu, v128.load(mPtr + o)), step), min);
        v128.store(mPtr + o, u);
        v128.store(wPtr + o, ftz(f32x4.add(w, u), min));
      } else {
        v128.store(wPtr + o, ftz(f32x4.sub(w, step), min));
      }
      i += 4;
    } while (i < n4);
  }
  for (; i < n; i++) {
    const o = i << 2;
    const w = load<f32>(wPtr + o) * keep;
    const step = lr * load<f32>(gPtr + o);
    if (mPtr) {
      const u = ftzScalar(momentum * load<f32>(mPtr + o) - step);
      store<f32>(mPtr + o, u);
      store<f32>(wPtr + o, ftzScalar(w + u));
    } else {
      store<f32>(wPtr + o, ftzScalar(w - step));
    }
  }
}
