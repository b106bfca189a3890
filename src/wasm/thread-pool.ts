// Workers that run kernel parts on the one shared memory. The calling thread writes each part's
// kernel and arguments into a worker's slot of the control block, moves the worker's go counter,
// runs the first part itself and waits for the done count: a kernel call stays synchronous.
import {
  ARGC,
  argsAt,
  controlBytes,
  DONE,
  FAILED,
  GO,
  KERNEL,
  MAX_ARGS,
  SLOT_WORDS,
  SLOTS_AT,
} from "./pool-protocol.js";
import { SPIN_POLLS, workerSource } from "./worker-source.js";

/** What a worker is started with (structured-cloned: the module and the shared buffers are shared). */
interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
  argsAt: number;
  kernels: readonly string[];
  /** Scratch for the scalar build's lanes (each instance needs its own), 0 for none. */
  lanes: number;
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
      worker.onerror = (event) => reject(new Error(`regwasm: a kernel worker failed to start: ${event.message}`));
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

export class ThreadPool {
  readonly #control: Int32Array;
  readonly #args: Float64Array;
  readonly #workers: KernelWorker[];
  readonly #blocking: boolean;

  private constructor(control: SharedArrayBuffer, workers: KernelWorker[]) {
    this.#control = new Int32Array(control);
    this.#args = new Float64Array(control);
    this.#workers = workers;
    this.#blocking = canBlock(this.#control);
  }

  /** Starts `workers` workers, each with its own instance of `module` on `memory`. */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    workers: number,
    kernels: readonly string[],
    lanes: (worker: number) => number,
  ): Promise<ThreadPool> {
    const control = new SharedArrayBuffer(controlBytes(workers));
    const start = isNode() ? startNodeWorker : startBrowserWorker;
    const started = await Promise.allSettled(
      Array.from({ length: workers }, (_, w) =>
        start({
          module,
          memory,
          control,
          slot: SLOTS_AT + w * SLOT_WORDS,
          argsAt: argsAt(workers, w),
          kernels,
          lanes: lanes(w),
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
   * instance), `size` parts at a time, and returns when all have finished.
   */
  run(kernel: number, callerKernel: (...args: number[]) => unknown, parts: readonly (readonly number[])[]): void {
    const control = this.#control;
    for (let first = 0; first < parts.length; first += this.size) {
      const round = Math.min(this.size, parts.length - first);
      Atomics.store(control, DONE, 0);
      for (let w = 0; w < round - 1; w++) {
        const args = parts[first + 1 + w];
        if (args.length > MAX_ARGS) throw new RangeError(`regwasm: a kernel part has more than ${MAX_ARGS} arguments`);
        const slot = SLOTS_AT + w * SLOT_WORDS;
        control[slot + KERNEL] = kernel;
        control[slot + ARGC] = args.length;
        this.#args.set(args, argsAt(this.#workers.length, w));
        Atomics.add(control, slot + GO, 1);
        Atomics.notify(control, slot + GO);
      }
      try {
        callerKernel(...parts[first]);
      } finally {
        this.#waitFor(round - 1); // even when the caller's part threw: workers must be idle again
      }
    }
    if (Atomics.exchange(control, FAILED, 0)) throw new Error("regwasm: a kernel part failed in a worker thread");
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
