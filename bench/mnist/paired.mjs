// A/B of two commits on the MNIST model inside one process: the baseline commit is checked out into a
// temporary worktree and built there, both builds are loaded side by side (each its own module graph,
// WASM instance and worker threads), and short fit() calls alternate between them, so that whatever
// else the machine does hits both alike. On this shared VM separate processes of the same build
// spread 6–10 ms per 2-thread step from one run to the next; alternating blocks inside one process
// resolved differences of 1–2 %.
//
//   node bench/mnist/paired.mjs --baseline REF [--threads N] [--blocks 40] [--batches 10]
//     [--model mnist|course|mnist-evaluate|l2Penalty|addPenaltyGrad|dropout]
//
// Each block trains `--batches` batches of 128 rows (one fit() epoch over that many rows, shuffled by
// the block's seed) on each side (with --model course: `--batches` epochs of the course's dropout
// model on its full batch of 3000 rows; with --model mnist-evaluate: one evaluate() of MNIST's 10000
// test rows, ms per call; with a kernel's name: `--batches` calls of it on 1.6e7 values, ms per call,
// bench/threads/kernel-block.mjs), the two sides in alternating order; after 4 warm-up blocks per side,
// it prints ms per batch of each side and the ratio now / baseline per block pair: median and 10th–90th
// percentile. Both sides start from the same weights and train on the same batches, so it also says
// whether their weights (a kernel's last results) stayed bit-identical (a change meant to keep the bits
// must keep them). A side's worker spins ~1–3 ms after its last job before it parks, into the other
// side's block: a block should last much longer than that.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadMnistSet } from "../../examples/mnist-data.mjs";
import { median, quantile } from "../epoch/stats.mjs";
import { BATCH, trainBlock } from "./train-block.mjs";
import { courseModel } from "../threads/course-model.mjs";
import { KERNELS, kernelBlock } from "../threads/kernel-block.mjs";

const USAGE =
  "usage: node bench/mnist/paired.mjs --baseline REF [--threads N] [--blocks 40] [--batches 10] [--model mnist|course|mnist-evaluate|l2Penalty|addPenaltyGrad|dropout]";
const { values: flags } = parseArgs({
  options: {
    baseline: { type: "string" },
    threads: { type: "string" },
    blocks: { type: "string", default: "40" },
    batches: { type: "string", default: "10" },
    model: { type: "string", default: "mnist" },
  },
});
const count = (name, min) => {
  const text = flags[name];
  if (!/^\d+$/.test(text) || Number(text) < min)
    throw new RangeError(`--${name} must be an integer ≥ ${min}\n${USAGE}`);
  return Number(text);
};
if (flags.baseline === undefined) throw new TypeError(`--baseline is required\n${USAGE}`);
if (!["mnist", "course", "mnist-evaluate", ...KERNELS].includes(flags.model))
  throw new RangeError(`--model must be mnist, course, mnist-evaluate or ${KERNELS.join(", ")}\n${USAGE}`);
const course = flags.model === "course";
const evaluate = flags.model === "mnist-evaluate";
const kernel = KERNELS.includes(flags.model);
const blocks = count("blocks", 1);
const batches = count("batches", 1);
const threads = flags.threads === undefined ? undefined : count("threads", 1);
const WARM_BLOCKS = 4;

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
try {
  execFileSync("git", ["cat-file", "-e", `${flags.baseline}^{commit}`], { cwd: root, stdio: "ignore" });
} catch {
  throw new Error(
    `--baseline: ${flags.baseline} is not a commit of this clone (a shallow clone? git fetch --unshallow)`,
  );
}

