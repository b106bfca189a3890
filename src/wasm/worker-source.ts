// The source of a kernel worker, embedded as text so that a worker can start from a Blob URL in a
// browser or from `eval` in Node: no file to serve, nothing for a bundler to find. Each worker
// instantiates the kernels on the shared memory, then serves parts forever: it spins briefly after
// a part (training calls come back to back), then parks on Atomics.wait until its go counter moves.
import { ARGC, DONE, FAILED, GO, KERNEL } from "./pool-protocol.js";

/** Polls of the go counter before parking: about the time between two kernels of a training step. */
export const SPIN_POLLS = 20000;

export const workerSource = `"use strict";
function serve(init, ready) {
  const memory = init.memory;
  const instance = new WebAssembly.Instance(init.module, { env: { memory } });
  const exports = instance.exports;
  if (init.lanes) exports.useLanes(init.lanes);
  const kernels = init.kernels.map((name) => exports[name]);
  const control = new Int32Array(init.control);
  const args = new Float64Array(init.control);
  const slot = init.slot;
  const argsAt = init.argsAt;
  const argv = [];
  let seen = 0;
  ready();
  for (;;) {
    let polls = 0;
    while (Atomics.load(control, slot + ${GO}) === seen) {
      if (++polls > ${SPIN_POLLS}) Atomics.wait(control, slot + ${GO}, seen);
    }
    seen = Atomics.load(control, slot + ${GO});
    const count = control[slot + ${ARGC}];
    argv.length = count;
    for (let i = 0; i < count; i++) argv[i] = args[argsAt + i];
    try {
      kernels[control[slot + ${KERNEL}]].apply(null, argv);
    } catch {
      Atomics.store(control, ${FAILED}, 1);
    }
    Atomics.add(control, ${DONE}, 1);
    Atomics.notify(control, ${DONE});
  }
}
if (typeof require === "function") {
  const { parentPort, workerData } = require("node:worker_threads");
  serve(workerData, () => parentPort.postMessage("ready"));
} else {
  self.onmessage = (event) => serve(event.data, () => self.postMessage("ready"));
}
`;
