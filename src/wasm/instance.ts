// Loads the embedded kernels once and owns the default instance. The only module, with heap.ts,
// that touches WebAssembly.
import { simdWasmBase64, scalarWasmBase64, relaxedSimdWasmBase64 } from "./embedded.js";
import { Accumulator } from "./accumulator.js";
import { Heap } from "./heap.js";
import { importSharedMemory, SHARED_MAXIMUM_PAGES } from "./shared-memory.js";
import { availableThreads, sharedMemorySupported } from "./threads-available.js";
import { ThreadPool } from "./thread-pool.js";
import { beginLane, endLane, recordCall, replayTape, runDeferredReleases } from "./tape.js";

/** What record() measured, in ms from the workers' start: the calling thread's lane, the others'. */
export interface LaneTimes {
  own: number;
  others: number;
}

/** The raw kernel exports: pointers, counts and scalars (see assembly/). */
export interface KernelExports {
  heapBase(): number;
  l1Penalty(accPtr: number, xPtr: number, n: number): void;
  l2Penalty(accPtr: number, xPtr: number, n: number): void;
  penalty(accPtr: number, xPtr: number, n: number): void;
  addPenaltyGrad(
    gradPtr: number,
    accPtr: number,
    xPtr: number,
    n: number,
    l1: number,
    l2: number,
    signAtZero: number,
  ): void;
  randomUint32(outPtr: number, n: number, seedLo: number, seedHi: number, stream: number, offset: number): void;
  dropout(
    outPtr: number,
    maskPtr: number,
    xPtr: number,
    n: number,
    rate: number,
    seedLo: number,
    seedHi: number,
    stream: number,
    offset: number,
  ): void;
  dropoutBackward(outPtr: number, dyPtr: number, maskPtr: number, n: number, rate: number): void;
  // layer kernels (assembly/matmul.ts, activation.ts, softmax.ts, loss.ts, optimizer.ts)
  matmulRows(
    outPtr: number,
    aPtr: number,
    bPtr: number,
    biasPtr: number,
    m: number,
    k: number,
    n: number,
    relu: number,
  ): void;
  matmulRowsBand(
    outPtr: number,
    aPtr: number,
    bPtr: number,
    biasPtr: number,
    m: number,
    k: number,
    n: number,
    ld: number,
    relu: number,
  ): void;
  matmulDots(
    outPtr: number,
    aPtr: number,
    btPtr: number,
    biasPtr: number,
    m: number,
    k: number,
    n: number,
    relu: number,
  ): void;
  matmulTN(outPtr: number, atPtr: number, bPtr: number, m: number, p: number, q: number, accumulate: number): void;
  colSums(outPtr: number, aPtr: number, yPtr: number, m: number, n: number, j0: number, j1: number): void;
  transpose(outPtr: number, aPtr: number, m: number, n: number, j0: number, j1: number): void;
  reluForward(outPtr: number, xPtr: number, n: number): void;
  reluBackward(outPtr: number, dyPtr: number, yPtr: number, n: number): void;
  sigmoidForward(outPtr: number, xPtr: number, n: number): void;
  sigmoidBackward(outPtr: number, dyPtr: number, yPtr: number, n: number): void;
  tanhForward(outPtr: number, xPtr: number, n: number): void;
  tanhBackward(outPtr: number, dyPtr: number, yPtr: number, n: number): void;
  softmaxCrossEntropy(
    dzPtr: number,
    probsPtr: number,
    accPtr: number,
    zPtr: number,
    labelsPtr: number,
    m: number,
    n: number,
    gradScale: number,
  ): void;
  softmaxForward(outPtr: number, zPtr: number, m: number, n: number): void;
  softmaxBackward(outPtr: number, dyPtr: number, yPtr: number, m: number, n: number): void;
  // value-target losses (assembly/loss.ts)
  binaryCrossEntropy(
    dpPtr: number,
    accPtr: number,
    pPtr: number,
    yPtr: number,
    m: number,
    n: number,
    gradScale: number,
  ): void;
  meanSquaredError(
    dpPtr: number,
    accPtr: number,
    pPtr: number,
    yPtr: number,
    m: number,
    n: number,
    gradScale: number,
  ): void;
  meanAbsoluteError(
    dpPtr: number,
    accPtr: number,
    pPtr: number,
    yPtr: number,
    m: number,
    n: number,
    gradScale: number,
  ): void;
  adamUpdate(
    wPtr: number,
    gPtr: number,
    mPtr: number,
    vPtr: number,
    n: number,
    lr: number,
    beta1: number,
    beta2: number,
    oneMinusB1: number,
    oneMinusB2: number,
    eps: number,
    c1: number,
    c2: number,
    keep: number,
  ): void;
  adamUpdateInChunks: KernelExports["adamUpdate"];
  sgdUpdate(wPtr: number, gPtr: number, mPtr: number, n: number, lr: number, momentum: number, keep: number): void;
  // training-loop kernels (assembly/finite.ts, gather.ts)
  allFinite(xPtr: number, n: number): number;
  // reductions in parts for threads (assembly/block-sums.ts) and per-instance scratch (reduce.ts)
  penaltyBlocks(outPtr: number, xPtr: number, n: number, sums: number): void;
  addPenaltyGradBlocks(
    gradPtr: number,
    outPtr: number,
    xPtr: number,
    n: number,
    l1: number,
    l2: number,
    signAtZero: number,
  ): void;
  addBlockTotals(accPtr: number, blocksPtr: number, blocks: number, sums: number): void;
  scratchBytes(): number;
  useScratch(ptr: number): void;
  // projections after an update (assembly/projection.ts)
  softThreshold(wPtr: number, n: number, threshold: number): void;
  clampNonNegative(wPtr: number, n: number): void;
  columnSquares(sumsPtr: number, wPtr: number, rows: number, cols: number): void;
  rowSquares(sumsPtr: number, wPtr: number, rows: number, cols: number): void;
  scaleColumns(wPtr: number, factorsPtr: number, rows: number, cols: number): void;
  scaleRows(wPtr: number, factorsPtr: number, rows: number, cols: number): void;
  // label-smoothed cross-entropies (assembly/label-smoothing.ts)
  softmaxCrossEntropySmoothed(
    dzPtr: number,
    accPtr: number,
    zPtr: number,
    labelsPtr: number,
    m: number,
    n: number,
    gradScale: number,
    smoothing: number,
  ): void;
  binaryCrossEntropySmoothed(
    dpPtr: number,
    accPtr: number,
    pPtr: number,
    yPtr: number,
    m: number,
    n: number,
    gradScale: number,
    smoothing: number,
  ): void;
  gatherRows(dstPtr: number, srcPtr: number, idxPtr: number, count: number, width: number): void;
  // the dropout family (assembly/noise-mask.ts, normal.ts, selu.ts)
  dropoutMask(
    maskPtr: number,
    n: number,
    rate: number,
    seedLo: number,
    seedHi: number,
    stream: number,
    offset: number,
  ): void;
  applyNoiseMask(
    outPtr: number,
    xPtr: number,
    maskPtr: number,
    dimsPtr: number,
    rank: number,
    n: number,
    scale: number,
    shift: number,
    dropped: number,
  ): void;
  randomNormal(outPtr: number, n: number, seedLo: number, seedHi: number, stream: number, offset: number): void;
  gaussianNoise(
    outPtr: number,
    xPtr: number,
    n: number,
    stddev: number,
    seedLo: number,
    seedHi: number,
    stream: number,
    offset: number,
  ): void;
  gaussianDropout(
    outPtr: number,
    xPtr: number,
    n: number,
    stddev: number,
    seedLo: number,
    seedHi: number,
    stream: number,
    offset: number,
  ): void;
  seluForward(outPtr: number, xPtr: number, n: number): void;
  seluBackward(outPtr: number, dyPtr: number, yPtr: number, n: number): void;
  addInto(dstPtr: number, srcPtr: number, n: number): void;
}

