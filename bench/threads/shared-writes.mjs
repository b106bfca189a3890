// What a pass that writes memory costs on 2 threads when the other core has just read those lines:
// `node bench/threads/shared-writes.mjs [--rounds 400] [--floats 675000]`.
// The buffer is the MNIST MLP's weights by default (675,000 floats, 2.7 MB). Each round, per
// configuration: a read pass (allFinite) in 2 parts, then a write pass (sgdUpdate with lr 0: w = w·1 −
// 0·g, the same values) in 2 parts, each thread writing its own half. "read all": both threads read the
// whole buffer first, as the row-cut forward product reads all of W; "read own half": each thread reads
// the half it then writes. "1 thread": the same passes on one thread. Microseconds per pass (median and
// 10th–90th percentile over the rounds, configurations interleaved). In a training step the weights are
// read whole by both threads' forward parts and then written in halves by the optimizer, so the gap
// between the two 2-thread write passes is what those shared lines cost the update.
import { parseArgs } from "node:util";
import { allocF32, instantiate } from "../../dist/index.js";
import { median, quantile } from "../epoch/stats.mjs";

const { values: flags } = parseArgs({
  options: { rounds: { type: "string", default: "400" }, floats: { type: "string", default: "675000" } },
});
const rounds = Number(flags.rounds);
const floats = Number(flags.floats) & ~3;
if (!(rounds >= 10) || !(floats >= 1024)) throw new RangeError("--rounds must be ≥ 10 and --floats ≥ 1024");

async function setup(threads) {
  const inst = await instantiate({ threads });
  const w = allocF32(floats, inst);
  const g = allocF32(floats, inst);
  w.view().fill(0.5);
  g.view().fill(0.25);
  const half = floats / 2;
  const halves = [
    [0, half],
    [half, floats - half],
  ];
  const write = halves.map(([at, n]) => [w.ptr + 4 * at, g.ptr + 4 * at, 0, n, 0, 0, 1]);
  if (threads === 1)
    return {
      read: () => inst.kernels.allFinite(w.ptr, floats),
      write: () => inst.kernels.sgdUpdate(w.ptr, g.ptr, 0, floats, 0, 0, 1),
    };
  return {
    readAll: () =>
      inst.run("allFinite", [
        [w.ptr, floats],
        [w.ptr, floats],
      ]),
    readOwn: () =>
      inst.run(
        "allFinite",
        halves.map(([at, n]) => [w.ptr + 4 * at, n]),
      ),
    write: () => inst.run("sgdUpdate", write),
  };
}

const one = await setup(1);
const two = await setup(2);
const configs = {
  "1 thread": [one.read, one.write],
  "2 threads, read all": [two.readAll, two.write],
  "2 threads, read own half": [two.readOwn, two.write],
};
const times = Object.fromEntries(Object.keys(configs).map((name) => [name, { read: [], write: [] }]));
for (let round = 0; round < rounds + 20; round++)
  for (const [name, [read, write]] of Object.entries(configs)) {
    const t0 = performance.now();
    read();
    const t1 = performance.now();
    write();
    const t2 = performance.now();
    if (round >= 20) {
      times[name].read.push((t1 - t0) * 1000);
      times[name].write.push((t2 - t1) * 1000);
    }
  }

const cell = (samples) =>
  `${median(samples).toFixed(0)} (${quantile(samples, 0.1).toFixed(0)}–${quantile(samples, 0.9).toFixed(0)})`;
console.log(`${floats} floats (${((floats * 4) / 1e6).toFixed(1)} MB), ${rounds} rounds, µs per pass`);
console.log("| configuration | read pass | write pass after it |");
console.log("| --- | --- | --- |");
for (const [name, { read, write }] of Object.entries(times))
  console.log(`| ${name} | ${cell(read)} | ${cell(write)} |`);
