#!/usr/bin/env node
// Mutation testing of the WASM kernels: does the kernel suite notice a small, realistic bug?
//   npm run mutate:kernels                 every mutation (about 1–3 min each)
//   npm run mutate:kernels -- NAME …       only these mutations
//   npm run mutate:kernels -- --list       list the mutations; --check: only check that each applies
//   options: --keep (keep the temporary copy), --all-failures (no bail: name every failing test),
//            --tests=a.test.ts,b.test.ts (run only these files: which tests alone kill a mutation),
//            --no-baseline (skip the unmutated run)
// Each mutation is a literal search/replace (every search must match exactly once, else the script
// stops before running anything) applied to a TEMPORARY COPY of the working tree (tracked and untracked
// files, node_modules symlinked), never to the tree itself. Per mutation it rebuilds (scripts/build.mjs)
// and runs `vitest run --project node --project node-scalar test/kernels test/golden`; a mutation is
// killed when a test fails (or the run times out), and survives when the suite passes. An unmutated
// baseline run must pass first. Not part of npm test.
//
// Two mutations edit src/wasm/window.ts (copy windows live in TypeScript, not in assembly/); they too
// touch only the temporary copy.
import { spawn, execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** [name, what it models, [file, search, replace]…] */
const MUTATIONS = [
  // comparison: the keep rule v < threshold
  [
    "keep-le-simd",
    "keep rule v <= t in the SIMD rounds (lanes still equal to T after every level kept)",
    [
      "assembly/dropout.ts",
      "        if (maskPtr) v128.store(maskPtr + (i >> 3), less);",
      "        less = v128.or(less, undecided);\n        if (maskPtr) v128.store(maskPtr + (i >> 3), less);",
    ],
  ],
  [
    "keep-le-scalar",
    "keep rule v <= t in the one-group comparison (scalar build, SIMD build's last words)",
    ["assembly/dropout.ts", "  return less;", "  return less | undecided;"],
  ],
  [
    "levels-fixed-only",
    "the SIMD rounds stop after the fixed levels, with lanes still undecided",
    [
      "assembly/dropout.ts",
      "        while (t != 0 && v128.any_true(undecided)) {",
      "        while (false && t != 0 && v128.any_true(undecided)) {",
    ],
  ],
  [
    "level-counter",
    "the one-group comparison reads words 32g + 1 … instead of 32g …",
    [
      "assembly/dropout.ts",
      "let undecided: u32 = 0xffffffff, less: u32 = 0, t = threshold, c = g << 5;",
      "let undecided: u32 = 0xffffffff, less: u32 = 0, t = threshold, c = (g << 5) + 1;",
    ],
  ],
  [
    "unaligned-join",
    "an unaligned call joins two groups one bit off",
    [
      "assembly/dropout.ts",
      "word = (low >>> shift) | (high << (32 - shift));",
      "word = (low >>> shift) | (high << (31 - shift));",
    ],
  ],
  // constants
  [
    "hash-m1",
    "lowbias32 multiplier 0x21f0aaad → 0x21f0aaaf",
    ["assembly/random.ts", "const M1: u32 = 0x21f0aaad;", "const M1: u32 = 0x21f0aaaf;"],
  ],
  [
    "hash-m2",
    "lowbias32 multiplier 0x735a2d97 → 0x735a2d95",
    ["assembly/random.ts", "const M2: u32 = 0x735a2d97;", "const M2: u32 = 0x735a2d95;"],
  ],
  [
    "golden-ratio",
    "counter multiplier 0x9e3779b9 → 0x9e3779bb",
    ["assembly/random.ts", "const GOLDEN: u32 = 0x9e3779b9;", "const GOLDEN: u32 = 0x9e3779bb;"],
  ],
  [
    "splitmix-constant",
    "splitmix64 multiplier, last digit",
    ["assembly/random.ts", "(z >>> 30)) * 0xbf58476d1ce4e5b9;", "(z >>> 30)) * 0xbf58476d1ce4e5bb;"],
  ],
  [
    "shift-scalar",
    "lowbias32 first shift 16 → 17, scalar hash",
    ["assembly/random.ts", "  x ^= x >>> 16;", "  x ^= x >>> 17;"],
  ],
  [
    "shift-simd",
    "lowbias32 first shift 16 → 17, SIMD hash only",
    ["assembly/random.ts", "i32x4.shr_u(x, 16)", "i32x4.shr_u(x, 17)"],
  ],
  [
    "threshold-plus-one",
    "keep threshold floor((1 − rate)·2^32) + 1",
    [
      "assembly/dropout.ts",
      "return <u32>Math.floor((1 - rate) * 4294967296.0);",
      "return <u32>Math.floor((1 - rate) * 4294967296.0) + 1;",
    ],
  ],
  [
    "scale-ulp-forward",
    "forward scale one ulp too large",
    [
      "assembly/dropout.ts",
      "const threshold = keepThreshold(rate);\n  const scale = <f32>(1.0 / (1.0 - rate));",
      "const threshold = keepThreshold(rate);\n  const scale = reinterpret<f32>(reinterpret<u32>(<f32>(1.0 / (1.0 - rate))) + 1);",
    ],
  ],
  [
    "scale-ulp-backward",
    "backward (stored mask) scale one ulp too large",
    [
      "assembly/dropout.ts",
      "return; }\n  const scale = <f32>(1.0 / (1.0 - rate));",
      "return; }\n  const scale = reinterpret<f32>(reinterpret<u32>(<f32>(1.0 / (1.0 - rate))) + 1);",
    ],
  ],
  // scale formula
  [
    "scale-f32-division",
    "scale computed as f32(1) / f32(1 − rate) (double rounding)",
    [
      "assembly/dropout.ts",
      "const threshold = keepThreshold(rate);\n  const scale = <f32>(1.0 / (1.0 - rate));",
      "const threshold = keepThreshold(rate);\n  const scale = <f32>1.0 / <f32>(1.0 - rate);",
    ],
  ],
  [
    "scale-over-rate",
    "scale 1/rate instead of 1/(1 − rate)",
    [
      "assembly/dropout.ts",
      "const threshold = keepThreshold(rate);\n  const scale = <f32>(1.0 / (1.0 - rate));",
      "const threshold = keepThreshold(rate);\n  const scale = <f32>(1.0 / rate);",
    ],
  ],
  // fold order of the penalty sums
  [
    "fold-pairs-simd",
    "lane pairs (0+3, 1+2) instead of (0+2, 1+3), SIMD build only",
    ["assembly/reduce.ts", "v128.shuffle<f32>(a, a, 2, 3, 0, 1)", "v128.shuffle<f32>(a, a, 3, 2, 1, 0)"],
  ],
  [
    "fold-vectors-simd",
    "vectors folded ((P0+P1)+P2)+P3, SIMD build only",
    [
      "assembly/reduce.ts",
      "f64x2.add(f64x2.add(pairSum(a0), pairSum(a1)), f64x2.add(pairSum(a2), pairSum(a3)))",
      "f64x2.add(f64x2.add(f64x2.add(pairSum(a0), pairSum(a1)), pairSum(a2)), pairSum(a3))",
    ],
  ],
  [
    "fold-pairs-both",
    "lane pairs (0+3, 1+2) in both builds (SIMD and scalar still agree)",
    ["assembly/reduce.ts", "v128.shuffle<f32>(a, a, 2, 3, 0, 1)", "v128.shuffle<f32>(a, a, 3, 2, 1, 0)"],
    ["assembly/reduce.ts", "lanes + ((v * 4 + p + 2) << 2)", "lanes + ((v * 4 + 3 - p) << 2)"],
  ],
  [
    "fold-vectors-both",
    "vectors folded ((P0+P1)+P2)+P3 in both builds",
    [
      "assembly/reduce.ts",
      "f64x2.add(f64x2.add(pairSum(a0), pairSum(a1)), f64x2.add(pairSum(a2), pairSum(a3)))",
      "f64x2.add(f64x2.add(f64x2.add(pairSum(a0), pairSum(a1)), pairSum(a2)), pairSum(a3))",
    ],
    [
      "assembly/reduce.ts",
      "const s0 = (lanePair(lanes, 0, 0) + lanePair(lanes, 1, 0)) + (lanePair(lanes, 2, 0) + lanePair(lanes, 3, 0));",
      "const s0 = ((lanePair(lanes, 0, 0) + lanePair(lanes, 1, 0)) + lanePair(lanes, 2, 0)) + lanePair(lanes, 3, 0);",
    ],
    [
      "assembly/reduce.ts",
      "const s1 = (lanePair(lanes, 0, 1) + lanePair(lanes, 1, 1)) + (lanePair(lanes, 2, 1) + lanePair(lanes, 3, 1));",
      "const s1 = ((lanePair(lanes, 0, 1) + lanePair(lanes, 1, 1)) + lanePair(lanes, 2, 1)) + lanePair(lanes, 3, 1);",
    ],
  ],
  [
    "block-size",
    "f32 lanes fold into f64 every 2048 elements instead of 1024",
    ["assembly/reduce.ts", "export const BLOCK: usize = 1024;", "export const BLOCK: usize = 2048;"],
  ],
  // tail handling
  [
    "tail-dropout",
    "dropout's partial last word skips its last element",
    ["assembly/dropout.ts", "for (let b: usize = 0; b < count; b++) {", "for (let b: usize = 0; b + 1 < count; b++) {"],
  ],
  [
    "tail-mask-word",
    "dropout stores a mask word only when it is full (drops the last partial word)",
    [
      "assembly/dropout.ts",
      "if (maskPtr) store<u32>(maskPtr + (i >> 3), word);",
      "if (maskPtr && count == 32) store<u32>(maskPtr + (i >> 3), word);",
    ],
  ],
  [
    "tail-backward",
    "dropoutBackward's scalar loop stops one element early",
    [
      "assembly/dropout.ts",
      "for (; i < n; i++) {\n    const kept = (load<u32>(maskPtr",
      "for (; i + 1 < n; i++) {\n    const kept = (load<u32>(maskPtr",
    ],
  ],
  [
    "tail-random",
    "randomUint32's scalar loop stops one word early",
    [
      "assembly/random.ts",
      "for (; i < n; i++) store<u32>(outPtr + (i << 2), hashCounter(",
      "for (; i + 1 < n; i++) store<u32>(outPtr + (i << 2), hashCounter(",
    ],
  ],
  [
    "tail-penalty",
    "the penalty tail (< 16 elements) skips its last element",
    ["assembly/penalty.ts", "for (let i: usize = 0; i < count; i++) {", "for (let i: usize = 0; i + 1 < count; i++) {"],
  ],
  [
    "tail-gradient",
    "the gradient's scalar loop stops one element early",
    ["assembly/gradient.ts", "for (; i < count; i++) {", "for (; i + 1 < count; i++) {"],
  ],
  // the L2 gradient and sign(0)
  [
    "l2-grad-lambda",
    "L2 gradient λ·x instead of 2λ·x",
    ["assembly/gradient.ts", "l2x2f = <f32>(2 * l2);", "l2x2f = <f32>l2;"],
  ],
  [
    "sign0-ignored",
    "signAtZero ignored: sign(0) is always +1",
    ["assembly/gradient.ts", "const l1AtZero = l1f * signAtZero;", "const l1AtZero = l1f;"],
  ],
  [
    "sign0-scalar-copysign",
    "scalar sign(±0) taken from the zero's sign bit",
    [
      "assembly/gradient.ts",
      "const l1Term = x == 0 ? l1AtZero : copysign<f32>(l1, x);",
      "const l1Term = copysign<f32>(l1, x);",
    ],
  ],
  [
    "sign0-simd-copysign",
    "SIMD sign(±0) taken from the zero's sign bit",
    ["assembly/gradient.ts", "f32x4.eq(x, f32x4.splat(0))", "f32x4.ne(x, x)"],
  ],
  // copy windows (TypeScript)
  [
    "window-size",
    "copy window of 65024 elements (a multiple of 32 but not of the 1024-block)",
    ["src/wasm/window.ts", "export const WINDOW = 1 << 16;", "export const WINDOW = (1 << 16) - 512;"],
  ],
  [
    "window-last-element",
    "write-back skips the last element when n is a multiple of the window",
    [
      "src/wasm/window.ts",
      "subarray(from, from + words(count, op.bits))",
      "subarray(from, from + words(count - (start + count === n && n % WINDOW === 0 ? 1 : 0), op.bits))",
    ],
  ],
  // matmulTN's accumulate flag: a batch's first chunk must start from 0, whatever dW held
  [
    "tn-always-accumulate",
    "matmulTN ignores accumulate = 0 and adds to out (a batch's gradient would include stale dW)",
    ["assembly/matmul.ts", "accumulate ? outPtr : 0, accumulate ? q << 2 : 0", "outPtr, q << 2"],
  ],
  [
    "tn-null-start-rows",
    "with accumulate = 0 the start rows keep their stride: rows i > 0 start from memory at i·stride (caught where those low addresses hold non-zero data: the kernels' static data, for shapes of more than 64 rows)",
    ["assembly/matmul.ts", "accumulate ? outPtr : 0, accumulate ? q << 2 : 0", "accumulate ? outPtr : 0, q << 2"],
  ],
].map(([name, about, ...edits]) => ({
  name,
  about,
  edits: edits.map(([file, search, replace]) => ({ file, search, replace })),
}));

const args = process.argv.slice(2);
const flag = (f) => args.includes(f);
const names = args.filter((a) => !a.startsWith("--"));
const testsOption = args.find((a) => a.startsWith("--tests="));
const TEST_PATHS = testsOption ? testsOption.slice("--tests=".length).split(",") : ["test/kernels", "test/golden"];
const TEST_ARGS = ["run", "--project", "node", "--project", "node-scalar", ...TEST_PATHS];
const TIMEOUT_MS = 15 * 60_000;

function occurrences(text, search) {
  let count = 0;
  for (let at = text.indexOf(search); at >= 0; at = text.indexOf(search, at + 1)) count++;
  return count;
}

/** Every search must match exactly once in the current tree; throws naming each one that does not. */
function checkPatterns(mutations) {
  const problems = [];
  for (const m of mutations) {
    for (const e of m.edits) {
      const count = occurrences(readFileSync(join(root, e.file), "utf8"), e.search);
      if (count !== 1)
        problems.push(`${m.name}: ${e.file}: pattern matches ${count} times: ${JSON.stringify(e.search)}`);
    }
  }
  if (problems.length) throw new Error(`mutation patterns no longer match exactly once:\n  ${problems.join("\n  ")}`);
}

const unknown = names.filter((n) => !MUTATIONS.some((m) => m.name === n));
if (unknown.length) {
  console.error(`unknown mutation(s): ${unknown.join(", ")}; --list shows them`);
  process.exit(2);
}
const selected = names.length ? MUTATIONS.filter((m) => names.includes(m.name)) : MUTATIONS;
if (flag("--list")) {
  for (const m of MUTATIONS) console.log(`${m.name.padEnd(24)} ${m.about}`);
  process.exit(0);
}
checkPatterns(selected);
if (flag("--check")) {
  console.log(`${selected.length} mutations, every pattern matches exactly once`);
  process.exit(0);
}

// ---------------------------------------------------------------- the temporary copy

const work = mkdtempSync(join(tmpdir(), "regwasm-mutate-"));
const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root })
  .toString()
  .split("\0")
  .filter((f) => f && f !== "node_modules" && existsSync(join(root, f)));
