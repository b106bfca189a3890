// Workers that run kernel parts on the one shared memory. The calling thread opens a job in the
// control block (pool-protocol.ts: the parts' arguments, then the job counter that wakes the workers),
// takes parts itself like every worker, and waits for the done count: a kernel call stays
// synchronous, and a machine too busy to run the workers costs little.
import { ARGC, ARGS_AT, CONTROL_BYTES, DONE, FAILED, GO, jobOpening, MAX_ARGS, MAX_PARTS } from "./pool-protocol.js";
import { SPIN_POLLS, takeParts, workerSource } from "./worker-source.js";

/** What a worker is started with (structured-cloned: the bytes copied, memory and control shared). */
interface WorkerInit {
  /** The build with its memory import made shared; each worker compiles it (see worker-source.ts). */
  bytes: Uint8Array;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  kernels: readonly string[];
  /** The worker instance's own scratch (the module's scratchBytes()), 0 for none. */
  scratch: number;
  /** This worker's thread number (1, 2, …; the calling thread is 0) and the threads in all. */
  self: number;
  threads: number;
}

interface KernelWorker {
  terminate(): unknown;
}

type NodeWorkerThreads = typeof import("node:worker_threads");
// a variable specifier, so that browser bundlers leave the Node-only import alone
const WORKER_THREADS_MODULE = "node:worker_threads";

const isNode = () =>
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string";

async function startNodeWorker(init: WorkerInit): Promise<KernelWorker> {
  const { Worker } = (await import(
    /* webpackIgnore: true */ /* @vite-ignore */ WORKER_THREADS_MODULE
  )) as NodeWorkerThreads;
  const worker = new Worker(workerSource, { eval: true, workerData: init });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`regwasm: a kernel worker exited (code ${code}) while starting`)));
  });
  worker.removeAllListeners();
  worker.unref(); // a parked worker must not keep the process alive
  return worker;
}

