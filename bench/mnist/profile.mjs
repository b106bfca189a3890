// Where one training batch of the MNIST model goes in regwasm: every step of Sequential.fit's batch
// (gather, each layer's forward and backward chunk by chunk, the loss, the gradients' completion, the
// finite check, Adam), timed apart over many batches on real MNIST rows, in CPU time and wall time.
// Runs the built package's layers (dist/) in the order fit() runs them, at the model's chunk size and
// at whole batches (chunk = batch).
//
//   node bench/mnist/profile.mjs [--batches 200] [--batch-size 128] [--threads N] [--probe-adam] [--kernels]
//
// --kernels adds, for the model's chunk size, the wall time of every kernel call by kernel and by how
// many parts it ran in: "1 part" ran on the calling thread alone while the other threads waited, so
// that table is the serial share of a step on several threads (what bounds its speed-up).
//
// --threads defaults to one per core. --probe-adam rewrites every weight in place before each Adam
// step (w = 1·w − 0·g: the same values) in the parts Adam cuts it into, each thread taking its own first
// as in Adam, and times that pass apart: what taking w's lines from the other core costs. On 2 threads
// here the pass took ~0.35 ms and left Adam's step (which stores w a chunk at a time on threads) at
// ~0.52 ms, against ~0.55 ms without the pass; with each w stored as soon as its step was known, Adam
// took 0.8–0.9 ms and ~0.39 ms after the pass.
// The training is unchanged (only a weight of −0 may become +0).
import { parseArgs } from "node:util";
import { init } from "../../dist/index.js";
import { allFinite } from "../../dist/kernels/finite.js";
import { ADAM_MIN_PART } from "../../dist/kernels/optimizer.js";
import { gatherRows } from "../../dist/kernels/gather.js";
import { planStages } from "../../dist/layers/plan.js";
import { allocF32, allocU32 } from "../../dist/wasm/buffer.js";
import { defaultInstance } from "../../dist/wasm/instance.js";
import { runSplit } from "../../dist/wasm/run-split.js";
import { Matrix, rowSlice } from "../../dist/wasm/matrix.js";
import { loadMnistSet, MNIST_FEATURES } from "../../examples/mnist-data.mjs";
import { mnistModel } from "../../examples/mnist-model.mjs";
import { epochOrder } from "./order.mjs";
import { markdownTable } from "./results.mjs";

const { values } = parseArgs({
  options: {
    batches: { type: "string", default: "200" },
    "batch-size": { type: "string", default: "128" },
    threads: { type: "string" },
    "probe-adam": { type: "boolean", default: false },
    kernels: { type: "boolean", default: false },
  },
});
const batches = Number(values.batches);
const batchSize = Number(values["batch-size"]);

await init(values.threads === undefined ? {} : { threads: Number(values.threads) });
const inst = defaultInstance();
const train = loadMnistSet("train");
const x = allocF32(train.x.length, inst);
x.view().set(train.x);
const y = allocU32(train.rows, inst);
y.view().set(train.y);
const order = allocU32(train.rows, inst);
const shuffled = epochOrder(train.rows, 0, 0); // drawn first: it may grow memory, detaching views
order.view().set(shuffled);
const bx = allocF32(batchSize * MNIST_FEATURES, inst);
const by = allocU32(batchSize, inst);

/**
 * Times every kernel call of `inst` from now on: calls through Instance.run (cut into parts, or one
 * part) and direct calls of its exported functions, keyed by kernel and part count; `reset()` clears.
 */
function timeKernels() {
  const calls = new Map();
  const add = (key, ms) => {
    const c = calls.get(key) ?? { ms: 0, count: 0 };
    c.ms += ms;
    c.count++;
    calls.set(key, c);
  };
  let inRun = false;
  const run = inst.run.bind(inst);
  inst.run = (kernel, parts) => {
    const t0 = performance.now();
    inRun = true;
    try {
      run(kernel, parts);
    } finally {
      inRun = false;
    }
    add(`${kernel}|${parts.length}`, performance.now() - t0);
  };
  const direct = {};
  for (const [name, fn] of Object.entries(inst.kernels)) {
    direct[name] =
      typeof fn !== "function"
        ? fn
        : (...args) => {
            if (inRun) return fn(...args);
            const t0 = performance.now();
            const result = fn(...args);
            add(`${name}|1`, performance.now() - t0);
            return result;
          };
  }
  Object.defineProperty(inst, "kernels", { value: direct });
  return { calls, reset: () => calls.clear() };
}
const kernelTimes = values.kernels ? timeKernels() : null;

/** Accumulated wall and CPU ms per step name, in first-seen order. */
function timer() {
  const steps = new Map();
  return {
    steps,
    time(name, fn) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const result = fn();
      const wall = performance.now() - t0;
      const { user, system } = process.cpuUsage(c0);
      const s = steps.get(name) ?? { wall: 0, cpu: 0, flops: 0 };
      s.wall += wall;
      s.cpu += (user + system) / 1000;
      steps.set(name, s);
      return result;
    },
    flops(name, n) {
      steps.get(name).flops += n;
    },
  };
}

/**
 * w = 1·w − 0·g (the same values: g is finite) in the parts Adam cuts w into, each thread taking its own
 * block of them first, as in Adam: each part's lines are then written by the thread that updates them.
 */
function rewriteOnOwners({ value: w, grad: g }) {
  runSplit(inst, "sgdUpdate", w.length, 4, ADAM_MIN_PART, (start, end) => [
    w.ptr + 4 * start,
    g.ptr + 4 * start,
    0,
    end - start,
    0,
    0,
    1,
  ]);
}

