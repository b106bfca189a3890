// The source of a kernel worker, embedded as text so that a worker can start from a Blob URL in a
// browser or from `eval` in Node: no file to serve, nothing for a bundler to find. Each worker
// instantiates the kernels on the shared memory, then serves jobs forever: it takes parts of the
// current job until none is left, spins briefly, then parks on Atomics.wait until the job counter moves.
import {
  ARGC,
  ARGS_AT,
  CLAIMS_AT,
  COUNT,
  DONE,
  FAILED,
  GO,
  KERNEL,
  MAX_ARGS,
  openTag,
  TAG_MASK,
} from "./pool-protocol.js";

/**
 * Polls of a shared counter before parking on Atomics.wait: ~200 µs (a poll takes ~5 ns). A training
 * step's split calls come closer together than that, with the calling thread's own work between them,
 * so workers stay awake through a step instead of paying a wake-up (tens of µs) per call: the MNIST
 * MLP's step on 2 threads took ~5% less time than with 2000 polls. The price: after its last part a
 * worker keeps a core busy that long before it parks, CPU time other processes on a busy machine
 * lose. The calling thread waits for the workers' parts with the same limit.
 */
export const SPIN_POLLS = 40_000;

/**
 * Takes and runs parts of job `job` (its GO value) until none is left; `run(kernel, argsAt)` runs one.
 * Thread `self` of `threads` (the caller is 0) takes its own block of parts first, in order, then
 * walks every other thread's block from its end, where that thread will come last. Blocks round up,
 * so that with fewer parts than threads the caller, the one thread surely awake, owns part 0. A
 * claim word is read before the compare-exchange, which would take its cache line even when it
 * fails. The calling thread runs this function; workers run the same steps from the source text
 * below (written out, not `toString()`ed, so that minifiers cannot rename what the text refers to).
 */
export function takeParts(
  control: Int32Array,
  job: number,
  run: (kernel: number, argsAt: number) => void,
  self: number,
  threads: number,
): void {
  const open = openTag(job);
  const count = Atomics.load(control, COUNT);
  for (let k = 0; k < threads; k++) {
    const owner = (self + k) % threads;
    const first = Math.ceil((owner * count) / threads);
    const end = Math.ceil(((owner + 1) * count) / threads);
    for (let j = first; j < end; j++) {
      const part = k === 0 ? j : first + end - 1 - j;
      if (Atomics.load(control, CLAIMS_AT + part) !== open) continue;
      if (Atomics.compareExchange(control, CLAIMS_AT + part, open, open + 1) !== open) continue;
      try {
        run(Atomics.load(control, KERNEL), ARGS_AT + part * MAX_ARGS);
      } catch {
        Atomics.store(control, FAILED, 1);
      }
      Atomics.add(control, DONE, 1);
      Atomics.notify(control, DONE);
    }
  }
}

export const workerSource = `"use strict";
function takeParts(control, job, run, self, threads) {
  const open = ((job & ${TAG_MASK}) << 1) + 2;
  const count = Atomics.load(control, ${COUNT});
  for (let k = 0; k < threads; k++) {
    const owner = (self + k) % threads;
    const first = Math.ceil((owner * count) / threads);
    const end = Math.ceil(((owner + 1) * count) / threads);
    for (let j = first; j < end; j++) {
      const part = k === 0 ? j : first + end - 1 - j;
      if (Atomics.load(control, ${CLAIMS_AT} + part) !== open) continue;
      if (Atomics.compareExchange(control, ${CLAIMS_AT} + part, open, open + 1) !== open) continue;
      try {
        run(Atomics.load(control, ${KERNEL}), ${ARGS_AT} + part * ${MAX_ARGS});
      } catch {
        Atomics.store(control, ${FAILED}, 1);
      }
      Atomics.add(control, ${DONE}, 1);
      Atomics.notify(control, ${DONE});
    }
  }
}
function serve(init, ready) {
  // its own module from the bytes: a module compiled on another thread kept running its baseline
  // (unoptimized) code here, about 3x slower, while a worker's own module tiers up as it runs
  const instance = new WebAssembly.Instance(new WebAssembly.Module(init.bytes), { env: { memory: init.memory } });
  const exports = instance.exports;
  if (init.scratch) exports.useScratch(init.scratch);
  const kernels = init.kernels.map((name) => exports[name]);
  const control = new Int32Array(init.control);
  const args = new Float64Array(init.control);
  const argv = [];
  // kernel number kernels.length replays a tape (tape.ts): f64 words [kernel, argc, args…] per call
  const replay = (at, length) => {
    const words = new Float64Array(init.memory.buffer);
    const callArgs = [];
    for (let i = at, end = at + length; i < end; ) {
      const argc = words[i + 1];
      callArgs.length = argc;
      for (let j = 0; j < argc; j++) callArgs[j] = words[i + 2 + j];
      kernels[words[i]].apply(null, callArgs);
      i += 2 + argc;
    }
  };
  const run = (kernel, at) => {
    argv.length = control[${ARGC}];
    for (let i = 0; i < argv.length; i++) argv[i] = args[at + i];
    if (kernel === kernels.length) replay(argv[0], argv[1]);
    else kernels[kernel].apply(null, argv);
  };
  let seen = Atomics.load(control, ${GO});
  ready();
  for (;;) {
    let polls = 0;
    while (Atomics.load(control, ${GO}) === seen) {
      if (++polls > ${SPIN_POLLS}) Atomics.wait(control, ${GO}, seen);
    }
    seen = Atomics.load(control, ${GO});
    takeParts(control, seen, run, init.self, init.threads);
  }
}
if (typeof require === "function") {
  const { parentPort, workerData } = require("node:worker_threads");
  serve(workerData, () => parentPort.postMessage("ready"));
} else {
  self.onmessage = (event) => serve(event.data, () => self.postMessage("ready"));
}
`;
