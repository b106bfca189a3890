// Epoch benchmark of the dropout-chapter model, the CLI's DROPOUT_CHAPTER (full batch 3000 × 2 → 512
// → 3, dropout 0.1, L2 5e-4, Adam): regwasm vs TF.js layers (wasm and cpu backends) vs plain JS. Each (round, implementation)
// runs in a fresh process (worker.mjs): warm-up epochs, then up to --epochs timed epochs within
// --budget seconds. Implementations are interleaved round by round so that load from other processes
// spreads over all of them; the figure reported is the median epoch over all rounds, in wall time and
// in process CPU time (on a shared machine the CPU time is the steadier estimate of unloaded speed).
//
//   node bench/epoch/run.mjs [--impl regwasm,regwasm-1thread,plain,tfjs-wasm,tfjs-cpu] [--rounds 3] [--epochs 40]
//                            [--warmup 5] [--budget 6] [--full] [--no-write] [--results FILE]
// --full also trains each selected implementation for the whole 10001 epochs (TF.js cpu: about an
// hour) and prints its final validation accuracy.
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { median, quantile } from "./stats.mjs";
import { appendSection, markdownTable } from "./results.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const ALL = ["regwasm", "regwasm-1thread", "plain", "tfjs-wasm", "tfjs-cpu"];
const TARGET_THREADS_SPEEDUP = 1.7; // every core (2 here) vs one thread
const TARGET_SPEEDUP = 5; // vs TF.js layers (wasm backend)
const TARGET_FULL_S = 55; // 5× faster than the numpy course code's 278 s

const { values: opts } = parseArgs({
  options: {
    impl: { type: "string", default: ALL.join(",") },
    rounds: { type: "string", default: "3" },
    epochs: { type: "string", default: "40" },
    warmup: { type: "string", default: "5" },
    budget: { type: "string", default: "6" },
    full: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    results: { type: "string", default: join(root, "bench", "RESULTS-epoch.md") },
    help: { type: "boolean", default: false },
  },
});
if (opts.help) {
  console.log(
    "usage: node bench/epoch/run.mjs [--impl regwasm,regwasm-1thread,plain,tfjs-wasm,tfjs-cpu] [--rounds 3] [--epochs 40] [--warmup 5] [--budget 6] [--full] [--no-write] [--results FILE]",
  );
  process.exit(0);
}
const impls = opts.impl
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);
for (const impl of impls)
  if (!ALL.includes(impl)) throw new Error(`--impl: unknown implementation "${impl}" (choose from ${ALL.join(", ")})`);
