// How long a cache line takes between two cores: `node bench/threads/core-latency.mjs`. Two threads pass
// a counter in shared memory back and forth (each waits, spinning, for the other's increment); the
// time per round trip is two one-way hand-offs of the line.
import { Worker } from "node:worker_threads";

const counter = new Int32Array(new SharedArrayBuffer(64));
const echo = new Worker(
  `const { workerData } = require("node:worker_threads");
   const c = new Int32Array(workerData);
   for (;;) { let v; while (((v = Atomics.load(c, 0)) & 1) === 0) {} if (v < 0) break; Atomics.store(c, 0, v + 1); }`,
  { eval: true, workerData: counter.buffer },
);
await new Promise((resolve) => setTimeout(resolve, 200));
const trips = 2_000_000;
let v = 0;
for (let round = 0; round < 3; round++) {
  const t0 = performance.now();
  for (let i = 0; i < trips; i++) {
    Atomics.store(counter, 0, v + 1);
    v += 2;
    while (Atomics.load(counter, 0) !== v);
  }
  console.log(`${(((performance.now() - t0) * 1e6) / trips).toFixed(0)} ns per round trip`);
}
Atomics.store(counter, 0, -1);
await echo.terminate();
