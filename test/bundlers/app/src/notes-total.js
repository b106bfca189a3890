// The reference notes' worked example, computed with the installed package:
// weights [2,3,4,3,1,5], biases [1,3,2], all four λ = 0.1, data loss 5 → total 15.2. Also Σx² of
// 2^18 values i mod 8 in WASM memory (large enough to run in parts when threads are live): exactly
// 2^15 · (0 + 1 + 4 + … + 49) = 4587520, as every partial sum is a small integer.
import { allocF32, init, l2Penalty, penalty, simd, threads } from "regwasm";

export async function notesTotal() {
  await init();
  const weights = new Float32Array([2, 3, 4, 3, 1, 5]);
  const biases = new Float32Array([1, 3, 2]);
  const lambdas = { l1: 0.1, l2: 0.1 };
  const large = allocF32(1 << 18);
  large.view().forEach((_, i, view) => {
    view[i] = i % 8;
  });
  return {
    total: 5 + penalty(weights, lambdas) + penalty(biases, lambdas),
    simd: simd(),
    threads: threads(),
    sumOfSquares: l2Penalty(large),
    isolated: globalThis.crossOriginIsolated === true,
    cores: navigator.hardwareConcurrency,
  };
}
