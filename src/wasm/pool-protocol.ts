// The layout of the control block (an Int32Array over a SharedArrayBuffer, apart from WASM memory so
// that memory growth never moves it) through which the calling thread hands kernel parts to workers.
// Shared by the pool and the worker source, which must agree on every offset.

/** Most arguments a kernel takes (adamUpdate: 14). */
export const MAX_ARGS = 16;
/** Int32 words per worker slot: go counter, kernel index, argument count, padding to 64 bytes. */
export const SLOT_WORDS = 16;
/** Word 0: parts finished in the current call; word 1: set when a part threw. */
export const DONE = 0;
export const FAILED = 1;
/** Worker slots start after one cache line of shared words. */
export const SLOTS_AT = 16;
/** Offsets inside a slot. */
export const GO = 0;
export const KERNEL = 1;
export const ARGC = 2;

/** Bytes of the control block for `workers` slots, then one f64 argument row per worker. */
export function controlBytes(workers: number): number {
  return (SLOTS_AT + workers * SLOT_WORDS) * 4 + workers * MAX_ARGS * 8;
}

/** Index (in f64 units) of worker w's argument row. */
export function argsAt(workers: number, w: number): number {
  return ((SLOTS_AT + workers * SLOT_WORDS) * 4) / 8 + w * MAX_ARGS;
}
