// Adam's step of the MNIST MLP (784-512-512-10: 669,706 parameters) on 1 and on 2 threads, alone:
// `node bench/threads/adam.mjs`. "warm": step after step, the 10.7 MB of weights, gradients and
// moments stay in the caches; "flushed": a 64 MiB read between steps evicts them, as a training step's
// forward and backward passes do; "W read by both" (2 threads): before each step both threads read
// every weight matrix whole, as the forward products cut by rows do in training; "W read in halves":
// each thread reads the half of every weight matrix it then updates. On 2 threads each configuration
// runs both kernels, in the same parts: adamUpdate (each element's w stored as soon as its step is
// known) and adamUpdateInChunks (what a threaded step runs: 1024 steps to scratch, then their w in one
// light loop). Microseconds per step, each configuration over 180 steps (after 20), interleaved over 3
// rounds. Training measures the same step inside its batch (`node bench/mnist/profile.mjs --threads
// 2`). A line of w the other core has read must be taken from it before it is written; between
// Adam's divisions and square roots only a few such requests overlap, and adamUpdate on 2 threads
// took longer after both threads read W whole (0.96–1.09 ms) than on one thread (0.65–0.86 ms), while
// adamUpdateInChunks stores a chunk's lines in one burst.
import { allocF32, instantiate, l2Penalty } from "../../dist/index.js";
import { ADAM_MIN_PART } from "../../dist/kernels/optimizer.js";
import { runSplit } from "../../dist/wasm/run-split.js";

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
  /** One step of `kernel`, each parameter cut as adamUpdate's wrapper cuts it (runSplit). */
  const step = (kernel) => {
    const { lr, beta1, beta2, epsilon, c1, c2, keep } = STEP;
    for (const [w, g, m, v] of params) {
      runSplit(inst, kernel, w.length, 4, ADAM_MIN_PART, (s, e) => [
        w.ptr + 4 * s,
        g.ptr + 4 * s,
        m.ptr + 4 * s,
        v.ptr + 4 * s,
        e - s,
        lr,
        beta1,
        beta2,
        1 - beta1,
        1 - beta2,
        epsilon,
        c1,
        c2,
        keep,
      ]);
    }
  };
  return {
    step,
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
    for (const threads of label.startsWith("W") ? [2] : [1, 2])
      for (const kernel of threads === 1 ? ["adamUpdate"] : ["adamUpdate", "adamUpdateInChunks"]) {
        const { step, before } = configs[threads];
        let ms = 0;
        for (let i = 0; i < 200; i++) {
          before[label]();
          const t0 = performance.now();
          step(kernel);
          if (i >= 20) ms += performance.now() - t0;
        }
        const us = ((ms / 180) * 1000).toFixed(0);
        console.log(`round ${round}, ${label}, ${threads} thread(s), ${kernel}: ${us} µs per step`);
      }
process.exit(0);
