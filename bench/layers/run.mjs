// `npm run bench:layers`: the layer kernels (matmulRows, matmulDots, matmulTN, colSums, ReLU,
// sigmoid, tanh, softmaxCrossEntropy, adamUpdate, sgdUpdate), called as raw WASM exports of
// `instantiate({ simd: true }).kernels` on allocF32 buffers, at the shapes of the dropout-chapter
// model and the MNIST MLP. Beside each: the same export of the scalar build, a plain-JS loop in its
// own worker, and a SIMD copy pass moving the same bytes, all interleaved round by round. Every
// kernel's output is first checked against the plain-JS one. Writes bench/RESULTS-layers.md.
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import * as rw from "../../dist/index.js";
import { calibrate, median } from "../measure.mjs";
import { timedRound } from "./timing.mjs";
import { CASES, makeArrays, shapeOf } from "./cases.mjs";
import { loadLimits, measureCompute, cpuinfoGhz, copyTask } from "./limits.mjs";

const HELP = `usage: node bench/layers/run.mjs [flags]
  --cases a,b    case ids or id prefixes (e.g. mnist, dc.l1, opt.adam); default all:
                 ${CASES.map((c) => c.id).join(", ")}
  --rounds r     interleaved rounds per case (default 7; --quick 2)
  --time ms      time per task per round (default 150; --quick 30)
  --quick        smoke run (< 1 min); writes no file unless --out
  --out file     results file (default bench/RESULTS-layers.md; "-" for none)`;

