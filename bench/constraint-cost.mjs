// What a weight constraint applied after the optimizer's update (its own pass over the weights, not
// fused into the update kernel) costs a training step: the same 784-512-10 model trained with Adam on
// one batch of 128 rows, with and without nonNeg() on the first layer's weights, interleaved round by
// round, in process CPU time per step (steadier than wall time on a shared machine).
//   npm run build && node bench/constraint-cost.mjs [--rounds 30]
import { parseArgs } from "node:util";
import { Adam, constraints, Dense, init, ReLU, Sequential } from "../dist/index.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "30" } } });
const rounds = Number(values.rounds);
const STEPS = 5;
await init({ threads: 1 });

function trainer(constrained) {
  const model = new Sequential([
    new Dense(784, 512, { seed: 1, ...(constrained ? { weightConstraint: constraints.nonNeg() } : {}) }),
    new ReLU(),
    new Dense(512, 10, { seed: 2 }),
  ]);
  return { model, optimizer: new Adam({ learningRate: 1e-3 }) };
}

const rows = 128;
const x = new Float32Array(rows * 784).map((_, i) => Math.sin(i));
const y = new Uint32Array(rows).map((_, i) => i % 10);
const runs = { unconstrained: trainer(false), "nonNeg()": trainer(true) };
const ms = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
for (let r = 0; r < rounds; r++)
  for (const [name, { model, optimizer }] of Object.entries(runs)) {
    const start = process.cpuUsage();
    await model.fit(x, y, { optimizer, epochs: STEPS, batchSize: rows });
    const used = process.cpuUsage(start);
    ms[name].push((used.user + used.system) / 1000 / STEPS);
  }
const median = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
for (const [name, t] of Object.entries(ms))
  console.log(
    `${name.padEnd(14)} ${median(t).toFixed(3)} ms CPU per step (median of ${rounds}), best ${Math.min(...t).toFixed(3)}`,
  );
console.log(`nonNeg() / unconstrained: ${(median(ms["nonNeg()"]) / median(ms.unconstrained)).toFixed(3)} (medians)`);