const int = (name) => {
  const v = Number(opts[name]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer, got "${opts[name]}"`);
  return v;
};
const rounds = int("rounds"),
  epochs = int("epochs"),
  warmup = int("warmup"),
  budgetS = int("budget");

// Build output goes to stderr: stdout carries only the results table.
execFileSync(process.execPath, [join(root, "scripts", "build.mjs"), "--if-stale"], { stdio: ["ignore", 2, 2] });
// Imported after the build: a static import would read dist/ before it is (re)built.
const { EXPERIMENT: C } = await import("./experiment.mjs");

function runWorker(task) {
  const out = execFileSync(process.execPath, [join(here, "worker.mjs"), JSON.stringify(task)], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out.trim().split("\n").at(-1));
}

const samples = Object.fromEntries(impls.map((impl) => [impl, { wall: [], cpu: [], roundMedians: [] }]));
for (let r = 0; r < rounds; r++) {
  // Rotate the order each round so no implementation always runs first (or right after a heavy one).
  const order = impls.map((_, i) => impls[(i + r) % impls.length]);
  for (const impl of order) {
    const { epochMs, epochCpuMs } = runWorker({ impl, warmup, epochs, budgetS });
    samples[impl].wall.push(...epochMs);
    samples[impl].cpu.push(...epochCpuMs);
    samples[impl].roundMedians.push(median(epochMs));
    process.stderr.write(
      `round ${r + 1}/${rounds} ${impl}: ${epochMs.length} epochs, median ${median(epochMs).toFixed(2)} ms wall, ${median(epochCpuMs).toFixed(2)} ms CPU\n`,
    );
  }
}

const fmt = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : "–");
const wall = Object.fromEntries(impls.map((impl) => [impl, median(samples[impl].wall)]));
const cpu = Object.fromEntries(impls.map((impl) => [impl, median(samples[impl].cpu)]));
const ratio = (m, impl) => (m.regwasm === undefined ? "–" : fmt(m[impl] / m.regwasm, 1));
const rows = impls.map((impl) => {
  const s = samples[impl];
  return [
    impl,
    String(s.wall.length),
    fmt(wall[impl]),
    `${fmt(quantile(s.wall, 0.25))}–${fmt(quantile(s.wall, 0.75))}`,
    s.roundMedians.map((m) => fmt(m)).join(" / "),
    fmt(cpu[impl]),
    fmt((wall[impl] * C.epochs) / 1000, 1),
    ratio(wall, impl),
    ratio(cpu, impl),
  ];
});
const header = [
  "implementation",
  "epochs timed",
  "median wall ms/epoch",
  "wall IQR ms",
  "round medians ms",
  "median CPU ms/epoch",
  `projected ${C.epochs} epochs (s, wall)`,
  "× regwasm (wall)",
  "× regwasm (CPU)",
];

const checks = [];
if (wall.regwasm !== undefined) {
  for (const [what, m] of [
    ["wall", wall],
    ["CPU", cpu],
  ]) {
    const projected = (m.regwasm * C.epochs) / 1000;
    checks.push(
      `regwasm projected ${C.epochs} epochs from median ${what} time: ${fmt(projected, 1)} s (target ≤ ${TARGET_FULL_S} s): ${projected <= TARGET_FULL_S ? "met" : "NOT met"}`,
    );
    if (m["regwasm-1thread"] !== undefined) {
      const speedup = m["regwasm-1thread"] / m.regwasm;
      checks.push(
        `regwasm on ${cpus().length} threads vs 1 thread, ${what} time: ${fmt(speedup, 2)}× faster (target ≥ ${TARGET_THREADS_SPEEDUP}× on 2): ${speedup >= TARGET_THREADS_SPEEDUP ? "met" : "NOT met"}`,
      );
    }
    if (m["tfjs-wasm"] !== undefined) {
      const speedup = m["tfjs-wasm"] / m.regwasm;
      checks.push(
        `regwasm vs TF.js layers wasm, ${what} time: ${fmt(speedup, 1)}× faster (target ≥ ${TARGET_SPEEDUP}×): ${speedup >= TARGET_SPEEDUP ? "met" : "NOT met"}`,
      );
    }
  }
}
const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(" ");

const fullRows = [];
if (opts.full) {
  for (const impl of impls) {
    process.stderr.write(`full run (${C.epochs} epochs): ${impl} ...\n`);
    const r = runWorker({ impl, full: true });
    fullRows.push([impl, fmt(r.totalS, 1), fmt(r.cpuS, 1), fmt(r.trainAcc, 3), fmt(r.trainLoss, 3), fmt(r.valAcc, 3)]);
  }
}
const fullHeader = [
  "implementation",
  `wall time ${C.epochs} epochs (s)`,
  "CPU time (s)",
  "last-epoch train acc",
  "last-epoch train loss",
  "validation acc (100 × 3)",
];

const table = markdownTable(header, rows);
console.log(table);
console.log(`load average at the end (1/5/15 min): ${load}`);
for (const line of checks) console.log(line);
if (fullRows.length) console.log(`\n${markdownTable(fullHeader, fullRows)}`);

if (!opts["no-write"]) {
  const command = `node bench/epoch/run.mjs ${process.argv.slice(2).join(" ")}`.trim();
  appendSection(opts.results, {
    title: `Epoch benchmark, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    facts: [
      `CPU: ${cpus()[0]?.model ?? "unknown"} (${cpus().length} logical cores, shared)`,
      `Node ${process.version}`,
      `Load average at the end (1/5/15 min): ${load}`,
      `Command: \`${command}\``,
      `Model: the CLI's dropout chapter, full batch ${C.samples * C.classes} × 2 → ${C.hidden} → ${C.classes}, dropout ${C.dropout}, L1 ${C.l1}, L2 ${C.l2} (weights and biases of layer 1), Adam lr ${C.learningRate} decay ${C.decay}, seed ${C.seed}`,
      `Per round and implementation: fresh process, ${warmup} warm-up epochs, then up to ${epochs} epochs within ${budgetS} s; ${rounds} rounds, interleaved`,
    ],
    body: [
      table,
      "",
      ...checks.map((c) => `- ${c}`),
      ...(fullRows.length ? ["", markdownTable(fullHeader, fullRows)] : []),
    ].join("\n"),
  });
  process.stderr.write(`appended to ${relative(process.cwd(), opts.results)}\n`);
}
