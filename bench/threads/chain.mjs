// Consecutive calls over the same arrays on 1 and on 2 threads: `node bench/threads/chain.mjs [n]`.
// One step is dropout (no mask) → dropoutBackward regenerating its mask → Σx² of the result, over n
// elements (default 1.536e6, the course model's hidden layer); µs per step, 300 steps after 50.
import { allocF32, dropout, dropoutBackward, instantiate, l2Penalty } from "../../dist/index.js";

const n = Number(process.argv[2] ?? 1536000);
for (const threads of [1, 2, 1, 2]) {
  const inst = await instantiate({ threads });
  const x = allocF32(n, inst);
  const y = allocF32(n, inst);
  const d = allocF32(n, inst);
  x.view().forEach((_, i, a) => (a[i] = Math.sin(i)));
  const step = (stream) => {
    dropout(x, { rate: 0.1, seed: 1, stream, mask: false, out: y });
    dropoutBackward(y, { rate: 0.1, seed: 1, stream }, d);
    l2Penalty(d);
  };
  for (let i = 0; i < 50; i++) step(i);
  const t0 = performance.now();
  for (let i = 0; i < 300; i++) step(i);
  console.log(
    `${threads} thread${threads > 1 ? "s" : ""}: ${(((performance.now() - t0) / 300) * 1000).toFixed(0)} µs per step`,
  );
}
process.exit(0);
