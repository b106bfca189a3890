// The order in which regwasm's fit() visits the training rows in the model's n-th epoch under a seed
// (its Fisher–Yates permutation, from the built package), so that TF.js can be fed the same batches.
// Not part of the public API: the benchmark reaches into dist/ for it.
import { permutation } from "../../dist/data/permutation.js";
import { defaultInstance } from "../../dist/wasm/instance.js";

/** Row indices of epoch `epoch` (0-based, counted over the model's life) under `seed`; call after init(). */
export function epochOrder(rows, seed, epoch) {
  return permutation(rows, seed, epoch, defaultInstance());
}

/** Rows order[0], order[1], … of x (rows × features) and y, as new arrays. */
export function permuteRows(x, y, order, features) {
  const px = new Float32Array(order.length * features);
  const py = new Float32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const r = order[i];
    px.set(x.subarray(r * features, (r + 1) * features), i * features);
    py[i] = y[r];
  }
  return { x: px, y: py };
}
