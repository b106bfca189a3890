// Recorded kernel calls that a thread replays on its own: a training batch is cut into lanes of whole
// row groups, each lane's forward and backward are recorded (the JavaScript of the layers runs once,
// on the calling thread, with the kernels turned into recorders), then every thread replays one lane
// in a single job. One job per batch instead of one per kernel call: a hand-off costs microseconds,
// and the activations of a lane stay in the cache of the core that made them.
//
// A tape is a run of f64 words in WASM memory: per call, the kernel's index, its argument count, then
// the arguments. The caller replays with replayTape below; workers with the same steps written out in
// worker-source.ts.

/** The lane whose calls are being recorded (0 when nothing is): per-lane workspaces key on it. */
let recordingLane = 0;
/** Releases of memory that recorded calls may still use, run once the tapes have been replayed. */
let deferred: (() => void)[] | null = null;

/** The lane being recorded, 0 outside a recording. */
export function currentLane(): number {
  return recordingLane;
}

/** Runs `release` now, or after the replay when a recording is open (recorded calls may use the memory). */
export function releaseAfterReplay(release: () => void): void {
  if (deferred) deferred.push(release);
  else release();
}

/** Marks lane `lane` as being recorded until `end` is called. */
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
