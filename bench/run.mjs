// `npm run bench`: regwasm's kernels against plain JS, TF.js (wasm and cpu backends), its own scalar
// build and the physical limits (a read-only and a read+write SIMD pass), at several sizes. The
// plain-JS and TF.js rows each run in their own worker thread (isolated.mjs). Prints one table per
// size, checks the targets and writes bench/RESULTS.md. `node --expose-gc bench/run.mjs --help`
// lists the flags.
import { parseArgs } from "node:util";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import * as rw from "../dist/index.js";
import { KERNELS } from "./kernels.mjs";
import { SizeData, Operands } from "./fixture.mjs";
import { compileReadPass, instantiateReadPass } from "./read-pass.mjs";
import { isolatedTask } from "./isolated.mjs";
import { calibrate, measure, pairedRatio } from "./measure.mjs";
import { rowsOf, textTable, checkTargets, TARGETS, TARGET_ROW } from "./report.mjs";
import { resultsMarkdown, environment } from "./results.mjs";

const HELP = `usage: node --expose-gc bench/run.mjs [flags]
  --sizes 1e3,1e5,1e6,1.6e7   element counts
  --kernels a,b               subset of: ${KERNELS.map((k) => k.id).join(", ")}
  --impls a,b                 subset of: zero, one, raw, copy, scalar, plain, tfwasm, tfcpu, read, readwrite
  --time ms                   time per task per round (default 150; --quick 25)
  --rounds r                  rounds, each a full pass over a size's tasks (default 5; --quick 1)
  --too-slow ms               skip a task whose single call takes longer (default 5000)
  --budget ms                 most time one slow task may take over all rounds (default 6000)
  --quick                     smoke run: sizes 1e3,1e5 unless --sizes, short times; writes no file unless --out
  --out file                  results file (default bench/RESULTS.md; "-" for none)`;

