// Adam's step of the MNIST MLP (784-512-512-10: 669,706 parameters) on 1 and on 2 threads, alone:
// `node bench/threads/adam.mjs`. "warm": step after step, the 10.7 MB of weights, gradients and
// moments stay in the caches; "flushed": a 64 MiB read between steps evicts them, as a training step's
// forward and backward passes do. Microseconds per step, each configuration over 180 steps (after
// 20), interleaved over 3 rounds. Training measures the same step inside its batch
// (`node bench/mnist/profile.mjs --threads 2`); a gap between the two figures is what the rest of the
// step leaves in the caches (lines the other core wrote or holds), not the update itself.
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
  return {
    step: () => {
      for (const [w, g, m, v] of params) adamUpdate(w, g, m, v, STEP);
    },
    flush: () => l2Penalty(junk),
  };
}

const configs = { 1: await setup(1), 2: await setup(2) };
for (let round = 1; round <= 3; round++)
  for (const flushed of [false, true])
    for (const threads of [1, 2]) {
      const { step, flush } = configs[threads];
      let ms = 0;
      for (let i = 0; i < 200; i++) {
        if (flushed) flush();
        const t0 = performance.now();
        step();
        if (i >= 20) ms += performance.now() - t0;
      }
      const label = flushed ? "flushed" : "warm";
      console.log(`round ${round}, ${label}, ${threads} thread(s): ${((ms / 180) * 1000).toFixed(0)} µs per step`);
    }
process.exit(0);
