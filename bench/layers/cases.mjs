// The benchmarked calls: each layer kernel at the shapes the two reference models give it, the
// same call as the Dense layer makes (src/kernels/matmul.ts picks matmulDots for outputs narrower
// than 16 columns). A case names its arrays (made from seeds, so the plain-JS worker and the WASM
// side build identical data), the raw WASM call, the plain-JS call, and what to compare.
import { normals } from "../data.mjs";
import * as plain from "./plain.mjs";

const DROPOUT_BATCH = 3000; // the dropout chapter: full batch 3000 × 2 → 512 → 3
const MNIST_BATCH = 128; // the Keras MNIST MLP: 784 → 512 → 512 → 10
const PARAM = 512 * 512; // the optimizer rows' parameter
const ADAM = { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-7, t: 1 };
const SGD = { lr: 0.01, momentum: 0.9 };

// Array specs: [length, fill, scale]. fill: "normal" N(0, scale²), "relu" max(0, N(0, 1)) (a ReLU
// layer's output), "zero", "labels" (u32 in [0, scale)).
const input = (n) => [n, "relu", 1];
const weights = (n) => [n, "normal", 0.05];
const grad = (n) => [n, "normal", 0.01];
const zero = (n) => [n, "zero", 0];

/** x·W (+ b) (ReLU) through matmulRows: out m×n, W k×n. */
const rows = (spec, relu) => ({
  kernel: "matmulRows",
  wasm: (k, p, c) => () => k.matmulRows(p.out, p.a, p.b, p.bias ?? 0, c.m, c.k, c.n, relu),
  plain: (a, c) => () => plain.matmulRows(a.out, a.a, a.b, a.bias, c.m, c.k, c.n, relu),
  arrays: (c) => ({ out: zero(c.m * c.n), a: c.aFill(c.m * c.k), b: weights(c.k * c.n), ...c.extra }),
  outputs: ["out"],
  flops: (c) => 2 * c.m * c.k * c.n,
  bytes: (c) => 4 * (c.m * c.k + c.k * c.n + c.m * c.n + (c.extra?.bias ? c.n : 0)),
  ...spec,
});

/** x·W (+ b) through matmulDots: W given transposed (n×k). */
const dots = (spec, relu) => ({
  kernel: "matmulDots",
  wasm: (k, p, c) => () => k.matmulDots(p.out, p.a, p.bt, p.bias ?? 0, c.m, c.k, c.n, relu),
  plain: (a, c) => () => plain.matmulDots(a.out, a.a, a.bt, a.bias, c.m, c.k, c.n, relu),
  arrays: (c) => ({ out: zero(c.m * c.n), a: c.aFill(c.m * c.k), bt: weights(c.n * c.k), ...c.extra }),
  outputs: ["out"],
  flops: (c) => 2 * c.m * c.k * c.n,
  bytes: (c) => 4 * (c.m * c.k + c.k * c.n + c.m * c.n + (c.extra?.bias ? c.n : 0)),
  ...spec,
});

/**
 * out (p×q) += aᵀ·b (a m×p, b m×q), with the bias gradient and the fused ReLU mask when asked: the
 * dense layer's calls, colSums (mask and sums) first, then aᵀ into `at` and matmulTN from it.
 */
const tn = (spec, { sum, mask }) => ({
  kernel: "matmulTN",
  wasm: (k, p, c) => () => {
    if (sum || mask) k.colSums(sum ? p.sum : p.scratchSum, p.b, mask ? p.y : 0, c.m, c.q, 0, c.q);
    k.transpose(p.at, p.a, c.m, c.p, 0, c.p);
    k.matmulTN(p.out, p.at, p.b, c.m, c.p, c.q, 1);
  },
  plain: (a, c) => () => plain.matmulTN(a.out, sum ? a.sum : null, a.a, a.b, mask ? a.y : null, c.m, c.p, c.q),
  arrays: (c) => ({
    out: zero(c.p * c.q),
    a: c.aFill(c.m * c.p),
    b: grad(c.m * c.q),
    at: zero(c.m * c.p),
    ...(sum ? { sum: zero(c.q) } : mask ? { scratchSum: zero(c.q) } : {}),
    ...(mask ? { y: input(c.m * c.q) } : {}),
  }),
  outputs: sum ? ["out", "sum"] : ["out"],
  flops: (c) => 2 * c.m * c.p * c.q,
  // a and b read; with the mask, y read and b written back; out (and sum) read and written
  bytes: (c) => 4 * (c.m * c.p + c.m * c.q * (mask ? 3 : 1) + 2 * c.p * c.q + (sum ? 2 * c.q : 0)),
  ...spec,
});

const colSums = (spec) => ({
  kernel: "colSums",
  wasm: (k, p, c) => () => k.colSums(p.out, p.a, 0, c.m, c.n, 0, c.n),
  plain: (a, c) => () => plain.colSums(a.out, a.a, c.m, c.n),
  arrays: (c) => ({ out: zero(c.n), a: grad(c.m * c.n) }),
  outputs: ["out"],
  bytes: (c) => 4 * (c.m * c.n + 2 * c.n),
  ...spec,
});

