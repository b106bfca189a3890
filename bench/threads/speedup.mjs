// A model trained on 1 thread against N threads, inside one process:
//   node bench/threads/speedup.mjs [--model course|mnist] [--threads 2] [--blocks 40] [--epochs 10] [--batches 10] [--no-write]
// course: the course's dropout model (full batch 3000 × 2 → 512 → 3, Adam), a block is `--epochs`
// epochs; mnist: the Keras MNIST MLP (examples/mnist-model.mjs: 784-512-512-10, batches of 128), a
// block is one fit() over `--batches` batches of real MNIST rows (the block's own rows, shuffled by its
// seed). Both instances live side by side (each its own memory and workers) and the blocks alternate
// between them, the order flipping every block, so that what else the shared machine does hits both
// alike (separate processes of the same build spread ±30 % here). After 4 warm-up blocks per side it
// prints the time of each side (median; ms per epoch or per batch), the speed-up per block pair (one
// thread's time over N threads'): median and 10th–90th percentile, and whether the two models' weights
// are still bit-identical (the same start, the same batches: they must be), and appends that to
// bench/RESULTS-epoch.md with the machine, the load and the target check on 2 threads (course ≥ 1.7×,
// mnist ≥ 1.8×).
// The one-thread side runs on whichever vCPU the system gives the calling thread, and the host may run
// one vCPU slower than the other for minutes (here at 18:58 UTC on 2026-12-06: a one-thread MNIST
// process pinned to vCPU 1 took 15.7–16.1 ms per batch, on vCPU 0 10.2–10.3). So where `taskset`
// exists, each vCPU's one-thread time is measured too, in a child process pinned to it (`--alone`,
// `--blocks` blocks), and the speed-up against the fastest of them is reported beside the paired one;
// the target check takes the smaller of the two.
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as lib from "../../dist/index.js";
import { loadMnistSet } from "../../examples/mnist-data.mjs";
import { mnistModel } from "../../examples/mnist-model.mjs";
import { appendSection } from "../epoch/results.mjs";
import { trainBlock } from "../mnist/train-block.mjs";
import { median, quantile } from "../epoch/stats.mjs";
import { courseModel } from "./course-model.mjs";

const USAGE =
  "usage: node bench/threads/speedup.mjs [--model course|mnist] [--threads 2] [--blocks 40] [--epochs 10] [--batches 10] [--no-write]";
const MODELS = {
  course: { title: "the course's model (3000 × 2 → 512 → 3, full batch)", unit: "epoch", target: 1.7 },
  mnist: { title: "the MNIST MLP (784-512-512-10, batches of 128)", unit: "batch", target: 1.8 },
};
const { values: flags } = parseArgs({
  options: {
    model: { type: "string", default: "course" },
    threads: { type: "string", default: "2" },
    blocks: { type: "string", default: "40" },
    epochs: { type: "string", default: "10" },
    batches: { type: "string", default: "10" },
    "no-write": { type: "boolean", default: false },
    alone: { type: "boolean", default: false },
  },
});
const count = (name, min) => {
  const text = flags[name];
  if (!/^\d+$/.test(text) || Number(text) < min)
    throw new RangeError(`--${name} must be an integer ≥ ${min}\n${USAGE}`);
  return Number(text);
};
if (!Object.hasOwn(MODELS, flags.model)) throw new RangeError(`--model must be course or mnist\n${USAGE}`);
const { title, unit, target } = MODELS[flags.model];
const threads = count("threads", 2);
const blocks = count("blocks", 1);
const epochs = count("epochs", 1);
const batches = count("batches", 1);
const WARM_BLOCKS = 4;

await lib.init({ threads: 1 }); // the data generator's instance
const train = flags.model === "mnist" ? loadMnistSet("train") : null;

async function side(threadCount) {
  const instance = await lib.instantiate({ threads: threadCount });
  if (instance.threads !== threadCount)
    throw new Error(`this runtime gives ${instance.threads} threads, not ${threadCount}`);
  if (train) {
    const { model, optimizer } = mnistModel({ instance });
    return { model, block: trainBlock(model, optimizer, train, batches) };
  }
  const { x, y, model, optimizer } = courseModel(lib, instance);
  return {
    model,
    /** ms per epoch of one block. */
    async block() {
      const t0 = performance.now();
      await model.fit(x, y, { epochs, optimizer });
      return (performance.now() - t0) / epochs;
    },
  };
}