const { values: flags } = parseArgs({
  options: {
    cases: { type: "string" },
    rounds: { type: "string" },
    time: { type: "string" },
    quick: { type: "boolean", default: false },
    out: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (flags.help) {
  console.log(HELP);
  process.exit(0);
}
const quick = flags.quick;
const positive = (name, v) => {
  const x = Number(v);
  if (!(x > 0)) throw new RangeError(`--${name} must be a positive number, got ${v}`);
  return x;
};
const rounds = Math.round(positive("rounds", flags.rounds ?? (quick ? 2 : 7)));
const time = positive("time", flags.time ?? (quick ? 30 : 150));
const prefixes = flags.cases?.split(",").map((s) => s.trim()) ?? [""];
const cases = CASES.filter((c) => prefixes.some((p) => c.id === p || c.id.startsWith(p)));
if (!cases.length) throw new RangeError(`--cases: nothing matches ${flags.cases}`);
const outFile =
  flags.out === "-"
    ? null
    : (flags.out ?? (quick ? null : fileURLToPath(new URL("../RESULTS-layers.md", import.meta.url))));
const calibration = { warmupMs: quick ? 30 : 120, sampleMs: 0.5, tooSlowMs: 60_000, budgetMs: Infinity, time };

// ---------------------------------------------------------------------------------------------
// checking a kernel's output against the plain-JS baseline

/** Relative f32 tolerance on the largest element: k-term sums in f32 vs in a different order. */
const TOL = 2e-4;

/** max |got − ref| / max |ref| over the named outputs; NaN or an all-zero reference fails. */
function relError(got, ref) {
  let err = 0,
    scale = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(got[i] - ref[i]);
    err = Number.isNaN(d) ? Infinity : Math.max(err, d);
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return scale > 0 ? err / scale : Infinity;
}

const sameBits = (a, b) => {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length),
    y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

/** Checks a build's first call; throws on a wrong result, so nothing broken gets timed. */
function check(c, label, got, ref) {
  let worst = 0;
  for (const name of c.outputs) worst = Math.max(worst, relError(got.outputs[name], ref.outputs[name]));
  if (c.sums) {
    const [loss, correct] = got.sums;
    worst = Math.max(worst, Math.abs(loss - ref.sums[0]) / Math.abs(ref.sums[0]));
    if (correct !== ref.sums[1]) throw new Error(`${c.id} ${label}: ${correct} correct, plain JS says ${ref.sums[1]}`);
  }
  if (!(worst <= TOL)) throw new Error(`${c.id} ${label}: relative error ${worst} against plain JS (tolerance ${TOL})`);
  return worst;
}

// ---------------------------------------------------------------------------------------------
// the WASM side of a case: buffers in one instance, the bound export call

function wasmSide(c, instance, arrays) {
  const bufs = {};
  for (const [name, a] of Object.entries(arrays))
    bufs[name] = a instanceof Uint32Array ? rw.allocU32(a.length, instance) : rw.allocF32(a.length, instance);
  // views only after every allocation: growing memory detaches earlier views
  for (const [name, a] of Object.entries(arrays)) bufs[name].view().set(a);
  const ptrs = Object.fromEntries(Object.entries(bufs).map(([name, b]) => [name, b.ptr]));
  ptrs.acc = instance.accPtr;
  const call = c.wasm(instance.kernels, ptrs, c);
  return {
    call,
    first() {
      instance.clearAcc();
      call();
      const outputs = Object.fromEntries(c.outputs.map((name) => [name, bufs[name].view().slice()]));
      return { outputs, sums: c.sums ? instance.readAcc() : undefined };
    },
    free: () => {
      for (const b of Object.values(bufs)) b.free();
    },
  };
}

/** The plain-JS worker of a case, with one pending request at a time. */
function plainWorker(id) {
  const worker = new Worker(new URL("./worker.mjs", import.meta.url), { workerData: { id } });
  const ask = (msg) =>
    new Promise((resolve, reject) => {
      const onError = (e) => reject(e);
      worker.once("error", onError);
      worker.once("message", (reply) => {
        worker.off("error", onError);
        resolve(reply);
      });
      worker.postMessage(msg);
    });
  return { ask, stop: () => worker.terminate() };
}

// ---------------------------------------------------------------------------------------------

const versionOf = (pkg) =>
  JSON.parse(readFileSync(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url), "utf8")).version;
function cpuName() {
  let detail = "";
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const field = (name) => info.match(new RegExp(`^${name}\\s*:\\s*(.+)$`, "m"))?.[1];
    detail = `, ${field("vendor_id")} family ${field("cpu family")} model ${field("model")}`;
  } catch {}
  return `${cpus()[0]?.model ?? "unknown CPU"} (${cpus().length} logical cores${detail})`;
}
const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");

const env = {
  date: new Date().toISOString(),
  cpu: cpuName(),
  node: `${process.version} (V8 ${process.versions.v8})`,
  asc: versionOf("assemblyscript"),
  tinybench: versionOf("tinybench"),
  loadStart: loadNow(),
};
console.log(`layer kernels on ${env.cpu}, Node ${env.node}; load average (1/5/15 min) ${env.loadStart}`);
console.log(`${cases.length} cases, ${rounds} rounds × ${time} ms per task${quick ? " (quick)" : ""}`);
const started = performance.now();

const lim = await loadLimits();
const computeStart = measureCompute(lim, { tries: quick ? 60 : 300 });
const simd = await rw.instantiate({ simd: true });
const scalar = await rw.instantiate({ simd: false });
if (!simd.simd || scalar.simd) throw new Error("instantiate({ simd }) did not give the builds asked for");

const rows = [];
for (const c of cases) {
  process.stderr.write(`  ${c.id} (${c.kernel} ${shapeOf(c)})…\n`);
  const arrays = makeArrays(c);
  const sides = { simd: wasmSide(c, simd, arrays), scalar: wasmSide(c, scalar, arrays) };
  const plain = plainWorker(c.id);
  try {
    const ref = await plain.ask({ cmd: "check" });
    const first = { simd: sides.simd.first(), scalar: sides.scalar.first() };
    const error = { simd: check(c, "SIMD", first.simd, ref), scalar: check(c, "scalar", first.scalar, ref) };
    const bitsEqual = c.outputs.every((name) => sameBits(first.simd.outputs[name], first.scalar.outputs[name]));

    const copy = copyTask(lim, c.bytes(c));
    const local = {};
    for (const [id, call] of [
      ["simd", sides.simd.call],
      ["scalar", sides.scalar.call],
      ["copy", copy.call],
    ])
      local[id] = await calibrate({ id, call }, calibration);
    await plain.ask({ cmd: "calibrate", opts: calibration });

    // rounds: every task once per round, in a rotated order; ratios are taken within a round
    const ids = ["simd", "scalar", "plain", "copy"];
    const wall = Object.fromEntries(ids.map((id) => [id, []]));
    const cpu = Object.fromEntries(ids.map((id) => [id, []]));
    for (let r = 0; r < rounds; r++) {
      for (const id of ids.map((_, j) => ids[(j + r) % ids.length])) {
        const t = id === "plain" ? await plain.ask({ cmd: "round", time }) : await timedRound(local[id], time);
        wall[id].push(t.wallMs);
        cpu[id].push(t.cpuMs);
      }
    }
    const ns = Object.fromEntries(ids.map((id) => [id, median(wall[id]) * 1e6]));
    const cpuNs = Object.fromEntries(ids.map((id) => [id, median(cpu[id]) * 1e6]));
    // within-round ratios, then the median over rounds
    const ratio = (times, id) => median(times[id].map((ms, r) => ms / times.simd[r]));
    const flops = c.flops?.(c) ?? 0;
    const spread = (times) => (Math.max(...times.simd) - Math.min(...times.simd)) / median(times.simd);
    rows.push({
      c,
      ns,
      cpuNs,
      flops,
      gflops: flops ? flops / cpuNs.simd : undefined,
      vsPlain: ratio(cpu, "plain"),
      vsScalar: ratio(cpu, "scalar"),
      wallVsPlain: ratio(wall, "plain"),
      wallVsScalar: ratio(wall, "scalar"),
      memoryNs: (cpuNs.copy * c.bytes(c)) / copy.bytes,
      spread: { wall: spread(wall), cpu: spread(cpu) },
      error,
      bitsEqual,
    });
  } finally {
    await plain.stop();
    sides.simd.free();
    sides.scalar.free();
  }
}
const computeEnd = measureCompute(lim, { tries: quick ? 60 : 300 });
const minutes = (performance.now() - started) / 60000;
env.loadEnd = loadNow();
// the limit is the best the core showed: measured at both ends of the run, the faster one
const peakGflops = Math.max(computeStart.peakGflops, computeEnd.peakGflops);
for (const row of rows) {
  const computeNs = row.flops / peakGflops;
  row.limitNs = Math.max(computeNs, row.memoryNs);
  row.bound = computeNs >= row.memoryNs ? "compute" : "memory";
}

// ---------------------------------------------------------------------------------------------
// tables

const sig3 = (v) => {
  if (!Number.isFinite(v)) return "–";
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v))));
  return Number(v.toPrecision(3)).toLocaleString("en-US", { maximumFractionDigits: digits });
};
const times = (v) => `${sig3(v)}×`;
const MODEL = { dc: "dropout chapter (batch 3000)", mnist: "MNIST MLP (batch 128)", opt: "optimizer" };