async function startBrowserWorker(init: WorkerInit): Promise<KernelWorker> {
  const url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
  try {
    const worker = new Worker(url);
    await new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      // a refused worker (e.g. a Content-Security-Policy whose worker-src lacks blob:) fires a plain Event
      worker.onerror = (event) =>
        reject(
          new Error(
            `regwasm: a kernel worker failed to start: ${event.message ?? "the browser refused a worker from a blob: URL (does a Content-Security-Policy's worker-src allow blob:?)"}`,
          ),
        );
      worker.postMessage(init);
    });
    worker.onmessage = null;
    worker.onerror = null;
    return worker;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** True where `Atomics.wait` may block this thread (not on a browser's main thread). */
function canBlock(control: Int32Array): boolean {
  try {
    Atomics.wait(control, FAILED, 1, 0); // returns "not-equal" at once where blocking is allowed
    return true;
  } catch {
    return false;
  }
}

/** Every part of a call must have the same number of arguments, at most MAX_ARGS. */
function checkParts(parts: readonly (readonly number[])[]): void {
  // every part checked before any runs: a call of several jobs must not stop after writing memory
  const argc = parts[0].length;
  if (argc > MAX_ARGS || parts.some((part) => part.length !== argc))
    throw new RangeError(`regwasm: kernel parts must have the same number of arguments, at most ${MAX_ARGS}`);
}

export class ThreadPool {
  readonly #control: Int32Array;
  readonly #args: Float64Array;
  readonly #workers: KernelWorker[];
  readonly #blocking: boolean;
  /** The job start() opened and finish() has not closed. */
  #open: { job: number; count: number; callerKernel: (...args: number[]) => unknown } | null = null;

  private constructor(control: SharedArrayBuffer, workers: KernelWorker[]) {
    this.#control = new Int32Array(control);
    this.#args = new Float64Array(control);
    this.#workers = workers;
    this.#blocking = canBlock(this.#control);
  }

  /** Starts `workers` workers, each with its own instance of the module `bytes` on `memory`. */
  static async start(
    bytes: Uint8Array,
    memory: WebAssembly.Memory,
    workers: number,
    kernels: readonly string[],
    scratch: (worker: number) => number,
  ): Promise<ThreadPool> {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    const start = isNode() ? startNodeWorker : startBrowserWorker;
    const started = await Promise.allSettled(
      Array.from({ length: workers }, (_, w) =>
        start({
          bytes,
          memory,
          control,
          kernels,
          scratch: scratch(w),
          self: w + 1,
          threads: workers + 1,
        }),
      ),
    );
    const running = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failure = started.find((s) => s.status === "rejected");
    if (failure) {
      for (const worker of running) worker.terminate();
      throw (failure as PromiseRejectedResult).reason;
    }
    return new ThreadPool(control, running);
  }

  /** Threads that run parts: the workers and the calling thread. */
  get size(): number {
    return this.#workers.length + 1;
  }

  /**
   * Runs `parts` of kernel number `kernel` (`callerKernel` is the same kernel on the calling thread's
   * instance) on every thread, the caller included, and returns when all have finished.
   */
  run(kernel: number, callerKernel: (...args: number[]) => unknown, parts: readonly (readonly number[])[]): void {
    checkParts(parts);
    if (this.#open) throw new Error("regwasm: a job is already open");
    for (let first = 0; first < parts.length; first += MAX_PARTS) {
      // the usual call fits one job: no copy of its parts
      this.#openJob(kernel, callerKernel, parts.length <= MAX_PARTS ? parts : parts.slice(first, first + MAX_PARTS));
      this.finish();
    }
  }

  /**
   * Opens a job of at most MAX_PARTS `parts` for the workers and returns at once: the calling thread
   * may do other work (on memory no part touches, and without another job) until finish(), which
   * takes the parts no worker has taken yet and waits for all.
   */
  start(kernel: number, callerKernel: (...args: number[]) => unknown, parts: readonly (readonly number[])[]): void {
    checkParts(parts);
    if (parts.length > MAX_PARTS) throw new RangeError(`regwasm: a job holds at most ${MAX_PARTS} parts`);
    if (this.#open) throw new Error("regwasm: a job is already open");
    this.#openJob(kernel, callerKernel, parts);
  }

  /** start() without its checks (the caller made them). */
  #openJob(kernel: number, callerKernel: (...args: number[]) => unknown, parts: readonly (readonly number[])[]): void {
    const control = this.#control;
    const args = this.#args;
    const argc = parts[0].length;
    const job = (Atomics.load(control, GO) + 1) | 0;
    for (let i = 0; i < parts.length; i++) args.set(parts[i], ARGS_AT + i * MAX_ARGS);
    for (const [index, value] of jobOpening(job, parts.length, kernel, argc)) Atomics.store(control, index, value);
    Atomics.store(control, GO, job);
    Atomics.notify(control, GO, parts.length);
    this.#open = { job, count: parts.length, callerKernel };
  }

  /** Whether every part of the open job is done (false when none is open). */
  get openJobDone(): boolean {
    const open = this.#open;
    return open !== null && Atomics.load(this.#control, DONE) >= open.count;
  }

  /** Takes the open job's parts that no worker has taken, waits for the rest; throws if a part failed. */
  finish(): void {
    const open = this.#open;
    if (!open) throw new Error("regwasm: no job is open");
    const control = this.#control;
    const args = this.#args;
    let failure: unknown;
    const run = (_kernel: number, at: number) => {
      try {
        open.callerKernel(...args.subarray(at, at + control[ARGC]));
      } catch (error) {
        failure ??= error;
        throw error;
      }
    };
    try {
      takeParts(control, open.job, run, 0, this.size);
    } finally {
      this.#waitFor(open.count); // even when a part threw here: workers must be idle again
      this.#open = null;
    }
    if (Atomics.exchange(control, FAILED, 0))
      throw failure ?? new Error("regwasm: a kernel part failed in a worker thread");
  }

  #waitFor(count: number): void {
    const control = this.#control;
    let polls = 0;
    for (let done = Atomics.load(control, DONE); done < count; done = Atomics.load(control, DONE)) {
      if (this.#blocking && ++polls > SPIN_POLLS) Atomics.wait(control, DONE, done);
    }
  }

  /** Stops every worker; the pool is unusable afterwards. */
  terminate(): void {
    for (const worker of this.#workers) worker.terminate();
    this.#workers.length = 0;
  }
}
