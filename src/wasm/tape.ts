// Recorded kernel calls that a thread replays on its own: a training batch is cut into lanes of whole
// sum slots (row-groups.ts), the forward and backward of every lane but the last are recorded (the
// JavaScript of the layers runs once, on the calling thread, with the kernels turned into recorders),
// then the workers replay those lanes in a single job while the calling thread runs the last one. One
// hand-off per batch instead of one per kernel call: a hand-off costs microseconds, and the activations
// of a lane stay in the cache of the core that made them (Instance.record).
//
// A tape is a run of f64 words in WASM memory: per call, the kernel's index, its argument count, then
// the arguments. Workers replay with the steps written out in worker-source.ts; replayTape below is the
// same for the calling thread (an instance without workers replays every lane itself).

/** The lane being recorded or run by record() (0 outside it): per-lane workspaces key on it. */
let recordingLane = 0;
/** Releases of memory that recorded calls may still use, run once the tapes have been replayed. */
let deferred: (() => void)[] | null = null;

/** The lane being recorded or run, 0 outside record(). */
export function currentLane(): number {
  return recordingLane;
}

/** Runs `release` now, or after the replay inside record() (recorded calls may still use the memory). */
export function releaseAfterReplay(release: () => void): void {
  if (deferred) deferred.push(release);
  else release();
}

/** Marks lane `lane` as being recorded or run until endLane(). */
export function beginLane(lane: number): void {
  recordingLane = lane;
  deferred ??= [];
}

/** Ends the lane being recorded. */
export function endLane(): void {
  recordingLane = 0;
}

/** After the replay: the releases the recording deferred. */
export function runDeferredReleases(): void {
  const pending = deferred ?? [];
  deferred = null;
  for (const release of pending) release();
}

/** Appends one call of kernel number `kernel` with `args` to `tape`. */
export function recordCall(tape: number[], kernel: number, args: ArrayLike<number>): void {
  tape.push(kernel, args.length);
  for (let i = 0; i < args.length; i++) tape.push(args[i]);
}

/** Runs the `length` words of tape at f64 index `at` of `words` with the functions of `kernels`. */
export function replayTape(
  words: Float64Array,
  at: number,
  length: number,
  kernels: readonly ((...args: number[]) => unknown)[],
): void {
  const argv: number[] = [];
  for (let i = at, end = at + length; i < end; ) {
    const kernel = words[i];
    const argc = words[i + 1];
    argv.length = argc;
    for (let j = 0; j < argc; j++) argv[j] = words[i + 2 + j];
    kernels[kernel].apply(null, argv);
    i += 2 + argc;
  }
}
