// MNIST benchmark: the Keras MLP example's model (examples/mnist-model.mjs: 784-512-512-10, ReLU,
// dropout 0.2, L2 1e-5, Adam 1e-3, batch 128) trained by regwasm and by TF.js layers 4.22 on its wasm
// and cpu backends, from the same initial weights (regwasm's, copied into TF.js) and in the same
// shuffled order every epoch (regwasm's permutation, fed to TF.js as pre-permuted batches). Each
// (round, framework) runs in a fresh process (worker.mjs) after a warm-up on a throwaway model;
// rounds are interleaved so load from other processes spreads over all frameworks.
//
//   npm run bench:mnist -- [--epochs 3] [--rounds 2] [--impl regwasm,regwasm-1thread,regwasm-relaxed,tfjs-wasm,tfjs-cpu]
//                          [--tfjs-batches 10 | all] [--seed 0] [--batch-size 128] [--limit ROWS]
//                          [--no-write] [--results FILE] [--python PATH]
//
// With --python PATH (a Python that has torch and numpy, e.g. a venv's v/bin/python; never a
// dependency), `pytorch` (one thread per core) and `pytorch-1thread` (bench/mnist/pytorch.py, the same
// model, data and batch size) may be named in --impl and run in the same interleaved rounds, so that
// the comparison with regwasm is measured under the same load.
//
// TF.js trains an epoch 10–50× slower than regwasm here, so by default each of its epochs is cut to
// its first --tfjs-batches batches and the seconds per epoch extrapolated (batches are all the same
// size, so their cost is uniform); --tfjs-batches all trains TF.js on whole epochs and evaluates its
// test accuracy too (the full accuracy run: --epochs 20 --tfjs-batches all --impl regwasm,tfjs-wasm).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { appendSection, markdownTable } from "./results.mjs";
import { median } from "../epoch/stats.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const ALL = ["regwasm", "regwasm-1thread", "regwasm-relaxed", "tfjs-wasm", "tfjs-cpu"];
/** Run only when --python is given, and only when named in --impl. */
const PYTORCH = ["pytorch", "pytorch-1thread"];
// Node 20 and 21 validate relaxed SIMD only behind a flag (Node 22 on by default)
const RELAXED_FLAGS = Number(process.versions.node.split(".")[0]) < 22 ? ["--experimental-wasm-relaxed-simd"] : [];
const TARGET_SPEEDUP = 7; // per epoch, vs TF.js layers on the wasm backend
const TARGET_ACC = 0.984; // test accuracy within 20 epochs
const TARGET_EXACT_VS_PYTORCH = 2; // exact build on all cores: at most this × PyTorch's best epoch
const TARGET_FAST_VS_PYTORCH = 1; // the relaxed-SIMD build on all cores: at most PyTorch's best epoch
const USAGE =
  "usage: npm run bench:mnist -- [--epochs 3] [--rounds 2] [--impl regwasm,regwasm-1thread,regwasm-relaxed,tfjs-wasm,tfjs-cpu] [--tfjs-batches 10|all] [--seed 0] [--batch-size 128] [--limit ROWS] [--no-write] [--results FILE] [--python PATH: then --impl may name pytorch, pytorch-1thread]";

let opts;
try {
  ({ values: opts } = parseArgs({
    options: {
      epochs: { type: "string", default: "3" },
      rounds: { type: "string", default: "2" },
      impl: { type: "string", default: ALL.join(",") },
      "tfjs-batches": { type: "string", default: "10" },
      seed: { type: "string", default: "0" },
      "batch-size": { type: "string", default: "128" },
      limit: { type: "string" },
      "no-write": { type: "boolean", default: false },
      results: { type: "string", default: join(root, "bench", "RESULTS-mnist.md") },
      python: { type: "string" },
      help: { type: "boolean", default: false },
    },
  }));
} catch (error) {
  usageError(error.message);
}
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}

function usageError(message) {
  console.error(`bench:mnist: ${message}\n${USAGE}`);
  process.exit(2);
}

