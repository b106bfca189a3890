// What a thread costs and from which size a kernel call is worth cutting: `npm run bench:threads`.
// (1) Dispatch: a call of 2 empty parts on a 2-thread instance (the worker wakes, takes its part,
// the caller waits for it) against the same call on the calling thread alone. (2) Crossover: Σx²
// (penaltyBlocks, the threaded form) in 2 parts on 2 threads against 1 part, at sizes around the
// library's threshold (src/wasm/partition.ts MIN_PART_ELEMENTS per part). Minimum and median over
// interleaved rounds; on a busy machine the minimum is the better estimate of the cost itself.
import { allocF32, instantiate } from "../../dist/index.js";
import { MIN_PART_ELEMENTS } from "../../dist/wasm/partition.js";

const ROUNDS = 15;
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)] };
};
/** µs per call of `call`, over enough repetitions for ~20 ms. */
function timeCall(call) {
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) call();
    const ms = performance.now() - t0;
    if (ms > 20) return (ms * 1000) / reps;
    reps *= 2;
  }
}

const two = await instantiate({ threads: 2 });
const one = await instantiate({ threads: 1 });
if (two.threads !== 2) throw new Error("this runtime gives no second thread");

const dispatch = { two: [], one: [] };
const acc2 = allocF32(8, two);
const acc1 = allocF32(8, one);
const emptyParts = (acc) => [
  [acc.ptr, acc.ptr, 0],
  [acc.ptr + 16, acc.ptr, 0],
];
for (let r = 0; r < ROUNDS; r++) {
  dispatch.two.push(timeCall(() => two.run("l1Penalty", emptyParts(acc2))));
  dispatch.one.push(timeCall(() => one.run("l1Penalty", emptyParts(acc1))));
}
const d2 = stats(dispatch.two);
const d1 = stats(dispatch.one);
console.log(
  `dispatch of a 2-part call: 2 threads ${d2.min.toFixed(2)} µs (median ${d2.median.toFixed(2)}), calling thread alone ${d1.min.toFixed(2)} µs (median ${d1.median.toFixed(2)})`,
);

console.log("\nΣx² in parts (penaltyBlocks), µs per call: n | 1 part | 2 parts on 2 threads | speedup (min, median)");
for (const n of [8192, 16384, 32768, 65536, 131072, 262144, 1 << 20, 1 << 22]) {
  const x = allocF32(n, two);
  x.view().fill(0.5);
  const blocks = allocF32((n / 1024) * 4, two);
  const half = n / 2;
  const whole = [[blocks.ptr, x.ptr, n, 2]];
  const halves = [
    [blocks.ptr, x.ptr, half, 2],
    [blocks.ptr + (half / 1024) * 16, x.ptr + 4 * half, half, 2],
  ];
  const t1 = [];
  const t2 = [];
  for (let r = 0; r < ROUNDS; r++) {
    t1.push(timeCall(() => two.run("penaltyBlocks", whole)));
    t2.push(timeCall(() => two.run("penaltyBlocks", halves)));
  }
  const [s1, s2] = [stats(t1), stats(t2)];
  console.log(
    `${String(n).padStart(8)} | ${s1.min.toFixed(1).padStart(8)} | ${s2.min.toFixed(1).padStart(8)} | ${(s1.min / s2.min).toFixed(2)}× (${(s1.median / s2.median).toFixed(2)}×)${n === 2 * MIN_PART_ELEMENTS ? "  <- threshold: 2 parts from here" : ""}`,
  );
  x.free();
  blocks.free();
}
two.stopThreads();
process.exit(0);
