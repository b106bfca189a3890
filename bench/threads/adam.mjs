// Adam's step of the MNIST MLP (784-512-512-10: 669,706 parameters) on 1 and on 2 threads, alone:
// `node bench/threads/adam.mjs`. "warm": step after step, the 10.7 MB of weights, gradients and
// moments stay in the caches; "flushed": a 64 MiB read between steps evicts them, as a training step's
// forward and backward passes do; "W read by both" (2 threads): before each step both threads read
// every weight matrix whole, as the forward products cut by rows do in training; "W read in halves":
// each thread reads the half of every weight matrix it then updates. Microseconds per step, each
// configuration over 180 steps (after 20), interleaved over 3 rounds. Training measures the same step
// inside its batch (`node bench/mnist/profile.mjs --threads 2`); a gap between the two figures is what
// the rest of the step leaves in the caches (lines the other core wrote or holds), not the update
// itself. One run at a busy hour (2026-12-06 18:30 UTC, rounds 2–3): 1 thread 0.81–0.86 ms; 2 threads
// warm 0.45–0.47, after the reads in halves 0.46, after both threads read W whole 0.96–1.00 ms, more
// than one thread takes (a line the other core holds must be taken from it before it is written, and
// Adam's divisions and square roots leave few such requests in flight).
import { allocF32, instantiate, l2Penalty } from "../../dist/index.js";
import { adamUpdate } from "../../dist/kernels/optimizer.js";

const SIZES = [784 * 512, 512, 512 * 512, 512, 512 * 10, 10];
const STEP = { beta1: 0.9, beta2: 0.999, lr: 1e-3, epsilon: 1e-7, c1: 0.1, c2: 0.001, keep: 1 };

async function setup(threads) {
  const inst = await instantiate({ threads });
  const params = SIZES.map((n) =>
    [0, 1, 2, 3].map(() => {
      const buffer = allocF32(n, inst);
      buffer.view().fill(0.01);
      return buffer;
    }),
  );
  const junk = allocF32(16 << 20, inst);
  junk.view().fill(1);
  /** Each thread reads whole buffers (both: all of each, as a row-cut product) or only its own half. */
  const read = (whole) => {
    for (const [w] of params) {
      const half = (w.length >> 1) & ~15;
      const parts = whole
        ? [
            [w.ptr, w.length],
            [w.ptr, w.length],
          ]
        : [
            [w.ptr, half],
            [w.ptr + 4 * half, w.length - half],
          ];
      inst.run("allFinite", parts);
    }
  };
  return {
    step: () => {
      for (const [w, g, m, v] of params) adamUpdate(w, g, m, v, STEP);
    },
    before: {
      warm: () => {},
      flushed: () => l2Penalty(junk),
      "W read by both": () => read(true),
      "W read in halves": () => read(false),
    },
  };
}

const configs = { 1: await setup(1), 2: await setup(2) };
for (let round = 1; round <= 3; round++)
  for (const label of ["warm", "flushed", "W read by both", "W read in halves"])
    for (const threads of label.startsWith("W") ? [2] : [1, 2]) {
      const { step, before } = configs[threads];
      let ms = 0;
      for (let i = 0; i < 200; i++) {
        before[label]();
        const t0 = performance.now();
        step();
        if (i >= 20) ms += performance.now() - t0;
      }
      console.log(`round ${round}, ${label}, ${threads} thread(s): ${((ms / 180) * 1000).toFixed(0)} µs per step`);
    }
process.exit(0);