/** The README table: one row per case. */
function summaryTable() {
  const head = [
    "step",
    "kernel",
    "shape",
    "ns/call (wall)",
    "CPU ns/call",
    "GFLOP/s",
    "× plain JS",
    "× scalar WASM",
    "limit ns (bound)",
    "% of limit",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|---|---|---|${"--:|".repeat(head.length - 3)}`];
  let model;
  for (const row of rows) {
    const m = row.c.id.split(".")[0];
    if (m !== model) {
      model = m;
      lines.push(`| **${MODEL[m]}** |${" |".repeat(head.length - 1)}`);
    }
    lines.push(
      `| ${row.c.step} | ${row.c.kernel} | ${shapeOf(row.c)} | ${sig3(row.ns.simd)} | ${sig3(row.cpuNs.simd)} | ${row.gflops ? sig3(row.gflops) : "–"} | ${times(row.vsPlain)} | ${times(row.vsScalar)} | ${sig3(row.limitNs)} (${row.bound}) | ${Math.round((100 * row.limitNs) / row.cpuNs.simd)}% |`,
    );
  }
  return lines.join("\n");
}

/** Every measured figure per case, for the results file. */
function detailTable() {
  const head = [
    "case",
    "SIMD ns wall / CPU",
    "scalar ns wall / CPU",
    "plain JS ns wall / CPU",
    "copy pass ns wall / CPU",
    "bytes",
    "× plain, × scalar (wall)",
    "SIMD spread wall / CPU",
    "rel. error SIMD / scalar",
    "SIMD = scalar bits",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|---|${"--:|".repeat(head.length - 1)}`];
  for (const r of rows)
    lines.push(
      `| ${r.c.id} | ${["simd", "scalar", "plain", "copy"].map((id) => `${sig3(r.ns[id])} / ${sig3(r.cpuNs[id])}`).join(" | ")} | ${r.c.bytes(r.c).toLocaleString("en-US")} | ${times(r.wallVsPlain)}, ${times(r.wallVsScalar)} | ${Math.round(100 * r.spread.wall)}% / ${Math.round(100 * r.spread.cpu)}% | ${r.error.simd.toExponential(1)} / ${r.error.scalar.toExponential(1)} | ${r.bitsEqual ? "yes" : "no"} |`,
    );
  return lines.join("\n");
}

const clockLine = (m) =>
  `${m.ghz.toFixed(2)} GHz, f32x4 mul + add ${m.peakGflops.toFixed(1)} GFLOP/s = ${m.flopPerCycle.toFixed(1)} flop/cycle`;
const summary = summaryTable();
console.log(`\n${summary}\n`);
console.log(`limits at the start: ${clockLine(computeStart)}; at the end: ${clockLine(computeEnd)}`);
console.log(
  `done in ${minutes.toFixed(1)} min; load average (1/5/15 min) ${env.loadStart} at the start, ${env.loadEnd} at the end`,
);