for (const f of files) {
  mkdirSync(dirname(join(work, f)), { recursive: true });
  cpSync(join(root, f), join(work, f));
}
symlinkSync(realpathSync(join(root, "node_modules")), join(work, "node_modules"));
const cleanup = () => {
  if (!flag("--keep")) rmSync(work, { recursive: true, force: true });
};
/** The running build or test process group, ended with us on Ctrl-C. */
let running = null;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (running) {
      try {
        process.kill(-running.pid, "SIGKILL");
      } catch {}
    }
    cleanup();
    process.exit(130);
  });
}

/** Runs a command in the copy, in its own process group (killed whole on timeout); resolves { code, output, timedOut }. */
function run(command, commandArgs, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: work, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    running = child;
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      running = null;
      resolve({ code, output, timedOut });
    });
  });
}

const report = join(work, "mutation-result.json");

/** Build, then the kernel suites; returns { outcome: "passed" | "failed" | "timeout" | "build error", failures, seconds }. */
async function buildAndTest(bail) {
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  const build = await run(process.execPath, ["scripts/build.mjs"], TIMEOUT_MS);
  if (build.code !== 0)
    return {
      outcome: "build error",
      failures: [build.output.trim().split("\n").slice(-5).join(" | ")],
      seconds: seconds(),
    };
  rmSync(report, { force: true });
  const vitestArgs = [...TEST_ARGS, "--reporter=json", `--outputFile=${report}`, "--no-cache"];
  if (bail) vitestArgs.push("--bail=1");
  const tests = await run(process.execPath, ["node_modules/vitest/vitest.mjs", ...vitestArgs], TIMEOUT_MS);
  if (tests.timedOut) return { outcome: "timeout", failures: [], seconds: seconds() };
  const failures = [];
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, "utf8"));
    for (const file of json.testResults) {
      const path = file.name.slice(work.length + 1);
      for (const t of file.assertionResults) if (t.status === "failed") failures.push(`${path} > ${t.fullName}`);
      if (file.status === "failed" && !file.assertionResults.some((t) => t.status === "failed"))
        failures.push(`${path}: ${(file.message || "failed to run").split("\n")[0]}`);
    }
  }
  if (tests.code !== 0 && failures.length === 0)
    failures.push(`vitest exited with ${tests.code}: ${tests.output.trim().split("\n").slice(-3).join(" | ")}`);
  return { outcome: tests.code === 0 ? "passed" : "failed", failures, seconds: seconds() };
}