const integer = (name, min) => {
  const text = opts[name];
  if (!/^\d+$/.test(text) || Number(text) < min) usageError(`--${name} must be an integer ≥ ${min}, got "${text}"`);
  return Number(text);
};
const impls = opts.impl
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
for (const impl of impls) {
  if (PYTORCH.includes(impl) && opts.python === undefined) usageError(`--impl: ${impl} needs --python PATH`);
  else if (!ALL.includes(impl) && !PYTORCH.includes(impl))
    usageError(`--impl: unknown "${impl}" (choose from ${[...ALL, ...PYTORCH].join(", ")})`);
}
if (impls.length === 0) usageError("--impl names no framework");
const epochs = integer("epochs", 1);
const rounds = integer("rounds", 1);
const seed = integer("seed", 0);
const batchSize = integer("batch-size", 1);
const limit = opts.limit === undefined ? undefined : integer("limit", 1);
const tfjsBatches = opts["tfjs-batches"] === "all" ? null : integer("tfjs-batches", 1);
const withPytorch = impls.some((impl) => PYTORCH.includes(impl));
if (limit !== undefined && withPytorch) usageError("--limit: not supported with PyTorch (it trains on all rows)");
if (opts.python !== undefined && !withPytorch) usageError("--python: --impl names neither pytorch nor pytorch-1thread");
if (withPytorch) {
  // before any run: a wrong path or a Python without torch fails here, not after the first round
  try {
    execFileSync(opts.python, ["-c", "import torch, numpy"], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    usageError(`--python: "${opts.python}" cannot import torch and numpy (${error.message.split("\n")[0]})`);
  }
}

// Build output goes to stderr: stdout carries only the results.
execFileSync(process.execPath, [join(root, "scripts", "build.mjs"), "--if-stale"], { stdio: ["ignore", 2, 2] });
// Imported after the build: a static import would read dist/ before it is (re)built.
const { init } = await import("../../dist/index.js");
const { mnistModel, parameterCount } = await import("../../examples/mnist-model.mjs");
await init();
const { model: counted } = mnistModel();
const params = parameterCount(counted);
counted.free();

/** PyTorch's epochs (bench/mnist/pytorch.py --json): its own process, its own warm-up. */
let pytorchVersion = null;
function runPytorch({ impl, epochs, batchSize, seed }) {
  const threads = impl === "pytorch-1thread" ? 1 : cpus().length;
  const out = execFileSync(
    opts.python,
    [
      join(here, "pytorch.py"),
      "--threads",
      String(threads),
      "--epochs",
      String(epochs),
      "--batch-size",
      String(batchSize),
      "--seed",
      String(seed),
      "--json",
    ],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  const result = JSON.parse(out.trim().split("\n").at(-1));
  pytorchVersion = result.torch;
  return result.epochs;
}

function runWorker(task) {
  if (PYTORCH.includes(task.impl)) return runPytorch(task);
  const flags = task.impl === "regwasm-relaxed" ? RELAXED_FLAGS : [];
  const out = execFileSync(process.execPath, [...flags, join(here, "worker.mjs"), JSON.stringify(task)], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 16 << 20,
  });
  return JSON.parse(out.trim().split("\n").at(-1)).epochs;
}

/** Per framework, per round: the worker's epoch records, with seconds scaled to a whole epoch. */
const runs = Object.fromEntries(impls.map((impl) => [impl, []]));
for (let r = 0; r < rounds; r++) {
  const order = impls.map((_, i) => impls[(i + r) % impls.length]);
  for (const impl of order) {
    const maxBatches = impl.startsWith("regwasm") ? null : tfjsBatches;
    const records = runWorker({ impl, epochs, seed, batchSize, limit, maxBatches }).map((e) => {
      const scale = e.epochBatches / e.batches;
      return { ...e, epochS: e.trainS * scale, epochCpuS: e.trainCpuS * scale };
    });
    runs[impl].push(records);
    const cut = records[0].batches < records[0].epochBatches ? ` (${records[0].batches} batches, extrapolated)` : "";
    process.stderr.write(
      `round ${r + 1}/${rounds} ${impl}: ${records.map((e) => e.epochS.toFixed(1)).join(", ")} s per epoch${cut}, CPU ${records.map((e) => e.epochCpuS.toFixed(1)).join(", ")} s, test acc ${records.map((e) => (e.testAcc === null ? "–" : e.testAcc.toFixed(4))).join(", ")}\n`,
    );
  }
}

const trainRows = limit === undefined ? 60000 : Math.min(limit, 60000);
const flopsPerEpoch = 6 * params * trainRows;
// The machine's limit, measured after the runs (bench:layers' probes): the clock, and the f32x4
// mul + add rate of one core (WASM SIMD without FMA, which regwasm and TF.js's wasm backend both use).
const { loadLimits, measureCompute } = await import("../layers/limits.mjs");
const simdLimit = measureCompute(await loadLimits());
const fmt = (v, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(d));
const all = (impl, key) => runs[impl].flatMap((records) => records.map((e) => e[key]));
const stats = Object.fromEntries(
  impls.map((impl) => {
    const wall = all(impl, "epochS");
    const cpu = all(impl, "epochCpuS");
    return [
      impl,
      { min: Math.min(...wall), median: median(wall), cpu: median(cpu), evalS: median(all(impl, "evalS")) },
    ];
  }),
);
const sampled = (impl) => runs[impl][0][0].batches < runs[impl][0][0].epochBatches;
const ratio = (impl, key) => (stats.regwasm ? fmt(stats[impl][key] / stats.regwasm[key], 1) : "–");

const summary = markdownTable(
  [
    "framework",
    "epochs timed",
    "s/epoch min",
    "s/epoch median",
    "CPU s/epoch median",
    "GFLOP/s (min wall)",
    "GFLOP/s (median CPU)",
    "% of SIMD limit (median CPU)",
    "× regwasm time (median wall)",
    "× regwasm time (median CPU)",
    "test eval s",
  ],
  impls.map((impl) => {
    const s = stats[impl];
    return [
      `${impl}${sampled(impl) ? ` (first ${tfjsBatches} batches per epoch)` : ""}`,
      String(all(impl, "epochS").length),
      fmt(s.min),
      fmt(s.median),
      fmt(s.cpu),
      fmt(flopsPerEpoch / s.min / 1e9, 1),
      fmt(flopsPerEpoch / s.cpu / 1e9, 1),
      // PyTorch runs native FMA kernels: the WASM SIMD limit is not its limit
      PYTORCH.includes(impl) ? "–" : `${fmt((100 * flopsPerEpoch) / s.cpu / 1e9 / simdLimit.peakGflops, 0)}%`,
      ratio(impl, "median"),
      ratio(impl, "cpu"),
      sampled(impl) ? "–" : fmt(s.evalS),
    ];
  }),
);

/** Test accuracy of an epoch: the median over rounds (regwasm's are bit-identical run to run). */
const accOf = (impl, e) => {
  const accs = runs[impl].map((records) => records[e].testAcc).filter((a) => a !== null);
  return accs.length ? median(accs) : null;
};
const perEpoch = markdownTable(
  ["epoch", ...impls.flatMap((impl) => [`${impl} s (min / median)`, `${impl} test acc`])],
  Array.from({ length: epochs }, (_, e) => [
    String(e + 1),
    ...impls.flatMap((impl) => {
      const times = runs[impl].map((records) => records[e].epochS);
      return [`${fmt(Math.min(...times), 1)} / ${fmt(median(times), 1)}`, fmt(accOf(impl, e), 4)];
    }),
  ]),
);

const checks = [];
if (stats.regwasm && stats["tfjs-wasm"]) {
  for (const [what, key] of [
    ["median wall", "median"],
    ["median CPU", "cpu"],
  ]) {
    const speedup = stats["tfjs-wasm"][key] / stats.regwasm[key];
    checks.push(
      `regwasm vs TF.js wasm per epoch, ${what} time: ${fmt(speedup, 1)}× faster (target ≥ ${TARGET_SPEEDUP}×): ${speedup >= TARGET_SPEEDUP ? "met" : "NOT met"}`,
    );
  }
}
if (stats.regwasm && stats["regwasm-1thread"]) {
  // wall time only: CPU time adds up over threads. The two run in separate processes, and a host that
  // slows one vCPU for a while slows a one-thread run more than a run on both, so the fastest epochs
  // must agree with the medians (bench/threads/speedup.mjs --model mnist pairs them in one process)
  const speedup = stats["regwasm-1thread"].median / stats.regwasm.median;
  const fastest = stats["regwasm-1thread"].min / stats.regwasm.min;
  const met = speedup >= 1.8 && fastest >= 1.8;
  checks.push(
    `regwasm on ${cpus().length} threads vs 1 thread per epoch, median wall time: ${fmt(speedup, 2)}× faster, fastest epochs: ${fmt(fastest, 2)}× (target ≥ 1.8× on 2, by both): ${met ? "met" : "NOT met"}`,
  );
}
const pytorchBest = PYTORCH.filter((impl) => stats[impl]).reduce(
  (best, impl) => (best && stats[best].median <= stats[impl].median ? best : impl),
  null,
);
if (pytorchBest) {
  for (const [impl, target, rule] of [
    ["regwasm", TARGET_EXACT_VS_PYTORCH, `≤ ${TARGET_EXACT_VS_PYTORCH}×`],
    ["regwasm-relaxed", TARGET_FAST_VS_PYTORCH, `≤ ${TARGET_FAST_VS_PYTORCH}×`],
  ]) {
    if (!stats[impl]) continue;
    const times = stats[impl].median / stats[pytorchBest].median;
    // per round, each side's median epoch of that round: how often the rule held under the same load
    const held = runs[impl].filter(
      (records, r) =>
        median(records.map((e) => e.epochS)) / median(runs[pytorchBest][r].map((e) => e.epochS)) <= target,
    ).length;
    checks.push(
      `${impl} vs ${pytorchBest} (PyTorch's best here) per epoch, median wall time: ${fmt(times, 2)}× its time (target ${rule}): ${times <= target ? "met" : "NOT met"}; held in ${held} of ${rounds} rounds`,
    );
  }
}
if (stats.regwasm) {
  const accs = Array.from({ length: epochs }, (_, e) => accOf("regwasm", e));
  const best = Math.max(...accs);
  const deterministic = runs.regwasm.every((records) =>
    records.every((rec, e) => rec.testAcc === runs.regwasm[0][e].testAcc),
  );
  checks.push(
    `regwasm best test accuracy in ${epochs} epochs: ${fmt(best, 4)} at epoch ${accs.indexOf(best) + 1} (target ≥ ${TARGET_ACC} within 20 epochs${epochs < 20 ? `; only ${epochs} run` : ""}): ${best >= TARGET_ACC ? "met" : "NOT met"}; identical in every round: ${deterministic ? "yes" : "NO"}`,
  );
}
/** The CPU as /proc/cpuinfo names it, with its family and model (the model name alone may say only "AMD EPYC"). */
function cpuName() {
  let detail = "";
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const field = (name) => info.match(new RegExp(`^${name}\\s*:\\s*(.+)$`, "m"))?.[1];
    detail = `, ${field("vendor_id")} family ${field("cpu family")} model ${field("model")}`;
  } catch {}
  return `${cpus()[0]?.model ?? "unknown"} (${cpus().length} logical cores${detail}, shared with other jobs)`;
}
const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(" ");