if (outFile) {
  const nominal = cpuinfoGhz();
  writeFileSync(
    outFile,
    `# Layer kernel benchmark

Generated by \`npm run bench:layers\` (bench/layers/run.mjs); do not edit by hand.

| | |
|---|---|
| date | ${env.date} |
| CPU | ${env.cpu} |
| Node | ${env.node} |
| AssemblyScript | ${env.asc} |
| tinybench | ${env.tinybench} |
| load average (1/5/15 min) | ${env.loadStart} at the start, ${env.loadEnd} at the end (other work on this ${cpus().length}-core machine) |
| settings | ${cases.length} cases, ${rounds} rounds × ${time} ms per task, ${minutes.toFixed(1)} min in all |
| clock | ${computeStart.ghz.toFixed(2)} GHz at the start, ${computeEnd.ghz.toFixed(2)} GHz at the end (timed loop, below); /proc/cpuinfo says ${nominal ? `${nominal.toFixed(2)} GHz` : "nothing"} (the nominal rate, not the boost clock) |
| f32x4 mul + add limit | ${computeStart.peakGflops.toFixed(1)} GFLOP/s at the start, ${computeEnd.peakGflops.toFixed(1)} at the end, i.e. ${computeStart.flopPerCycle.toFixed(1)} flop/cycle |

## Method
- **ns/call (wall)**: one call of the raw WASM export (\`(await instantiate({ simd: true })).kernels\`, operands in
  \`allocF32\`/\`allocU32\` buffers of that instance, nothing copied), median over rounds of each round's
  tinybench median (a sample batches enough calls to last ~0.5 ms; warmed first, WASM tiers up from
  Liftoff). **CPU ns/call**: the process's CPU time (\`process.cpuUsage\`) over all calls of a round,
  per call, median over rounds: a call lasting milliseconds is often descheduled mid-sample on this
  shared machine, which inflates its wall time but not its CPU time, while calls of microseconds
  mostly escape; only the measuring thread is busy at a time, so process CPU time is its time.
  **GFLOP/s** (2·m·k·n / CPU time for the products), the ratios and **% of limit** use CPU time; the
  wall-time ratios are in the details.
- **× plain JS / × scalar WASM**: per round, CPU time(baseline) / CPU time(SIMD), then the median over rounds.
  A round runs the SIMD export, the scalar build's same export (\`instantiate({ simd: false })\`, its
  own buffers), the plain-JS loop and the copy pass, ${time} ms each, in an order rotated every round,
  so drift and other load hit all of them alike. The plain-JS loops (bench/layers/plain.mjs: one loop
  nest per operation over Float32Arrays, i-k-j order for x·W and xᵀ·dZ, contiguous dots where the
  operand is Wᵀ, sums in doubles, \`Math.max(x, 0)\` and \`y > 0 ? dy : 0\` for ReLU, Adam and SGD without subnormal flushing)
  each run in their own worker thread (own V8 isolate, so the call site is monomorphic), warmed the
  same way and timed with the same tinybench code.
- **Checked first**: before any timing, one call of each build on fresh data is compared with the
  plain-JS result of the same inputs (max |Δ| / max |reference| ≤ ${TOL}; loss sums to 1e-4 relative and
  the correct count exactly); a wrong result stops the run.
- **limit**: the larger of the compute bound (flops / the faster of the two measured f32x4 mul + add
  rates) and the
  memory bound (the CPU time of a SIMD copy pass moving the kernel's compulsory bytes, half read and
  half written, measured in the same rounds: \`bytes\` below counts each operand read once and each
  output written once). The clock comes from a WASM loop of 32 dependent 1-cycle integer ops
  (xor, add) per iteration, the fastest of ${quick ? 60 : 300} ~1 ms runs; the mul + add rate from 12
  independent f32x4 \`c·m + a\` chains, fastest of as many runs (bench/layers/limits.ts). 128-bit WASM
  SIMD has no FMA (relaxed SIMD is off by default in Node 20), so a mul and an add are separate
  instructions; how many of each a core issues per cycle depends on its FP pipes.
- Data: N(0, 1) inputs, ReLU outputs max(0, N(0, 1)) where a layer's input is one, weights N(0, 0.05²),
  gradients N(0, 0.01²); seeded, so the worker builds identical arrays. Accumulating kernels
  (matmulTN, colSums) keep accumulating over the timed calls; matmulTN's fused ReLU mask rewrites dZ
  in place on the first call (later calls redo the same work on it).

## Results

${summary}

## Details

${detailTable()}
`,
  );
  console.log(`wrote ${outFile}`);
}
