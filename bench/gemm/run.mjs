// `npm run bench:gemm`: the matrix products of the MNIST MLP (784-512-512-10) at batch 32, 128 and
// 256, forward and backward, in GFLOP/s and in % of this core's f32x4 mul + add ceiling, measured in
// the same run. Beside each: the same product by the kernels of a baseline commit (assembly/ at
// --baseline, compiled into a temporary directory), interleaved round by round, after checking that
// both give the same bits. Also: the relaxed-SIMD build where the runtime has it (run Node with
// --experimental-wasm-relaxed-simd). Writes bench/RESULTS-gemm.md.
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import asc from "assemblyscript/asc";
import * as rw from "../../dist/index.js";
import { loadLimits, measureCompute } from "../layers/limits.mjs";

const HELP = `usage: node bench/gemm/run.mjs [flags]
  --baseline ref   git commit whose assembly/ is the "before" column (default: ${"94ba42c"}, the kernels before the GEMM blocking)
  --rounds r       interleaved rounds (default 7; --quick 2)
  --time ms        time per task per round (default 100; --quick 30)
  --quick          smoke run; writes no file unless --out
  --out file       results file (default bench/RESULTS-gemm.md; "-" for none)`;
const { values: flags } = parseArgs({
  options: {
    baseline: { type: "string", default: "94ba42c" },
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
const rounds = Number(flags.rounds ?? (flags.quick ? 2 : 7));
const timeMs = Number(flags.time ?? (flags.quick ? 30 : 100));
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const outFile = flags.out === "-" ? null : (flags.out ?? (flags.quick ? null : join(root, "bench/RESULTS-gemm.md")));

/** assembly/ at `ref`, compiled with the same options as the SIMD target, as WASM bytes. */
async function compileAt(ref) {
  try {
    execFileSync("git", ["cat-file", "-e", `${ref}^{commit}`], { cwd: root, stdio: "ignore" });
  } catch {
    throw new Error(
      `bench:gemm: the baseline commit ${ref} is not in this clone (a shallow clone?): run \`git fetch --unshallow\`, or name another commit with --baseline`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), "regwasm-gemm-"));
  try {
    const files = execFileSync("git", ["ls-tree", "--name-only", `${ref}:assembly`], { cwd: root, encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    mkdirSync(join(dir, "assembly"));
    writeFileSync(join(dir, "asconfig.json"), readFileSync(join(root, "asconfig.json")));
    for (const f of files)
      writeFileSync(join(dir, "assembly", f), execFileSync("git", ["show", `${ref}:assembly/${f}`], { cwd: root }));
    const outPath = join(dir, "base.wasm");
    const { error, stderr } = await asc.main(
      [
        "assembly/index.ts",
        "--config",
        "asconfig.json",
        "--target",
        "simd",
        "--outFile",
        outPath,
        "--textFile",
        join(dir, "base.wat"),
      ],
      {
        readFile: (name, baseDir) => {
          const p = join(dir, baseDir ?? "", name);
          return existsSync(p) ? readFileSync(p, "utf8") : null;
        },
      },
    );
    if (error) throw new Error(`asc failed on ${ref}:assembly: ${stderr.toString()}`);
    return readFileSync(outPath);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A raw instance of WASM bytes with its own memory and a bump allocator (64-byte aligned). */
async function rawInstance(bytes) {
  const memory = new WebAssembly.Memory({ initial: 256 });
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  const k = instance.exports;
  let next = (k.heapBase() + 63) & ~63;
  return {
    k,
    put(values) {
      const bytesNeeded = values.length * 4;
      const need = next + bytesNeeded + 64 - memory.buffer.byteLength;
      if (need > 0) memory.grow(Math.ceil(need / 65536));
      const ptr = next;
      new Float32Array(memory.buffer, ptr, values.length).set(values);
      next = (next + bytesNeeded + 63 + 192) & ~63; // a few lines apart, as separate heap blocks would be
      return ptr;
    },
    read: (ptr, n) => new Float32Array(memory.buffer, ptr, n).slice(),
  };
}

/** Seeded uniform values in [lo, hi). */
function uniform(n, seed, lo = -1, hi = 1) {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}
const relu = (x) => x.map((v) => Math.max(v, 0));

/**
 * A case sets up its operands on an instance and returns the call; `old` for the baseline's matmulTN
 * signature (out, sum, a, b, y, m, p, q: A as is) and the new one (out, at, b, m, p, q[, accumulate]: Aᵀ
 * given; the call includes the transpose, as the dense layer does).
 */
const rows = (m, k, n, withRelu) => ({
  flops: 2 * m * k * n,
  shape: `${m}×${k} · ${k}×${n}`,
  setup(I) {
    const out = I.put(new Float32Array(m * n)),
      a = I.put(relu(uniform(m * k, 1))),
      b = I.put(uniform(k * n, 2, -0.05, 0.05)),
      bias = I.put(uniform(n, 3));
    return { call: () => I.k.matmulRows(out, a, b, bias, m, k, n, withRelu ? 1 : 0), out, len: m * n };
  },
});
const dots = (m, k, n) => ({
  flops: 2 * m * k * n,
  shape: `${m}×${k} · ${k}×${n}`,
  setup(I) {
    const out = I.put(new Float32Array(m * n)),
      a = I.put(relu(uniform(m * k, 1))),
      bt = I.put(uniform(k * n, 2, -0.05, 0.05)),
      bias = I.put(uniform(n, 3));
    return { call: () => I.k.matmulDots(out, a, bt, bias, m, k, n, 0), out, len: m * n };
  },
});
const tn = (m, p, q) => ({
  flops: 2 * m * p * q,
  shape: `${p}×${m} · ${m}×${q}`,
  setup(I) {
    const out = I.put(new Float32Array(p * q)),
      a = I.put(relu(uniform(m * p, 4))),
      at = I.put(new Float32Array(m * p)),
      b = I.put(uniform(m * q, 5, -0.01, 0.01));
    const call =
      I.k.matmulTN.length === 8
        ? () => I.k.matmulTN(out, 0, a, b, 0, m, p, q)
        : () => {
            I.k.transpose(at, a, m, p, 0, p);
            I.k.matmulTN(out, at, b, m, p, q, 1); // an extra argument is ignored by builds without `accumulate`
          };
    // accumulating: every timed call adds to out; the bits are compared after the first call
    return { call, out, len: p * q };
  },
});
const transpose = (m, n) => ({
  flops: 0,
  shape: `${m}×${n}`,
  setup(I) {
    const out = I.put(new Float32Array(m * n)),
      a = I.put(uniform(m * n, 6));
    const call =
      I.k.transpose.length === 4 ? () => I.k.transpose(out, a, m, n) : () => I.k.transpose(out, a, m, n, 0, n);
    return { call, out, len: m * n };
  },
});

const CASES = [];
for (const batch of [32, 128, 256]) {
  CASES.push(
    {
      id: `b${batch}.l1.forward`,
      step: `layer 1 forward (batch ${batch})`,
      kernel: "matmulRows",
      ...rows(batch, 784, 512, true),
    },
    { id: `b${batch}.l2.forward`, step: `layer 2 forward`, kernel: "matmulRows", ...rows(batch, 512, 512, true) },
    { id: `b${batch}.l3.forward`, step: `layer 3 forward`, kernel: "matmulDots", ...dots(batch, 512, 10) },
    { id: `b${batch}.l3.dWt`, step: `layer 3 dWᵀ += dZᵀ·h`, kernel: "matmulTN", ...tn(batch, 10, 512) },
    { id: `b${batch}.l3.dx`, step: `layer 3 dh = dZ·Wᵀ`, kernel: "matmulRows", ...rows(batch, 10, 512, false) },
    { id: `b${batch}.l2.dW`, step: `layer 2 dW += hᵀ·dZ`, kernel: "matmulTN", ...tn(batch, 512, 512) },
    { id: `b${batch}.l2.dx`, step: `layer 2 dh = dZ·Wᵀ`, kernel: "matmulRows", ...rows(batch, 512, 512, false) },
    { id: `b${batch}.l1.dW`, step: `layer 1 dW += xᵀ·dZ`, kernel: "matmulTN", ...tn(batch, 784, 512) },
  );
}
CASES.push(
  { id: "wt.l2", step: "Wᵀ of layer 2 (once per batch)", kernel: "transpose", ...transpose(512, 512) },
  { id: "wt.l1", step: "xᵀ of layer 1's input, batch 128", kernel: "transpose", ...transpose(128, 784) },
);

/** Process CPU time of one call (ms): the fastest round's mean; also the median of the rounds. */
function timeRound(call) {
  const u0 = process.cpuUsage();
  const t0 = performance.now();
  let calls = 0;
  do {
    call();
    calls++;
  } while (performance.now() - t0 < timeMs);
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1000 / calls;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const lim = await loadLimits();
const ceilingStart = measureCompute(lim, { tries: 150 });
console.log(
  `f32x4 mul + add ceiling: ${ceilingStart.peakGflops.toFixed(1)} GFLOP/s at ${ceilingStart.ghz.toFixed(2)} GHz`,
);

const sides = { before: await rawInstance(await compileAt(flags.baseline)) };
const current = await rw.instantiate({ simd: true, threads: 1 });
sides.after = {
  k: current.kernels,
  put(values) {
    const buf = rw.allocF32(values.length, current);
    buf.view().set(values);
    return buf.ptr;
  },
  read: (ptr, n) => new Float32Array(current.heap.memory.buffer, ptr, n).slice(),
};
let relaxedNote = "not measured: this runtime lacks relaxed SIMD (run Node with --experimental-wasm-relaxed-simd)";
if (rw.relaxedSimdSupported()) {
  const relaxed = await rw.instantiate({ relaxedSimd: true, threads: 1 });
  sides.relaxed = {
    ...sides.after,
    k: relaxed.kernels,
    put: (v) => {
      const b = rw.allocF32(v.length, relaxed);
      b.view().set(v);
      return b.ptr;
    },
    read: (ptr, n) => new Float32Array(relaxed.heap.memory.buffer, ptr, n).slice(),
  };
  relaxedNote = "measured (f32x4.relaxed_madd; fused on this CPU)";
}

const results = [];
for (const c of CASES) {
  const tasks = Object.fromEntries(Object.entries(sides).map(([name, I]) => [name, { I, ...c.setup(I) }]));
  for (const t of Object.values(tasks)) t.call();
  const before = tasks.before.I.read(tasks.before.out, tasks.before.len);
  const after = tasks.after.I.read(tasks.after.out, tasks.after.len);
  const same = before.every((v, i) => Object.is(v, after[i]));
  if (!same) throw new Error(`${c.id}: the kernels at ${flags.baseline} and now give different bits`);
  for (const t of Object.values(tasks)) for (let w = 0; w < 3; w++) t.call();
  const samples = Object.fromEntries(Object.keys(tasks).map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const order = Object.keys(tasks);
    if (r % 2) order.reverse();
    for (const n of order) samples[n].push(timeRound(tasks[n].call));
  }
  const best = Object.fromEntries(Object.entries(samples).map(([n, s]) => [n, Math.min(...s)]));
  const med = Object.fromEntries(Object.entries(samples).map(([n, s]) => [n, median(s)]));
  results.push({ c, best, med });
  const g = (ms) => (c.flops ? `${(c.flops / ms / 1e6).toFixed(1)} GFLOP/s` : `${(ms * 1000).toFixed(1)} µs`);
  console.log(
    `${c.id.padEnd(14)} before ${g(best.before)}  after ${g(best.after)}  ×${(best.before / best.after).toFixed(2)}${best.relaxed ? `  relaxed ${g(best.relaxed)}` : ""}`,
  );
}
const ceilingEnd = measureCompute(lim, { tries: 150 });
const ceiling = Math.max(ceilingStart.peakGflops, ceilingEnd.peakGflops);

const fmt = (x, d = 1) => x.toFixed(d);
const lines = [
  "# GEMM benchmark: the products of the MNIST MLP",
  "",
  "Generated by `npm run bench:gemm` (bench/gemm/run.mjs); do not edit by hand.",
  "",
  "| | |",
  "|---|---|",
  `| date | ${new Date().toISOString()} |`,
  `| CPU | ${cpus()[0]?.model ?? "?"} (${cpus().length} logical cores) |`,
  `| Node | ${process.version} |`,
  `| load average | ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ")} at the end (other work on this machine) |`,
  `| ceiling | ${fmt(ceilingStart.peakGflops)} GFLOP/s at the start, ${fmt(ceilingEnd.peakGflops)} at the end (${fmt(ceilingStart.peakGflops / ceilingStart.ghz)} flop/cycle at ${fmt(ceilingStart.ghz, 2)} GHz); % below use the larger |`,
  `| before | assembly/ at ${flags.baseline}, compiled like the SIMD target |`,
  `| relaxed-SIMD build | ${relaxedNote} |`,
  `| settings | ${rounds} interleaved rounds × ${timeMs} ms per task |`,
  "",
  "## Method",
  "- **Ceiling**: 12 independent f32x4 chains `c = c·m + a` (one `f32x4.mul` and one `f32x4.add` each,",
  "  bench/layers/limits.ts `peakMulAdd`, compiled --enable simd -O3), the fastest of 150 ~1 ms runs:",
  "  the most mul + add a core issues per second from WASM without FMA.",
  "- **GFLOP/s**: 2·m·k·n over the process CPU time per call (`process.cpuUsage` over a round of calls",
  "  lasting the round's time), the best round (a shared machine only ever slows a round down); the",
  "  medians are in the details. `before` and `after` (and `relaxed`) alternate round by round.",
  "- matmulTN's `after` includes the transpose of A (the dense layer transposes x, or dZ, then runs the",
  "  product from Aᵀ); `before` took A as is. Every case first checks before = after, bit for bit.",
  "",
  "## Results",
  "",
  `| step | kernel | shape | before GFLOP/s | after GFLOP/s | after, % of ceiling | × before |${sides.relaxed ? " relaxed GFLOP/s | relaxed, % of ceiling |" : ""}`,
  `|---|---|---|--:|--:|--:|--:|${sides.relaxed ? "--:|--:|" : ""}`,
];
const cell = (c, ms) => (c.flops ? fmt(c.flops / ms / 1e6) : `${fmt(ms * 1000)} µs`);
for (const { c, best } of results) {
  const pct = (ms) => (c.flops ? `${Math.round((100 * c.flops) / ms / 1e6 / ceiling)}%` : "–");
  lines.push(
    `| ${c.step} | ${c.kernel} | ${c.shape} | ${cell(c, best.before)} | ${cell(c, best.after)} | ${pct(best.after)} | ${fmt(best.before / best.after, 2)}× |${best.relaxed ? ` ${cell(c, best.relaxed)} | ${pct(best.relaxed)} |` : ""}`,
  );
}
lines.push(
  "",
  "## Details (median of the rounds)",
  "",
  `| case | before | after |${sides.relaxed ? " relaxed |" : ""}`,
  `|---|--:|--:|${sides.relaxed ? "--:|" : ""}`,
);
for (const { c, med } of results)
  lines.push(
    `| ${c.id} | ${cell(c, med.before)} | ${cell(c, med.after)} |${med.relaxed ? ` ${cell(c, med.relaxed)} |` : ""}`,
  );
const text = `${lines.join("\n")}\n`;
if (outFile) {
  writeFileSync(outFile, text);
  console.log(`wrote ${outFile}`);
}