console.log(summary);
console.log(`\n${perEpoch}`);
console.log(`\nFLOPs per epoch (6 × ${params} parameters × ${trainRows} rows): ${fmt(flopsPerEpoch / 1e9, 1)} G`);
const limitLine = `SIMD limit of one core, measured after the runs: ${fmt(simdLimit.ghz)} GHz × ${fmt(simdLimit.flopPerCycle, 1)} flop/cycle = ${fmt(simdLimit.peakGflops, 1)} GFLOP/s (f32x4 mul + add, no FMA)`;
console.log(limitLine);
console.log(`load average at the end (1/5/15 min): ${load}`);
for (const line of checks) console.log(line);

if (!opts["no-write"]) {
  const command = `npm run bench:mnist${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  appendSection(opts.results, {
    title: `MNIST benchmark, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    facts: [
      `CPU: ${cpuName()}`,
      `Node ${process.version}; TF.js 4.22 (tfjs-layers, backends wasm and cpu, prod mode)${pytorchBest ? `; PyTorch ${pytorchVersion} (bench/mnist/pytorch.py, CPU wheel, a local comparison)` : ""}`,
      `Load average at the end (1/5/15 min): ${load}`,
      `Command: \`${command}\``,
      `${rounds} round(s), interleaved; per round and framework a fresh process, a warm-up on a throwaway model (8 batches), then ${epochs} epoch(s) from the start`,
      limitLine,
      `Training rows: ${trainRows}, batch ${batchSize}, seed ${seed}; ${fmt(flopsPerEpoch / 1e9, 1)} GFLOP per epoch (6 × ${params} parameters × ${trainRows} rows, forward + backward)`,
      ...(impls.some(sampled)
        ? [
            `TF.js epochs cut to their first ${tfjsBatches} batches (regwasm's order), seconds scaled to the whole epoch; no test accuracy for cut epochs`,
          ]
        : []),
    ],
    body: [summary, "", perEpoch, "", ...checks.map((c) => `- ${c}`)].join("\n"),
  });
  process.stderr.write(`appended to ${relative(process.cwd(), opts.results)}\n`);
}
