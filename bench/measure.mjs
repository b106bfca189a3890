// The timing harness. Each implementation is first warmed (WASM starts in Liftoff and tiers up,
// JS in Ignition) and calibrated: one tinybench sample runs `inner` calls, enough for ~SAMPLE_MS,
// so timer and harness overhead stay far below the kernel's time even at n = 1e3. Then `rounds`
// tinybench runs of every task, in a rotated order each round (so slow drift and a neighbour's
// load spread over all rows); a task's figure is the median over rounds of each round's median.
import { Bench } from "tinybench";

const now = () => performance.now();
const collect = () => globalThis.gc?.();

/**
 * @typedef {object} Task
 * @property {string} id
 * @property {(k: number) => unknown} call   one call of the kernel; k counts calls
 * @property {() => Promise<void>} [enter]   makes the task's environment active (TF.js backend)
 */

/**
 * Warms a task and picks its batch size. A task whose single call exceeds tooSlowMs is skipped; one
 * whose sample would cost more than budgetMs over all rounds takes part in fewer rounds.
 */
export async function calibrate(task, { warmupMs, sampleMs, tooSlowMs, budgetMs, time }) {
  await task.enter?.();
  let k = 0;
  const t0 = now();
  task.call(k++);
  let perCall = now() - t0;
  if (perCall > tooSlowMs) return { ...task, skipped: `skipped (too slow: ${(perCall / 1000).toFixed(1)} s per call)` };
  if (perCall < warmupMs) {
    const start = now();
    while (now() - start < warmupMs) task.call(k++);
    // a short steady run for the per-call estimate
    const probeStart = now();
    let calls = 0;
    do {
      task.call(k++);
      calls++;
    } while (now() - probeStart < Math.min(warmupMs, 20) && calls < 1e5);
    perCall = (now() - probeStart) / calls;
  }
  const inner = Math.max(1, Math.round(sampleMs / perCall));
  const maxRounds = Math.max(1, Math.floor(budgetMs / Math.max(time, perCall * inner)));
  const batch = () => {
    for (let j = 0; j < inner; j++) task.call(k++);
  };
  return { ...task, inner, perCall, maxRounds, batch };
}

/** ms per call of one batch. */
export function timeBatch(task) {
  const t0 = now();
  task.batch();
  return (now() - t0) / task.inner;
}

/**
 * One round of a task on its own, as measure() times the in-process rows: re-warm briefly, then
 * batches for `time` ms; returns the median ms per call and the number of batches.
 */
export function sampleRound(task, time) {
  collect();
  if (task.perCall * task.inner < time / 2) {
    const t0 = now();
    do task.batch();
    while (now() - t0 < time / 10);
  }
  const times = [];
  const start = now();
  do times.push(timeBatch(task));
  while (now() - start < time);
  return { ms: median(times), samples: times.length };
}

/**
 * Runs calibrated tasks for `rounds` rounds of `time` ms each; returns for each task id the
 * per-round medians in ms per call, and the number of samples taken. Isolated tasks (isolated.mjs)
 * time their round in their own worker, in their turn of the rotation.
 */
export async function measure(tasks, { time, rounds }) {
  const live = tasks.filter((t) => !t.skipped);
  const perRound = new Map(live.map((t) => [t.id, []]));
  const samples = new Map(live.map((t) => [t.id, 0]));
  for (let r = 0; r < rounds; r++) {
    const order = live.map((_, j) => live[(j + r) % live.length]).filter((t) => r < t.maxRounds);
    for (const task of order) {
      if (task.isolated) {
        const { ms, samples: count } = await task.round(time);
        perRound.get(task.id).push(ms);
        samples.set(task.id, samples.get(task.id) + count);
        continue;
      }
      const bench = new Bench({ time, iterations: 1, warmup: false, throws: true });
      bench.add(task.id, task.batch, {
        async: false,
        beforeAll: async () => {
          await task.enter?.();
          collect();
          // then re-warm (a full collection can flush JIT code and caches), when that is affordable
          if (task.perCall * task.inner < time / 2) {
            const t0 = now();
            do task.batch();
            while (now() - t0 < time / 10);
          }
        },
      });
      await bench.run();
      const result = bench.tasks[0].result;
      if (result.state !== "completed") throw new Error(`${task.id}: ${result.state} ${result.error ?? ""}`);
      perRound.get(task.id).push(result.latency.p50 / task.inner);
      samples.set(task.id, samples.get(task.id) + result.latency.samplesCount);
    }
  }
  return { perRound, samples };
}

export const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * The speed of `a` relative to `b` from alternating batches (a then b, then b then a, …): the
 * median over pairs of time(b) / time(a). Neighbours' load and memory bandwidth drift on a shared
 * machine hit both halves of a pair alike, so this ratio is steadier than a ratio of two medians
 * taken seconds apart. Runs at least minPairs pairs and then until budgetMs is spent. Only b may
 * need an environment (a TF.js backend); a is a regwasm task.
 */
export async function pairedRatio(a, b, { minPairs = 15, maxPairs = 301, budgetMs = 1500 } = {}) {
  await b.enter?.();
  // an isolated b times its batch in its worker; a is always in this thread
  const timeOf = async (task) => (task.isolated ? task.batch() : timeBatch(task));
  const ratios = [];
  collect();
  a.batch(); // untimed: re-JIT and re-cache after the collection
  await timeOf(b);
  const start = now();
  while (ratios.length < maxPairs && (ratios.length < minPairs || now() - start < budgetMs)) {
    const first = ratios.length % 2 === 0;
    const ta = first ? await timeOf(a) : 0;
    const tb = await timeOf(b);
    ratios.push(tb / (first ? ta : await timeOf(a)));
  }
  return { ratio: median(ratios), pairs: ratios.length };
}