/** The built package of `ref` in a temporary worktree (node_modules shared with this tree). */
function buildAt(ref) {
  const dir = join(mkdtempSync(join(tmpdir(), "regwasm-paired-")), "tree");
  execFileSync("git", ["worktree", "add", "--detach", dir, ref], { cwd: root, stdio: "ignore" });
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  execFileSync(process.execPath, [join(dir, "scripts", "build.mjs")], { cwd: dir, stdio: ["ignore", 2, 2] });
  return dir;
}
execFileSync(process.execPath, [join(root, "scripts", "build.mjs"), "--if-stale"], {
  cwd: root,
  stdio: ["ignore", 2, 2],
});
const baseDir = buildAt(flags.baseline);
const removeBaseline = () => {
  execFileSync("git", ["worktree", "remove", "--force", baseDir], { cwd: root, stdio: "ignore" });
  rmSync(dirname(baseDir), { recursive: true, force: true });
};

try {
  const train = course || evaluate || kernel ? null : loadMnistSet("train", blocks * batches * BATCH);
  const test = evaluate ? loadMnistSet("t10k") : null;
  /** One side: its own package (dist/ and the example's model), initialised, with the model built. */
  async function side(dir) {
    if (course) return courseSide(dir);
    if (kernel) {
      const lib = await import(join(dir, "dist", "index.js"));
      await lib.init(threads === undefined ? {} : { threads });
      return kernelBlock(lib, undefined, flags.model, batches); // the default instance
    }
    const { init } = await import(join(dir, "dist", "index.js"));
    const { mnistModel } = await import(join(dir, "examples", "mnist-model.mjs"));
    await init(threads === undefined ? {} : { threads });
    const { model, optimizer } = mnistModel();
    if (evaluate)
      return {
        model,
        /** ms of one evaluate() of the 10000 test rows. */
        async block() {
          const t0 = performance.now();
          model.evaluate(test.x, test.y);
          return performance.now() - t0;
        },
      };
    return { model, block: trainBlock(model, optimizer, train, batches) };
  }
  /** The course's model on one side: a block is `batches` epochs of its full batch. */
  async function courseSide(dir) {
    const lib = await import(join(dir, "dist", "index.js"));
    await lib.init(threads === undefined ? {} : { threads });
    const { x, y, model, optimizer } = courseModel(lib);
    return {
      model,
      async block() {
        const t0 = performance.now();
        await model.fit(x, y, { epochs: batches, optimizer });
        return (performance.now() - t0) / batches;
      },
    };
  }
  const sides = { baseline: await side(baseDir), now: await side(root) };
  const times = { baseline: [], now: [] };
  for (let k = 0; k < WARM_BLOCKS + blocks; k++) {
    const order = k % 2 ? ["now", "baseline"] : ["baseline", "now"];
    for (const name of order) {
      const ms = await sides[name].block(k);
      if (k >= WARM_BLOCKS) times[name].push(ms);
    }
  }
  const unit = course ? "epoch" : evaluate ? "evaluate()" : kernel ? "call" : "batch";
  const ratios = times.now.map((t, i) => t / times.baseline[i]);
  const bits = (model) => model.getWeights().map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength));
  const result = (side) => (kernel ? side.resultBytes() : bits(side.model));
  const [a, b] = [result(sides.baseline), result(sides.now)];
  const same = a.length === b.length && a.every((w, i) => w.equals(b[i]));
  console.log(
    `${course ? `the course's model, ${blocks} block pairs of ${batches} full-batch epochs` : evaluate ? `MNIST model, ${blocks} block pairs of one evaluate() of 10000 rows` : kernel ? `${flags.model} of 1.6e7 values, ${blocks} block pairs of ${batches} calls` : `MNIST model, ${blocks} block pairs of ${batches} batches of ${BATCH}`}, threads: ${threads ?? "one per core"}\n` +
      `baseline ${flags.baseline}: ${median(times.baseline).toFixed(3)} ms per ${unit} (median)\n` +
      `now (this tree): ${median(times.now).toFixed(3)} ms per ${unit} (median)\n` +
      `now / baseline per block pair: median ${median(ratios).toFixed(3)}, 10th–90th percentile ${quantile(ratios, 0.1).toFixed(3)}–${quantile(ratios, 0.9).toFixed(3)}\n` +
      `${kernel ? "last results" : "weights"} bit-identical${kernel ? "" : " after training"}: ${same ? "yes" : "NO"}`,
  );
} finally {
  removeBaseline();
}