const bail = !flag("--all-failures");
const t0 = Date.now();
console.log(`mutate:kernels: ${selected.length} mutations in ${work}`);
console.log(`tests: vitest ${TEST_ARGS.join(" ")}${bail ? " --bail=1" : ""}\n`);
const results = [];
try {
  if (!flag("--no-baseline")) {
    const base = await buildAndTest(false);
    console.log(`baseline (no mutation): ${base.outcome}, ${base.seconds} s`);
    if (base.outcome !== "passed") {
      console.error(`the unmutated suite must pass first:\n  ${base.failures.join("\n  ")}`);
      process.exitCode = 1;
      throw new Error("baseline failed");
    }
  }
  for (const [k, m] of selected.entries()) {
    const originals = new Map();
    for (const e of m.edits) {
      const path = join(work, e.file);
      if (!originals.has(path)) originals.set(path, readFileSync(path, "utf8"));
      writeFileSync(
        path,
        readFileSync(path, "utf8").replace(e.search, () => e.replace),
      );
    }
    const r = await buildAndTest(bail);
    for (const [path, text] of originals) writeFileSync(path, text);
    const status = { passed: "SURVIVED", failed: "killed", timeout: "killed (timeout)", "build error": "BUILD ERROR" }[
      r.outcome
    ];
    results.push({ ...m, ...r, status });
    const head = `[${String(k + 1).padStart(2)}/${selected.length}] ${m.name.padEnd(22)} ${status.padEnd(16)} ${String(r.seconds).padStart(4)} s`;
    console.log(`${head}  ${m.about}`);
    for (const f of r.failures.slice(0, 3)) console.log(`${" ".repeat(10)}by ${f}`);
    if (r.failures.length > 3) console.log(`${" ".repeat(10)}(+${r.failures.length - 3} more)`);
  }
} catch (error) {
  if (error.message !== "baseline failed") throw error;
} finally {
  cleanup();
}

if (results.length) {
  const killed = results.filter((r) => r.status.startsWith("killed"));
  const survived = results.filter((r) => r.status === "SURVIVED");
  const broken = results.filter((r) => r.status === "BUILD ERROR");
  console.log(
    `\nsummary: ${killed.length}/${results.length} killed, ${survived.length} survived, ${broken.length} build errors, ${Math.round((Date.now() - t0) / 60000)} min`,
  );
  for (const r of survived) console.log(`  survived: ${r.name} (${r.about})`);
  for (const r of broken) console.log(`  build error: ${r.name}: ${r.failures[0]}`);
  if (survived.length || broken.length) process.exitCode = 1;
}
