// What a second core can give at most, workload by workload: `node bench/threads/bound.mjs [--rounds 5] [--seconds 2]`.
// Up to three configurations of each workload, each in fresh processes, interleaved over rounds:
//   alone   one process on one thread;
//   pair    two such processes at once, nothing shared but the machine (caches, memory, the VM's cores);
//   threads one process on 2 threads (regwasm's threads; not for ceiling and copy, which have none).
// Every process sets up and warms its workload, then all of a configuration start together and count
// units of work for a fixed wall time. "pair" is the ideal of any 2-thread version of the workload
// (no synchronization, no shared data): its bound on a 2-thread speedup is the two processes' summed
// throughput over one process alone. "threads" is what regwasm's threads reach, over the same alone.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const WORKLOADS = {
  /** f32x4 mul + add chains in registers: the compute ceiling (no memory). */
  async ceiling() {
    const { loadLimits } = await import("../layers/limits.mjs");
    const lim = await loadLimits();
    return () => lim.peakMulAdd(20_000, 0.5, 1);
  },
  /** A copy pass over 128 MiB (64 read, 64 written): memory bandwidth. */
  async copy() {
    const { loadLimits, copyTask } = await import("../layers/limits.mjs");
    return copyTask(await loadLimits(), 128 << 20).call;
  },
  /** Σx² over 1.6e7 elements (64 MB read). */
  async l2Penalty(threads) {
    const { allocF32, init, l2Penalty } = await import("../../dist/index.js");
    await init({ threads });
    const x = allocF32(16_000_000);
    x.view().fill(0.5);
    return () => l2Penalty(x);
  },
  /** dW += λ1·sign(W) + 2·λ2·W over 1.6e7 elements (reads W and dW, writes dW). */
  async addPenaltyGrad(threads) {
    const { addPenaltyGrad, allocF32, init } = await import("../../dist/index.js");
    await init({ threads });
    const w = allocF32(16_000_000);
    const grad = allocF32(16_000_000);
    w.view().fill(0.5);
    return () => addPenaltyGrad(grad, w, { l1: 1e-6, l2: 1e-6 });
  },
  /** Inverted dropout of 1.6e7 elements into a second buffer, no mask kept. */
  async dropout(threads) {
    const { allocF32, dropout, init } = await import("../../dist/index.js");
    await init({ threads });
    const x = allocF32(16_000_000);
    const out = allocF32(16_000_000);
    x.view().fill(0.5);
    let stream = 0;
    return () => dropout(x, { rate: 0.2, seed: 1, stream: stream++, mask: false, out });
  },
  /** 16 training batches of 128 real MNIST rows through the Keras MLP example (Adam, dropout, L2). */
  async mnist(threads) {
    const { init } = await import("../../dist/index.js");
    const { loadMnistSet } = await import("../../examples/mnist-data.mjs");
    const { mnistModel } = await import("../../examples/mnist-model.mjs");
    await init({ threads });
    const { x, y } = loadMnistSet("train", 128 * 16);
    const { model, optimizer } = mnistModel();
    return () => model.fit(x, y, { epochs: 1, batchSize: 128, shuffle: false, optimizer });
  },
  /** 20 full-batch epochs of the course's dropout model (3000 × 2 → 512 → 3, Adam). */
  async course(threads) {
    const lib = await import("../../dist/index.js");
    const { courseModel } = await import("./course-model.mjs");
    await lib.init({ threads });
    const { x, y, model, optimizer } = courseModel(lib);
    return () => model.fit(x, y, { epochs: 20, optimizer });
  },
};

if (process.env.BOUND_CHILD) {
  const { workload, threads, seconds } = JSON.parse(process.env.BOUND_CHILD);
  const unit = await WORKLOADS[workload](threads);
  const warmUntil = performance.now() + 500;
  while (performance.now() < warmUntil) await unit();
  process.send("ready");
  process.once("message", async () => {
    let units = 0;
    const t0 = performance.now();
    const until = t0 + seconds * 1000;
    while (performance.now() < until) {
      await unit();
      units++;
    }
    process.send({ perSecond: units / ((performance.now() - t0) / 1000) }, () => process.exit(0));
  });
} else {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string", default: "5" },
      seconds: { type: "string", default: "2" },
      only: { type: "string" },
    },
  });
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const names = values.only ? values.only.split(",") : Object.keys(WORKLOADS);
  for (const name of names) if (!(name in WORKLOADS)) throw new Error(`--only: unknown workload "${name}"`);
  const threadless = new Set(["ceiling", "copy"]); // the limits module has no threads of its own
  const self = fileURLToPath(import.meta.url);

  /** Units per second of each of `processes` processes started together. */
  async function run(workload, threads, processes) {
    const children = Array.from({ length: processes }, () =>
      fork(self, { env: { ...process.env, BOUND_CHILD: JSON.stringify({ workload, threads, seconds }) } }),
    );
    const message = (child) => new Promise((resolve) => child.once("message", resolve));
    await Promise.all(children.map(message));
    const results = children.map(message);
    for (const child of children) child.send("go");
    return (await Promise.all(results)).map((r) => r.perSecond);
  }

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const range = (xs) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)} (median ${median(xs).toFixed(2)})`;
  console.log(
    `${rounds} rounds of ${seconds} s per configuration, interleaved; ratios against "alone" of the same round`,
  );
  for (const name of names) {
    const pair = [];
    const threads = [];
    for (let r = 0; r < rounds; r++) {
      const [alone] = await run(name, 1, 1);
      const [a, b] = await run(name, 1, 2);
      pair.push((a + b) / alone);
      if (!threadless.has(name)) threads.push((await run(name, 2, 1))[0] / alone);
    }
    console.log(
      `${name.padEnd(9)} two processes: ${range(pair)}×${threads.length ? `; 2 threads: ${range(threads)}×` : ""}`,
    );
  }
}
