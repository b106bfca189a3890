// The reference notes' worked example, computed with the installed package:
// weights [2,3,4,3,1,5], biases [1,3,2], all four λ = 0.1, data loss 5 → total 15.2.
import { init, penalty, simd } from "regwasm";

export async function notesTotal() {
  await init();
  const weights = new Float32Array([2, 3, 4, 3, 1, 5]);
  const biases = new Float32Array([1, 3, 2]);
  const lambdas = { l1: 0.1, l2: 0.1 };
  return { total: 5 + penalty(weights, lambdas) + penalty(biases, lambdas), simd: simd() };
}
