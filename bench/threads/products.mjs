// The MNIST MLP's layer products on 1 and on 2 threads, each call alone: `node bench/threads/products.mjs [gap µs]`.
// Microseconds per call (median of 7 rounds of 100 calls) of the forward (128×784 · 784×512 + ReLU),
// the weight gradient (colSums, transpose, xᵀ·dZ) and the input gradient (dZ·Wᵀ), with an optional busy
// gap between calls so that a worker parks in between (after polling ~200 µs: src/wasm/worker-source.ts).
import { allocF32, instantiate } from "../../dist/index.js";
import { affineForward, denseGrads, inputGrad } from "../../dist/kernels/matmul.js";
import { allocMatrix } from "../../dist/wasm/matrix.js";

const gapUs = Number(process.argv[2] ?? 0);
const fill = (view, f) => view.forEach((_, i, a) => (a[i] = f(i)));
function setup(inst, m, k, n) {
  const x = allocMatrix(m, k, inst);
  const out = allocMatrix(m, n, inst);
  const dx = allocMatrix(m, k, inst);
  const w = allocF32(k * n, inst);
  const wt = allocF32(k * n, inst);
  const b = allocF32(n, inst);
  const dw = allocF32(k * n, inst);
  const db = allocF32(n, inst);
  const scratch = allocF32(m * Math.max(k, n), inst);
  fill(x.data.view(), (i) => Math.sin(i));
  fill(w.view(), (i) => Math.cos(i) / 8);
  fill(out.data.view(), (i) => Math.sin(3 * i));
  return {
    forward: () => affineForward(out, x, w, b, () => wt, true),
    weightGrad: () => denseGrads(dw, db, x, out, null, null, scratch, true),
    inputGrad: () => inputGrad(dx, out, w, () => wt),
  };
}
const spin = (us) => {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
};
for (const threads of [1, 2]) {
  const ops = setup(await instantiate({ threads }), 128, 784, 512);
  const row = [];
  for (const [name, call] of Object.entries(ops)) {
    for (let i = 0; i < 50; i++) call();
    const rounds = [];
    for (let r = 0; r < 7; r++) {
      let ms = 0;
      for (let i = 0; i < 100; i++) {
        spin(gapUs);
        const t0 = performance.now();
        call();
        ms += performance.now() - t0;
      }
      rounds.push((ms / 100) * 1000);
    }
    rounds.sort((a, b) => a - b);
    row.push(`${name} ${rounds[3].toFixed(0)} µs`);
  }
  console.log(`${threads} thread${threads > 1 ? "s" : ""}, gap ${gapUs} µs: ${row.join(", ")}`);
}
process.exit(0);
