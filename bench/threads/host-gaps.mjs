// How much of each vCPU the host takes away: `node bench/threads/host-gaps.mjs [--seconds 3]`.
// A process pinned to one vCPU (taskset) reads the clock in a tight loop; a step longer than 50 µs
// is time the vCPU did not run the loop (the host ran something else, or the kernel did). Each vCPU is
// measured alone, then all at once; per vCPU it prints the gaps' count, their share of the time, the
// longest, and the loop's rate (a vCPU the host runs slower turns fewer iterations).
// Why it matters: a training step on 2 threads joins its threads ~20 times (every kernel call cut into
// parts), and a gap on either thread while it holds a part holds up the whole call, so each join pays
// for both vCPUs' gaps where one thread pays only for its own. Linux's /proc/stat shows no steal time
// in these VMs, so this is the way to see it.
import { execFile, spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values: flags } = parseArgs({
  options: { seconds: { type: "string", default: "3" }, probe: { type: "boolean", default: false } },
});
const seconds = Number(flags.seconds);
if (!(seconds > 0)) throw new RangeError("--seconds must be a number > 0");

/** Loops on the clock for `seconds`; returns the gaps over 50 µs and the loop's iterations. */
function probe() {
  const end = performance.now() + seconds * 1000;
  let last = performance.now();
  let gaps = 0;
  let gapMs = 0;
  let longest = 0;
  let iterations = 0;
  for (let now = last; now < end; now = performance.now()) {
    iterations++;
    const step = now - last;
    if (step > 0.05) {
      gaps++;
      gapMs += step;
      longest = Math.max(longest, step);
    }
    last = now;
  }
  return { gaps, gapMs, longest, iterations };
}

if (flags.probe) {
  console.log(JSON.stringify(probe()));
  process.exit(0);
}
if (spawnSync("taskset", ["-V"]).status !== 0) throw new Error("host-gaps needs taskset (util-linux) to pin a vCPU");

const self = fileURLToPath(import.meta.url);
/** Starts a probe pinned to `cpu`; resolves to its result. */
const pinned = (cpu) =>
  new Promise((resolve, reject) =>
    execFile(
      "taskset",
      ["-c", String(cpu), process.execPath, self, "--probe", "--seconds", String(seconds)],
      (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))),
    ),
  );
const line = (label, cpu, r) =>
  `${label} vCPU ${cpu}: ${r.gaps} gaps over 50 µs, ${((100 * r.gapMs) / (seconds * 1000)).toFixed(1)}% of the time, longest ${r.longest.toFixed(2)} ms; ${(r.iterations / seconds / 1e6).toFixed(1)}M clock reads per s`;

const all = cpus().map((_, cpu) => cpu);
for (const cpu of all) console.log(line("alone,  ", cpu, await pinned(cpu)));
const together = await Promise.all(all.map(pinned));
together.forEach((r, cpu) => console.log(line("at once,", cpu, r)));