const { values: flags } = parseArgs({
  options: {
    sizes: { type: "string" },
    kernels: { type: "string" },
    impls: { type: "string" },
    time: { type: "string" },
    rounds: { type: "string" },
    "too-slow": { type: "string" },
    budget: { type: "string" },
    quick: { type: "boolean", default: false },
    out: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}

const list = (s) =>
  s
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
const positive = (name, v) => {
  const x = Number(v);
  if (!(x > 0)) throw new RangeError(`--${name} must be a positive number, got ${v}`);
  return x;
};
const quick = flags.quick;
const settings = {
  sizes: list(flags.sizes ?? (quick ? "1e3,1e5" : "1e3,1e5,1e6,1.6e7")).map((s) => {
    const n = positive("sizes", s);
    if (!Number.isSafeInteger(n)) throw new RangeError(`--sizes: ${s} is not an integer`);
    return n;
  }),
  kernels: flags.kernels ? list(flags.kernels) : KERNELS.map((k) => k.id),
  impls: flags.impls
    ? list(flags.impls)
    : ["zero", "one", "raw", "copy", "scalar", "plain", "tfwasm", "tfcpu", "read", "readwrite"],
  time: positive("time", flags.time ?? (quick ? 25 : 150)),
  rounds: Math.round(positive("rounds", flags.rounds ?? (quick ? 1 : 5))),
  tooSlowMs: positive("too-slow", flags["too-slow"] ?? 5000),
  budgetMs: positive("budget", flags.budget ?? 6000),
  pairMs: quick ? 300 : 1500,
};
const unknown = settings.kernels.filter((id) => !KERNELS.some((k) => k.id === id));
if (unknown.length) throw new RangeError(`--kernels: unknown ${unknown.join(", ")}`);
const outFile =
  flags.out === "-" ? null : (flags.out ?? (quick ? null : fileURLToPath(new URL("RESULTS.md", import.meta.url))));
const calibration = {
  warmupMs: quick ? 30 : 120,
  sampleMs: 0.5,
  tooSlowMs: settings.tooSlowMs,
  budgetMs: settings.budgetMs,
  time: settings.time,
};
if (!globalThis.gc)
  console.warn("note: run with node --expose-gc so collections happen between tasks, not inside them");

// The two regwasm builds, and the read-only pass on the default instance's memory.
await rw.init();
if (!rw.simd()) throw new Error("regwasm loaded its scalar build: this runtime lacks WebAssembly SIMD");
const scalar = await rw.instantiate({ simd: false });
// the same SIMD build on one thread: what threads add at each size (the default runs one per core)
const oneThread = await rw.instantiate({ threads: 1 });
const probe = rw.allocF32(1000);
const memory = probe.instance.heap.memory;
const shared = typeof SharedArrayBuffer === "function" && memory.buffer instanceof SharedArrayBuffer;
const { readPass, readWritePass } = await instantiateReadPass(await compileReadPass({ shared }), memory);
probe.view().fill(0.5);
if (readPass(probe.ptr, 1000) !== 500) throw new Error("the read-only pass does not read regwasm's memory");
// the bare exports of the default instance, for the diagnostic "kernel export alone" rows
const rawKernels = probe.instance.kernels;
const rawAcc = probe.instance.accPtr;
probe.free();

/** From this size on, rounds are split (see benchKernel). */
const LARGE = 1e6;

/** The implementations: how each makes its operands and runs a kernel. */
const IMPLS = [
  {
    id: "zero",
    label: `regwasm zero-copy (F32Buffer), ${rw.threads()} thread${rw.threads() === 1 ? "" : "s"}`,
    kind: "wasm",
    run: (spec) => (o, k) => spec.regwasm(rw, o, k),
  },
  {
    id: "one",
    label: "regwasm zero-copy, 1 thread",
    kind: "wasm",
    instance: oneThread,
    run: (spec) => (o, k) => spec.regwasm(rw, o, k),
  },
  {
    id: "raw",
    label: "regwasm kernel export alone (no JS API)",
    kind: "wasm",
    shares: "zero",
    run: (spec) => (o, k) => spec.raw(rawKernels, rawAcc, o, k),
  },
  {
    id: "copy",
    label: "regwasm Float32Array (copied)",
    kind: "typed",
    run: (spec) => (o, k) => spec.regwasm(rw, o, k),
  },
  {
    id: "scalar",
    label: "regwasm scalar build (zero-copy)",
    kind: "wasm",
    instance: scalar,
    run: (spec) => (o, k) => spec.regwasm(rw, o, k),
  },
  // the baselines, each in its own worker thread: monomorphic and warm, as a program doing only that
  { id: "plain", label: "plain JS (own isolate)", isolated: true },
  { id: "tfwasm", label: "TF.js wasm (own isolate)", isolated: true },
  { id: "tfcpu", label: "TF.js cpu (own isolate)", isolated: true },
  {
    id: "read",
    label: "read-only SIMD pass (limit)",
    kind: "wasm",
    shares: "zero",
    only: (spec) => spec.penalty,
    run: () => (o) => readPass(o.x.ptr, o.n),
  },
  {
    id: "readwrite",
    label: "read+write SIMD pass (limit)",
    kind: "wasm",
    shares: "zero",
    only: (spec) => spec.elementwise,
    roles: () => ["x", "out"],
    run: () => (o) => readWritePass(o.out.ptr, o.x.ptr, o.n, 1.1),
  },
].filter((impl) => settings.impls.includes(impl.id));

/** Measures one kernel at one size; returns its rows and, where a target applies, paired ratios. */
async function benchKernel(spec, data) {
  const operands = new Map();
  const tasks = [];
  try {
    for (const impl of IMPLS) {
      if (impl.only && !impl.only(spec)) continue;
      if (impl.isolated) {
        process.stderr.write(`    ${impl.id} (worker)…\n`);
        tasks.push(await isolatedTask({ id: impl.id, label: impl.label, kernel: spec.id, n: data.n }, calibration));
        continue;
      }
      const key = impl.shares ?? impl.id;
      if (!operands.has(key)) operands.set(key, new Operands(data, impl.kind, rw, impl.instance));
      const sets = operands.get(key).with(impl.roles?.(spec) ?? spec.operands);
      const run = impl.run(spec);
      const call = (k) => run(sets[k % sets.length], k);
      tasks.push(await calibrate({ id: impl.id, label: impl.label, call }, calibration));
    }
    // at large n memory bandwidth drifts over seconds: the same time per task, cut into more, shorter rounds
    const split = data.n >= LARGE ? 3 : 1;
    const { perRound, samples } = await measure(tasks, {
      rounds: settings.rounds * split,
      time: settings.time / split,
    });
    // the targets' ratios again, from alternating call pairs (see pairedRatio)
    const paired = {};
    const live = (id) => tasks.find((t) => t.id === id && !t.skipped);
    // the targets are about one thread's work, like the limit passes and the baselines: the 1-thread row
    const subject = live(TARGET_ROW) ?? live("zero");
    for (const target of TARGETS.filter((t) => t.n === data.n && t.kernels.includes(spec.id))) {
      if (subject && live(target.vs))
        paired[target.vs] = await pairedRatio(subject, live(target.vs), { budgetMs: settings.pairMs });
    }
    return { rows: rowsOf(spec, data.n, tasks, perRound, samples), paired };
  } finally {
    for (const task of tasks) await task.close?.();
    for (const ops of operands.values()) ops.dispose();
    globalThis.gc?.();
  }
}

const env = environment();
console.log(`regwasm ${env.regwasm} bench on ${env.cpu}, Node ${env.node} (V8 ${env.v8}), TF.js ${env.tfjs}`);
console.log(
  `sizes ${settings.sizes.join(", ")}; ${settings.rounds} round(s) × ${settings.time} ms per task; load average ${env.load.toFixed(2)}`,
);
const started = performance.now();
const groups = [];
const tables = [];
for (const n of settings.sizes) {
  const data = new SizeData(n);
  const sized = [];
  for (const spec of KERNELS.filter((k) => settings.kernels.includes(k.id))) {
    process.stderr.write(`  n=${n} ${spec.id}…\n`);
    sized.push({ n, spec, ...(await benchKernel(spec, data)) });
  }
  groups.push(...sized);
  tables.push({ n, groups: sized });
  console.log(textTable(n, sized));
}
const targets = checkTargets(groups);
console.log("\ntargets (regwasm zero-copy on 1 thread, this run):");
for (const t of targets)
  console.log(
    `  ${t.verdict.padEnd(4)}  n=${t.n.toLocaleString("en-US").padEnd(10)} ${t.kernel.padEnd(14)} ${t.what.padEnd(34)} ${t.shown}`,
  );
const minutes = (performance.now() - started) / 60000;
const loadAtEnd = loadavg()[0];
console.log(`\ndone in ${minutes.toFixed(1)} min; load average ${loadAtEnd.toFixed(2)}`);
if (outFile) {
  writeFileSync(outFile, resultsMarkdown({ env, settings, tables, targets, minutes, loadAtEnd }));
  console.log(`wrote ${outFile}`);
}
