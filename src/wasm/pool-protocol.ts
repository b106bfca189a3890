// The layout of the control block (an Int32Array over a SharedArrayBuffer, apart from WASM memory so
// that memory growth never moves it) through which the calling thread hands kernel parts to workers,
// and the rule by which threads take parts. Shared by the pool and the worker source.
//
// A job is one kernel over `count` parts. Part i has a claim word that the job's opening sets to the
// job's open tag; a thread takes the part by moving it to the claimed tag (a compare-exchange). Only
// the current job's parts are ever open (a job ends when all of its parts are taken and done), so a
// thread still looping over an earlier job, which expects that job's tag, wins nothing. One stalled for
// a multiple of 2^20 jobs, whose tag has come round again, wins a part of the current job and runs it
// correctly: a thread reads the kernel and the arguments only after winning the claim. Each thread owns
// a block of consecutive parts and takes those first, then the parts others have not taken yet: calls
// that split the same arrays the same way hand each thread the same ranges, which stay in its cache,
// while a busy thread simply takes fewer parts.

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
/** Parts in the current job, its kernel (an index into the kernel list) and argument count. */
export const COUNT = 4;
export const KERNEL = 5;
export const ARGC = 6;
/** f64 index of part 0's arguments (after one cache line of shared words); part i follows at i·MAX_ARGS. */
export const ARGS_AT = 8;
/** Int32 index of part 0's claim word (after the arguments); part i's is CLAIMS_AT + i. */
export const CLAIMS_AT = (ARGS_AT + MAX_PARTS * MAX_ARGS) * 2;
/** Job tags wrap at 2^20. */
export const TAG_MASK = 0xfffff;

/** Bytes of the control block. */
export const CONTROL_BYTES = (CLAIMS_AT + MAX_PARTS) * 4;

/** A part of job `job` not taken yet; taken, it holds this + 1. Never 0, what an unused word holds. */
export function openTag(job: number): number {
  return ((job & TAG_MASK) << 1) + 2;
}

/**
 * The stores that open job `job` (after its arguments are written, before GO moves), in order: the
 * job's words first, then its parts' claim words, so that whoever wins a claim sees the whole job.
 */
export function jobOpening(job: number, count: number, kernel: number, argc: number): readonly [number, number][] {
  const open = openTag(job);
  return [
    [DONE, 0],
    [COUNT, count],
    [KERNEL, kernel],
    [ARGC, argc],
    ...Array.from({ length: count }, (_, i): [number, number] => [CLAIMS_AT + i, open]),
  ];
}