const reluForward = (spec) => ({
  kernel: "reluForward",
  wasm: (k, p, c) => () => k.reluForward(p.out, p.x, c.len),
  plain: (a) => () => plain.reluForward(a.out, a.x),
  arrays: (c) => ({ out: zero(c.len), x: [c.len, "normal", 1] }),
  outputs: ["out"],
  bytes: (c) => 8 * c.len,
  ...spec,
});

const reluBackward = (spec) => ({
  kernel: "reluBackward",
  wasm: (k, p, c) => () => k.reluBackward(p.out, p.dy, p.y, c.len),
  plain: (a) => () => plain.reluBackward(a.out, a.dy, a.y),
  arrays: (c) => ({ out: zero(c.len), dy: grad(c.len), y: input(c.len) }),
  outputs: ["out"],
  bytes: (c) => 12 * c.len,
  ...spec,
});

/** σ or tanh forward (assembly/exp.ts's polynomial inside): out = f(x) over len elements. */
const activation = (kernel, plainForward) => (spec) => ({
  kernel,
  wasm: (k, p, c) => () => k[kernel](p.out, p.x, c.len),
  plain: (a) => () => plainForward(a.out, a.x),
  arrays: (c) => ({ out: zero(c.len), x: [c.len, "normal", 2] }),
  outputs: ["out"],
  bytes: (c) => 8 * c.len,
  ...spec,
});
const sigmoidForward = activation("sigmoidForward", plain.sigmoidForward);
const tanhForward = activation("tanhForward", plain.tanhForward);

const softmax = (spec) => ({
  kernel: "softmaxCrossEntropy",
  wasm: (k, p, c) => () => k.softmaxCrossEntropy(p.dz, 0, p.acc, p.z, p.labels, c.m, c.n, 1 / c.m),
  plain: (a, c) => () => plain.softmaxCrossEntropy(a.dz, a.z, a.labels, c.m, c.n, 1 / c.m),
  arrays: (c) => ({ dz: zero(c.m * c.n), z: [c.m * c.n, "normal", 2], labels: [c.m, "labels", c.n] }),
  outputs: ["dz"],
  // the plain call returns [loss, correct]; the kernel adds them to the instance's accumulator
  sums: true,
  bytes: (c) => 4 * (2 * c.m * c.n + c.m),
  ...spec,
});

const adam = (spec) => ({
  kernel: "adamUpdate",
  wasm: (k, p, c) => {
    const { lr, beta1, beta2, eps, t } = ADAM;
    const c1 = 1 - beta1 ** t,
      c2 = 1 - beta2 ** t;
    return () => k.adamUpdate(p.w, p.g, p.m, p.v, c.len, lr, beta1, beta2, 1 - beta1, 1 - beta2, eps, c1, c2, 1);
  },
  plain: (a) => {
    const { lr, beta1, beta2, eps, t } = ADAM;
    return () => plain.adamUpdate(a.w, a.g, a.m, a.v, lr, beta1, beta2, eps, 1 - beta1 ** t, 1 - beta2 ** t);
  },
  arrays: (c) => ({ w: weights(c.len), g: grad(c.len), m: zero(c.len), v: zero(c.len) }),
  outputs: ["w", "m", "v"],
  bytes: (c) => 28 * c.len,
  ...spec,
});

const sgd = (spec) => ({
  kernel: "sgdUpdate",
  wasm: (k, p, c) => () => k.sgdUpdate(p.w, p.g, p.u, c.len, SGD.lr, SGD.momentum, 1),
  plain: (a) => () => plain.sgdUpdate(a.w, a.g, a.u, SGD.lr, SGD.momentum),
  arrays: (c) => ({ w: weights(c.len), g: grad(c.len), u: grad(c.len) }),
  outputs: ["w", "u"],
  bytes: (c) => 20 * c.len,
  ...spec,
});

const D = DROPOUT_BATCH,
  B = MNIST_BATCH;
const bias = (n) => ({ bias: weights(n) });
const raw = (n) => [n, "normal", 1];