/** The name of one kernel export (what `Instance.run` dispatches). */
export type KernelName = Exclude<keyof KernelExports, "heapBase" | "scratchBytes" | "useScratch">;

/** Which embedded build an instance runs ("relaxed-simd": SIMD with fused multiply-add products). */
export type BuildName = "simd" | "scalar" | "relaxed-simd";

/** One instantiated build with its own memory. Buffers belong to exactly one instance. */
export class Instance {
  /** The shared accumulator of the one-call reductions (penalties, gradients). */
  readonly acc: Accumulator;
  private scratchPtr = 0;
  private scratchBytes = 0;
  readonly #pool: ThreadPool | null;
  readonly #kernelIndex: ReadonlyMap<string, number>;
  /** The kernels by index (the order workers use). */
  readonly #byIndex: readonly ((...args: number[]) => unknown)[];
  readonly #direct: KernelExports;
  /** Stand-ins for the kernels that append each call to the lane being recorded. */
  readonly #recorders: KernelExports;
  /** The calls of each lane of the open recording; null when none is open. */
  #tapes: number[][] | null = null;
  #lane = 0;
  /** The calling thread is running the last lane of record() while workers replay the others. */
  #inLane = false;
  /** When the calling thread's lane first saw the workers' lanes done (0: not yet). */
  #othersDoneAt = 0;
  /** f64 words in WASM memory that tapes are copied to for the threads to replay. */
  #tapeWords = { ptr: 0, length: 0 };

