// The layout of the control block (an Int32Array over a SharedArrayBuffer, apart from WASM memory so
// that memory growth never moves it) through which the calling thread hands kernel parts to workers,
// and the rule by which threads take parts. Shared by the pool and the worker source.
//
// A job is one kernel over `count` parts. Every thread, the caller included, takes parts one at a time
// by moving the claim word from job·1024 + i to job·1024 + i + 1 (a compare-exchange that fails once
// the caller has started the next job), so a busy thread simply takes fewer parts.

/** Most arguments a kernel takes (adamUpdate: 14). */
export const MAX_ARGS = 16;
/** Most parts in one job (a call with more runs as several jobs). */
export const MAX_PARTS = 64;
/** Parts finished in the current job. */
export const DONE = 0;
/** Set when a part threw. */
export const FAILED = 1;
/** The job counter: workers wait on it. */
export const GO = 2;
/** The claim word: job tag · 1024 + the next part to take. */
export const NEXT = 3;
/** Parts in the current job, its kernel (an index into the kernel list) and argument count. */
export const COUNT = 4;
export const KERNEL = 5;
export const ARGC = 6;
/** f64 index of part 0's arguments (after one cache line of shared words); part i follows at i·MAX_ARGS. */
export const ARGS_AT = 8;
/** Job tags wrap at 2^20, so that tag · 1024 + i stays a positive int32. */
export const TAG_MASK = 0xfffff;
export const PARTS_PER_TAG = 1024;

/** Bytes of the control block. */
export const CONTROL_BYTES = (ARGS_AT + MAX_PARTS * MAX_ARGS) * 8;

/**
 * The stores that open job `job` (before its arguments are written and GO moves), in order. The claim
 * word closes first, on the new tag past any part: a worker still looping over the previous job may
 * read the new COUNT, and then its compare-exchange, which expects the previous claim word, fails.
 * (Closing last let such a worker take a part of the new job outside the count, so the caller could
 * return while a part was still running.)
 */
export function jobOpening(job: number, count: number, kernel: number, argc: number): readonly [number, number][] {
  const base = (job & TAG_MASK) * PARTS_PER_TAG;
  return [
    [NEXT, base + PARTS_PER_TAG - 1],
    [DONE, 0],
    [COUNT, count],
    [KERNEL, kernel],
    [ARGC, argc],
    [NEXT, base],
  ];
}