if (flags.alone) {
  // a child of the run below, pinned to one vCPU: the one-thread side only, its median on stdout
  const one = await side(1);
  const ms = [];
  for (let k = 0; k < WARM_BLOCKS + blocks; k++) {
    const t = await one.block(k);
    if (k >= WARM_BLOCKS) ms.push(t);
  }
  console.log(median(ms));
  process.exit(0);
}

/** ms per unit of the one-thread side alone on each vCPU (taskset), or null where taskset is missing. */
function alonePerCpu() {
  if (spawnSync("taskset", ["-V"]).status !== 0) return null;
  const args = ["--model", flags.model, "--blocks", String(Math.min(blocks, 20))];
  args.push("--epochs", String(epochs), "--batches", String(batches), "--alone");
  return cpus().map((_, cpu) => {
    const child = spawnSync("taskset", ["-c", String(cpu), process.execPath, fileURLToPath(import.meta.url), ...args], {
      encoding: "utf8",
    });
    if (child.status !== 0) throw new Error(`the one-thread run pinned to vCPU ${cpu} failed:\n${child.stderr}`);
    return Number(child.stdout.trim());
  });
}

const sides = { one: await side(1), many: await side(threads) };
const times = { one: [], many: [] };
for (let k = 0; k < WARM_BLOCKS + blocks; k++) {
  for (const name of k % 2 ? ["many", "one"] : ["one", "many"]) {
    const ms = await sides[name].block(k);
    if (k >= WARM_BLOCKS) times[name].push(ms);
  }
}
const sizeOfBlock = train ? `${batches} batches` : `${epochs} epochs`;
const speedups = times.one.map((t, i) => t / times.many[i]);
const bits = (model) => model.getWeights().map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength));
const [a, b] = [bits(sides.one.model), bits(sides.many.model)];
const same = a.length === b.length && a.every((w, i) => w.equals(b[i]));
const lines = [
  `1 thread: ${median(times.one).toFixed(3)} ms per ${unit} (median)`,
  `${threads} threads: ${median(times.many).toFixed(3)} ms per ${unit} (median)`,
  `speed-up per block pair: median ${median(speedups).toFixed(2)}×, 10th–90th percentile ${quantile(speedups, 0.1).toFixed(2)}–${quantile(speedups, 0.9).toFixed(2)}×`,
  `weights bit-identical after training: ${same ? "yes" : "NO"}`,
];
const pinned = alonePerCpu();
let checked = median(speedups);
if (pinned) {
  const fastest = Math.min(...pinned);
  const againstFastest = fastest / median(times.many);
  checked = Math.min(checked, againstFastest);
  lines.push(
    `1 thread alone, pinned to each vCPU (taskset): ${pinned.map((ms, cpu) => `vCPU ${cpu} ${ms.toFixed(3)}`).join(", ")} ms per ${unit} (median); ${threads} threads' median against the fastest: ${againstFastest.toFixed(2)}×`,
  );
}
if (threads === 2)
  lines.push(
    `target ≥ ${target}× on 2 threads (${pinned ? "the smaller of the paired median and the speed-up against the fastest vCPU" : "median"}): ${checked >= target ? "met" : "NOT met"}`,
  );
const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(" ");
console.log(
  `${title}, ${blocks} block pairs of ${sizeOfBlock}\n${lines.join("\n")}\nload average at the end (1/5/15 min): ${load}`,
);
if (!flags["no-write"]) {
  appendSection(fileURLToPath(new URL("../RESULTS-epoch.md", import.meta.url)), {
    title: `Threads, ${train ? "the MNIST MLP" : "the course's model"}, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    facts: [
      `CPU: ${cpus()[0]?.model ?? "unknown"} (${cpus().length} logical cores, shared)`,
      `Node ${process.version}`,
      `Load average at the end (1/5/15 min): ${load}`,
      `Command: \`${`node bench/threads/speedup.mjs ${process.argv.slice(2).join(" ")}`.trim()}\``,
      `Method: 1 thread and ${threads} threads in one process, ${blocks} block pairs of ${sizeOfBlock} alternating (order flipped every block) after ${WARM_BLOCKS} warm-up blocks each; speed-up = 1-thread time / ${threads}-thread time per block pair`,
    ],
    body: lines.map((l) => `- ${l}`).join("\n"),
  });
}
process.exit(0);