/** Trains `batches` batches as fit() does, with chunks of `chunkRows` rows, timing every step. */
function profile(chunkRows) {
  const { model, optimizer } = mnistModel();
  kernelTimes?.reset(); // the weights' initialization is not part of a step
  const stages = planStages(model.layers);
  const params = model.params();
  const first = stages.findIndex((s) => s.layer.params().length > 0);
  const t = timer();
  const label = (i, what) => {
    const { layer, fused } = stages[i];
    const kind =
      layer.type === "dense" ? `Dense(${layer.nIn}, ${layer.nOut})${fused ? ` + ${fused}` : ""}` : layer.type;
    return `${i}: ${kind} ${what}`;
  };
  const denseFlops = (layer, rows) => 2 * rows * layer.nIn * layer.nOut;
  for (let b = 0; b < batches; b++) {
    const start = (b * batchSize) % (train.rows - batchSize);
    t.time("gather batch (x, y)", () => {
      gatherRows(bx, x, order, start, batchSize, MNIST_FEATURES);
      gatherRows(by, y, order, start, batchSize, 1);
    });
    const batch = new Matrix(bx, batchSize, MNIST_FEATURES);
    model.loss.resetSums();
    for (let offset = 0; offset < batchSize; offset += chunkRows) {
      const n = Math.min(chunkRows, batchSize - offset);
      let a = rowSlice(batch, offset, n);
      stages.forEach(({ layer, fused }, i) => {
        a = t.time(label(i, "forward"), () => layer.forward(a, true, offset, fused));
        if (layer.type === "dense") t.flops(label(i, "forward"), denseFlops(layer, n));
      });
      let d = t.time("softmax cross-entropy", () => model.loss.accumulate(a, by, offset, true, batchSize));
      for (let i = stages.length - 1; i >= first && d; i--) {
        const { layer } = stages[i];
        d = t.time(label(i, "backward"), () => layer.backward(d, i > first));
        if (layer.type === "dense") t.flops(label(i, "backward"), (i > first ? 2 : 1) * denseFlops(layer, n));
      }
    }
    t.time("finishGradients (dWᵀ→dW, L2 grad)", () => {
      for (const layer of model.layers) layer.finishGradients();
    });
    t.time("finite check of the gradients", () => params.every((p) => allFinite(p.grad)));
    if (values["probe-adam"]) t.time("probe: w rewritten on its Adam threads", () => params.forEach(rewriteOnOwners));
    t.time("Adam step", () => optimizer.step(params));
  }
  model.free();
  optimizer.free();
  return t.steps;
}

/** The kernel table (--kernels): per kernel and part count, wall ms per batch, slowest first. */
function kernelRows(calls, steps) {
  let wall = 0;
  for (const s of steps.values()) wall += s.wall;
  let serial = 0;
  const rows = [...calls]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([key, c]) => {
      const [kernel, parts] = key.split("|");
      if (parts === "1") serial += c.ms;
      return [
        kernel,
        parts === "1" ? "1 part (calling thread)" : `${parts} parts${inst.threads === 1 ? ", one after another" : ""}`,
        (c.count / batches).toFixed(1),
        (c.ms / batches).toFixed(3),
        `${((100 * c.ms) / wall).toFixed(1)}%`,
      ];
    });
  const table = markdownTable(["kernel", "ran in", "calls/batch", "wall ms/batch", "share of wall"], rows);
  return `\n\nKernel calls (wall time, including each call's wait for its parts):\n\n${table}\n\nin 1 part: ${(serial / batches).toFixed(3)} ms per batch (${((100 * serial) / wall).toFixed(1)}% of the wall time); outside any kernel call: ${((wall - [...calls.values()].reduce((t, c) => t + c.ms, 0)) / batches).toFixed(3)} ms`;
}

// null: the model's own chunk size
for (const chunkRows of [null, batchSize]) {
  const { model } = mnistModel();
  const rows = chunkRows ?? model.chunkRows;
  model.free();
  profile(rows); // warm-up: JIT and WASM tier-up
  const steps = profile(rows);
  const kernelTable = kernelTimes && chunkRows === null ? kernelRows(kernelTimes.calls, steps) : null;
  let totalCpu = 0,
    totalWall = 0,
    totalFlops = 0;
  for (const s of steps.values()) {
    totalCpu += s.cpu;
    totalWall += s.wall;
    totalFlops += s.flops;
  }
  const perBatch = (ms) => (ms / batches).toFixed(3);
  const table = markdownTable(
    ["step", "CPU ms/batch", "wall ms/batch", "share of CPU", "GFLOP/s (CPU)"],
    [...steps].map(([name, s]) => [
      name,
      perBatch(s.cpu),
      perBatch(s.wall),
      `${((100 * s.cpu) / totalCpu).toFixed(1)}%`,
      s.flops ? (s.flops / (s.cpu / 1000) / 1e9).toFixed(1) : "",
    ]),
  );
  console.log(
    `\n### Batch of ${batchSize} in chunks of ${rows} rows (${batches} batches)\n\n${table}${kernelTable ?? ""}\n\nper batch: ${perBatch(totalCpu)} ms CPU, ${perBatch(totalWall)} ms wall; matrix products ${(totalFlops / (totalCpu / 1000) / 1e9).toFixed(1)} GFLOP/s over the whole batch (CPU); an epoch of ${Math.ceil(train.rows / batchSize)} batches: ${(((totalCpu / batches) * Math.ceil(train.rows / batchSize)) / 1000).toFixed(2)} s CPU`,
  );
}