  constructor(
    readonly simd: boolean,
    kernels: KernelExports,
    readonly heap: Heap,
    pool: ThreadPool | null = null,
    readonly build: BuildName = simd ? "simd" : "scalar",
  ) {
    this.acc = new Accumulator(heap);
    this.#pool = pool;
    this.#direct = kernels;
    const names = kernelNames(kernels);
    this.#kernelIndex = new Map(names.map((name, index) => [name, index]));
    this.#byIndex = names.map((name) => (kernels as unknown as Record<string, (...a: number[]) => unknown>)[name]);
    const recorders: Record<string, (...args: number[]) => void> = {};
    names.forEach((name, index) => {
      recorders[name] = (...args) => recordCall(this.#tapes![this.#lane], index, args);
    });
    this.#recorders = recorders as unknown as KernelExports;
    if (pool) workerReaper?.register(this, pool);
  }

  /** The raw kernel exports; while a lane is being recorded (see record), recorders of them. */
  get kernels(): KernelExports {
    return this.#tapes ? this.#recorders : this.#direct;
  }

  /** True while record() is recording a lane: kernel calls are then recorded, not run. */
  get recording(): boolean {
    return this.#tapes !== null;
  }

  /**
   * Runs `lanes` lanes of work at the same time, one per thread: `recordLane(lane)` is called for each
   * lane in order, and every kernel call it makes (through `kernels` or `run`) for a lane but the last
   * is recorded instead of run, so it may read no result of a kernel. Once all but the last lane are
   * recorded, the workers replay them, each lane's calls in order, while the calling thread runs the
   * last lane's calls as they are made; this returns when all lanes are done, with how long the
   * calling thread's lane and the other lanes took from the workers' start (null when no worker ran
   * them). Lanes must write disjoint memory. A throw while recording runs no recorded call (what
   * unrecorded() ran has run).
   */
  record(lanes: number, recordLane: (lane: number) => void): LaneTimes | null {
    if (this.#tapes || this.#inLane) throw new Error("regwasm: record() cannot be nested");
    const tapes: number[][] = Array.from({ length: lanes - 1 }, () => []);
    this.#tapes = tapes;
    try {
      for (let lane = 0; lane < lanes - 1; lane++) {
        this.#lane = lane;
        beginLane(lane);
        recordLane(lane);
      }
    } catch (error) {
      runDeferredReleases();
      throw error;
    } finally {
      this.#tapes = null;
      this.#lane = 0;
      endLane();
    }
    const pool = this.#pool;
    let started = false;
    try {
      const replay = this.#replayer(tapes);
      if (pool && tapes.length) {
        pool.start(this.#byIndex.length, replay.run as (...args: number[]) => unknown, replay.parts);
        started = true;
      } else for (const [from, length] of replay.parts) replay.run(from, length);
      // the last lane on this thread, its calls made at once: one thread, no job of its own
      const start = performance.now();
      this.#othersDoneAt = 0;
      this.#inLane = true;
      beginLane(lanes - 1);
      let failure: unknown = null;
      try {
        recordLane(lanes - 1);
      } catch (error) {
        failure = error;
      } finally {
        endLane();
        this.#inLane = false;
      }
      const ownEnd = performance.now();
      try {
        if (started) pool!.finish(); // the workers' lanes end before anything else may run
      } catch (error) {
        failure ??= error; // the first failure is the one reported
      }
      if (failure !== null) throw failure;
      if (!started) return null;
      const othersEnd = this.#othersDoneAt || performance.now();
      return { own: ownEnd - start, others: othersEnd - start };
    } finally {
      runDeferredReleases();
    }
  }

  /** Runs `fn` with its kernel calls made at once, also while a lane is being recorded. */
  unrecorded<T>(fn: () => T): T {
    const tapes = this.#tapes;
    this.#tapes = null;
    try {
      return fn();
    } finally {
      this.#tapes = tapes;
    }
  }

  /** The tapes copied into WASM memory: one part [first word, length] each, and how to replay one. */
  #replayer(tapes: number[][]): { parts: [number, number][]; run: (from: number, length: number) => void } {
    const total = tapes.reduce((n, tape) => n + tape.length, 0);
    if (total > this.#tapeWords.length) {
      const length = Math.max(total, 2 * this.#tapeWords.length, 1024);
      if (this.#tapeWords.length) this.heap.free(this.#tapeWords.ptr);
      this.#tapeWords = { ptr: 0, length: 0 }; // freed, in case the allocation below throws
      this.#tapeWords = { ptr: this.heap.alloc(8 * length), length };
    }
    const words = this.heap.f64();
    const parts: [number, number][] = [];
    let at = this.#tapeWords.ptr >>> 3;
    for (const tape of tapes) {
      words.set(tape, at);
      parts.push([at, tape.length]);
      at += tape.length;
    }
    const byIndex = this.#byIndex;
    return { parts, run: (from, length) => replayTape(this.heap.f64(), from, length, byIndex) };
  }

  /** Byte address of the shared accumulator. */
  get accPtr(): number {
    return this.acc.ptr;
  }

  /** A reusable region of at least `bytes` for copy windows; may move (and grow memory). */
  scratch(bytes: number): number {
    if (bytes > this.scratchBytes) {
      if (this.scratchBytes) this.heap.free(this.scratchPtr);
      this.scratchPtr = this.heap.alloc(bytes);
      this.scratchBytes = bytes;
    }
    return this.scratchPtr;
  }

  /** How many threads run kernel parts (1: everything on the calling thread). */
  get threads(): number {
    return this.#pool && !this.#tapes && !this.#inLane ? this.#pool.size : 1; // a lane runs on one thread
  }

  /** How many threads could replay lanes at once (threads, also while recording). */
  get laneThreads(): number {
    return this.#pool ? this.#pool.size : 1;
  }

  /**
   * Calls `kernel` once per part (each its full argument list). With threads, parts run at the same
   * time (the first on the calling thread) and this returns when all are done: parts must write
   * disjoint memory, and the kernel must give the same bits however the work is cut.
   */
  run<K extends KernelName>(kernel: K, parts: readonly Parameters<KernelExports[K]>[]): void {
    if (this.#tapes) {
      const index = this.#kernelIndex.get(kernel)!;
      for (const args of parts) recordCall(this.#tapes[this.#lane], index, args as number[]);
      return;
    }
    const fn = this.#direct[kernel] as (...args: number[]) => unknown;
    if (this.#pool && parts.length > 1 && !this.#inLane) this.#pool.run(this.#kernelIndex.get(kernel)!, fn, parts);
    else for (const args of parts) fn(...(args as number[]));
    // in the calling thread's lane: the first moment it sees the workers' lanes done (record's times)
    if (this.#inLane && this.#othersDoneAt === 0 && this.#pool?.openJobDone) this.#othersDoneAt = performance.now();
  }

  /** Stops this instance's worker threads (kernels then run on the calling thread only). */
  stopThreads(): void {
    this.#pool?.terminate();
  }

  /** Zeroes the reduction accumulators. */
  clearAcc(): void {
    this.acc.clear();
  }

  /** [Σ|x|, Σx²] accumulated since clearAcc(). */
  readAcc(): [number, number] {
    return this.acc.read();
  }
}

/** Workers of an instance that is garbage-collected are stopped with it. */
const workerReaper =
  typeof FinalizationRegistry === "function" ? new FinalizationRegistry<ThreadPool>((pool) => pool.terminate()) : null;

/** Every exported function of a build, in a fixed order (workers look kernels up by index). */
function kernelNames(kernels: KernelExports): string[] {
  return Object.keys(kernels)
    .filter((name) => typeof (kernels as unknown as Record<string, unknown>)[name] === "function")
    .sort();
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

let simdBytes: Uint8Array<ArrayBuffer> | undefined;
/** True when this runtime validates the SIMD build (WebAssembly fixed-width SIMD). */
export function simdSupported(): boolean {
  simdBytes ??= decode(simdWasmBase64);
  return WebAssembly.validate(simdBytes);
}

let relaxedBytes: Uint8Array<ArrayBuffer> | undefined;
/** True when this runtime validates the relaxed-SIMD build (Chromium ≥ 114, Node ≥ 22; Node 20 behind a flag). */
export function relaxedSimdSupported(): boolean {
  relaxedBytes ??= decode(relaxedSimdWasmBase64);
  return WebAssembly.validate(relaxedBytes);
}

export interface InitOptions {
  /** Force the SIMD (true) or the scalar (false) build; default: SIMD where the runtime supports it. */
  simd?: boolean;
  /**
   * Threads that run kernels (the calling thread and threads − 1 workers); default: the cores
   * available. More than 1 needs SharedArrayBuffer (in browsers: a cross-origin isolated page);
   * without it, kernels run on the calling thread alone.
   */
  threads?: number;
  /**
   * Load the relaxed-SIMD build instead (default false): its matrix products use fused multiply-add
   * where the CPU has it, so they are faster but round differently from the exact builds, and may
   * differ between machines. An error where the runtime lacks relaxed SIMD.
   */
  relaxedSimd?: boolean;
}

/** Most threads an instance may start. */
export const MAX_THREADS = 256;

/** Instantiates a fresh, independent instance (its own memory). Most users want init() instead. */
export async function instantiate(options: InitOptions = {}): Promise<Instance> {
  const read = readInitOptions(options);
  const relaxedSimd = read.relaxedSimd ?? false;
  if (relaxedSimd && !relaxedSimdSupported())
    throw new Error(
      "regwasm: this runtime does not support WebAssembly relaxed SIMD (Chromium ≥ 114, Node ≥ 22, Node 20 with --experimental-wasm-relaxed-simd); drop { relaxedSimd: true }",
    );
  const useSimd = relaxedSimd || (read.simd ?? simdSupported());
  if (useSimd && !simdSupported())
    throw new Error("regwasm: this runtime does not support WebAssembly SIMD; use { simd: false }");
  const threads = Math.min(read.threads ?? (await availableThreads()), sharedMemorySupported() ? MAX_THREADS : 1);
  if (useSimd) simdBytes ??= decode(simdWasmBase64);
  const bytes = relaxedSimd ? relaxedBytes! : useSimd ? simdBytes! : decode(scalarWasmBase64);
  const build = relaxedSimd ? "relaxed-simd" : undefined;
  if (threads === 1) {
    const memory = new WebAssembly.Memory({ initial: 2 });
    const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
    const kernels = instance.exports as unknown as KernelExports;
    return new Instance(useSimd, kernels, new Heap(memory, kernels.heapBase()), null, build);
  }
  const sharedBytes = importSharedMemory(bytes);
  const module = await WebAssembly.compile(sharedBytes);
  const memory = new WebAssembly.Memory({ initial: 2, maximum: SHARED_MAXIMUM_PAGES, shared: true });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const kernels = instance.exports as unknown as KernelExports;
  const heap = new Heap(memory, kernels.heapBase());
  let pool: ThreadPool;
  try {
    pool = await ThreadPool.start(sharedBytes, memory, threads - 1, kernelNames(kernels), () =>
      heap.alloc(kernels.scratchBytes()),
    );
  } catch (error) {
    // e.g. a Content-Security-Policy without blob: workers: the default falls back to one thread
    if (read.threads !== undefined) throw error;
    return instantiate({ simd: useSimd, relaxedSimd, threads: 1 });
  }
  return new Instance(useSimd, kernels, heap, pool, build);
}

let active: Instance | undefined;
let loading: Promise<Instance> | undefined;

/** { simd?, relaxedSimd?, threads? } read once; anything else is an error (this floor is below validate.ts, hence checked here). */
function readInitOptions(options: unknown): InitOptions {
  if (options === null || typeof options !== "object")
    throw new TypeError("options must be an object like { simd, threads }");
  const unknown = Object.keys(options).find((key) => key !== "simd" && key !== "relaxedSimd" && key !== "threads");
  if (unknown !== undefined)
    throw new TypeError(`options.${unknown} is not a known option; the options are simd, relaxedSimd and threads`);
  const { simd, relaxedSimd, threads } = options as { simd?: unknown; relaxedSimd?: unknown; threads?: unknown };
  if (simd !== undefined && typeof simd !== "boolean")
    throw new TypeError(`options.simd must be a boolean, got ${typeof simd}`);
  if (relaxedSimd !== undefined && typeof relaxedSimd !== "boolean")
    throw new TypeError(`options.relaxedSimd must be a boolean, got ${typeof relaxedSimd}`);
  if (relaxedSimd && simd === false)
    throw new TypeError("options.relaxedSimd is a SIMD build: it cannot be combined with simd: false");
  if (
    threads !== undefined &&
    !(Number.isInteger(threads) && (threads as number) >= 1 && (threads as number) <= MAX_THREADS)
  )
    throw new RangeError(`options.threads must be an integer from 1 to ${MAX_THREADS}, got ${String(threads)}`);
  return { simd, relaxedSimd, threads: threads as number | undefined };
}

/**
 * Loads the embedded WASM once; later calls wait for that same load. Kernels throw until it resolves.
 * Asking for a different build or thread count than the one already loaded throws.
 */
export function init(options: InitOptions = {}): Promise<void> {
  let read: InitOptions;
  try {
    read = readInitOptions(options);
  } catch (error) {
    return Promise.reject(error);
  }
  if (!loading) {
    loading = instantiate(read).then((inst) => (active = inst));
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading.then((inst) => {
    if (read.simd !== undefined && inst.simd !== read.simd) {
      throw new Error(`regwasm: init() already loaded the ${inst.simd ? "SIMD" : "scalar"} build`);
    }
    if (
      read.threads !== undefined &&
      inst.threads !== Math.min(read.threads, sharedMemorySupported() ? MAX_THREADS : 1)
    ) {
      throw new Error(`regwasm: init() already started ${inst.threads} thread${inst.threads === 1 ? "" : "s"}`);
    }
    if (read.relaxedSimd !== undefined && read.relaxedSimd !== (inst.build === "relaxed-simd")) {
      throw new Error(`regwasm: init() already loaded the ${inst.build} build`);
    }
  });
}

/** The instance init() loaded; throws a clear error before init() has resolved. */
export function defaultInstance(): Instance {
  if (!active) throw new Error("regwasm: not initialized: call `await init()` before using any kernel");
  return active;
}

/** Which build is live: true for SIMD (exact or relaxed), false for scalar. Throws before init(). */
export function simd(): boolean {
  return defaultInstance().simd;
}

/** How many threads run the kernels of init()'s instance (1: the calling thread only). Throws before init(). */
export function threads(): number {
  return defaultInstance().threads;
}

/** Which build is live: "simd", "scalar" or "relaxed-simd" (init({ relaxedSimd: true })). Throws before init(). */
export function build(): BuildName {
  return defaultInstance().build;
}