/** Every case; id is unique and names the model, layer and step. */
export const CASES = [
  // the dropout chapter, one full-batch step
  rows(
    { id: "dc.l1.forward", step: "layer 1 forward x·W + b, ReLU", m: D, k: 2, n: 512, aFill: raw, extra: bias(512) },
    1,
  ),
  dots({ id: "dc.l2.forward", step: "layer 2 forward h·W + b", m: D, k: 512, n: 3, aFill: input, extra: bias(3) }, 0),
  softmax({ id: "dc.loss", step: "softmax + cross-entropy, dz", m: D, n: 3 }),
  tn({ id: "dc.l2.dWt", step: "layer 2 dWᵀ += dZᵀ·h (narrow)", m: D, p: 3, q: 512, aFill: grad }, {}),
  colSums({ id: "dc.l2.db", step: "layer 2 db += Σ dZ", m: D, n: 3 }),
  rows({ id: "dc.l2.dx", step: "layer 2 inputGrad dh = dZ·Wᵀ", m: D, k: 3, n: 512, aFill: grad }, 0),
  tn(
    { id: "dc.l1.dW", step: "layer 1 dW += xᵀ·(dh ⊙ [h > 0]), db", m: D, p: 2, q: 512, aFill: raw },
    { sum: true, mask: true },
  ),
  dots(
    { id: "dc.l1.dx", step: "layer 1 inputGrad dx = dZ·Wᵀ (unused: first layer)", m: D, k: 512, n: 2, aFill: grad },
    0,
  ),
  reluForward({ id: "dc.relu.forward", step: "ReLU forward (unfused), 3000×512", len: D * 512 }),
  reluBackward({ id: "dc.relu.backward", step: "ReLU backward (unfused), 3000×512", len: D * 512 }),
  sigmoidForward({ id: "dc.sigmoid.forward", step: "Sigmoid forward, 3000×512", len: D * 512 }),
  tanhForward({ id: "dc.tanh.forward", step: "Tanh forward, 3000×512", len: D * 512 }),
  // the MNIST MLP, one batch of 128
  rows(
    {
      id: "mnist.l1.forward",
      step: "layer 1 forward x·W + b, ReLU",
      m: B,
      k: 784,
      n: 512,
      aFill: raw,
      extra: bias(512),
    },
    1,
  ),
  rows(
    {
      id: "mnist.l2.forward",
      step: "layer 2 forward h·W + b, ReLU",
      m: B,
      k: 512,
      n: 512,
      aFill: input,
      extra: bias(512),
    },
    1,
  ),
  dots(
    { id: "mnist.l3.forward", step: "layer 3 forward h·W + b", m: B, k: 512, n: 10, aFill: input, extra: bias(10) },
    0,
  ),
  softmax({ id: "mnist.loss", step: "softmax + cross-entropy, dz", m: B, n: 10 }),
  tn({ id: "mnist.l3.dWt", step: "layer 3 dWᵀ += dZᵀ·h (narrow)", m: B, p: 10, q: 512, aFill: grad }, {}),
  colSums({ id: "mnist.l3.db", step: "layer 3 db += Σ dZ", m: B, n: 10 }),
  rows({ id: "mnist.l3.dx", step: "layer 3 inputGrad dh = dZ·Wᵀ", m: B, k: 10, n: 512, aFill: grad }, 0),
  tn(
    { id: "mnist.l2.dW", step: "layer 2 dW += hᵀ·(dh ⊙ [h > 0]), db", m: B, p: 512, q: 512, aFill: input },
    { sum: true, mask: true },
  ),
  rows({ id: "mnist.l2.dx", step: "layer 2 inputGrad dh = dZ·Wᵀ", m: B, k: 512, n: 512, aFill: grad }, 0),
  tn(
    { id: "mnist.l1.dW", step: "layer 1 dW += xᵀ·(dh ⊙ [h > 0]), db", m: B, p: 784, q: 512, aFill: raw },
    { sum: true, mask: true },
  ),
  reluForward({ id: "mnist.relu.forward", step: "ReLU forward (unfused), 128×512", len: B * 512 }),
  reluBackward({ id: "mnist.relu.backward", step: "ReLU backward (unfused), 128×512", len: B * 512 }),
  // optimizers
  adam({ id: "opt.adam", step: "Adam step, 512×512 parameter", len: PARAM }),
  sgd({ id: "opt.sgd", step: "SGD step with momentum, 512×512 parameter", len: PARAM }),
];

export const caseById = (id) => {
  const c = CASES.find((x) => x.id === id);
  if (!c) throw new Error(`unknown case ${id}`);
  return c;
};

/** The shape a case's table row shows. */
export function shapeOf(c) {
  if (c.kernel === "matmulTN") return `${c.p}×${c.m} · ${c.m}×${c.q}`;
  if (c.kernel === "matmulRows" || c.kernel === "matmulDots") return `${c.m}×${c.k} · ${c.k}×${c.n}`;
  if (c.kernel === "colSums" || c.kernel === "softmaxCrossEntropy") return `${c.m}×${c.n}`;
  return `${c.len.toLocaleString("en-US")}`;
}

/** A 31-bit seed from a case id and an array name (the worker and the main thread agree on it). */
function seedOf(id, name) {
  let h = 2166136261;
  for (const ch of `${id}/${name}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 1;
}

/** The case's arrays, freshly made: name → Float32Array (Uint32Array for labels). */
export function makeArrays(c) {
  const out = {};
  for (const [name, [n, fill, scale]] of Object.entries(c.arrays(c))) {
    const seed = seedOf(c.id, name);
    if (fill === "zero") out[name] = new Float32Array(n);
    else if (fill === "normal") out[name] = normals(n, seed, scale);
    else if (fill === "relu") out[name] = normals(n, seed).map((v) => Math.max(v, 0));
    else if (fill === "labels")
      out[name] = Uint32Array.from(normals(n, seed), (v) => Math.floor(Math.abs(v) * 1e6) % scale);
    else throw new Error(`unknown fill ${fill}`);
  }
  return out;
}
