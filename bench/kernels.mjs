// What each benchmarked kernel does in every implementation, and how many bytes it moves.
// An implementation gets `o`, one set of operands (see fixture.mjs: x, g, out, mask, words, n),
// and `k`, the call number, which dropout uses as its stream so every call draws fresh randomness.
import * as plain from "./plain.mjs";
import { settle } from "./settle.mjs";

/** Dropout rate of every dropout row (the NNFS dropout chapter's 0.1). */
export const RATE = 0.1;
/** λ1 and λ2 of the penalty and gradient rows. */
export const LAMBDA = { l1: 5e-4, l2: 5e-4 };
export const SEED = 42;
const KEEP = 1 - RATE;

/**
 * id: the --kernels name. bytes: bytes per element the regwasm kernel reads plus writes (the GB/s
 * column uses it for every row). operands: the roles it needs; plainOperands when plain JS needs
 * others. penalty: compared with the read-only pass; elementwise: with the read+write pass.
 * regwasm(rw, o, k), plain(o), tf(tf, o).
 * plainNote / tfNote: what those rows run when it is not the obvious equivalent.
 */
export const KERNELS = [
  {
    id: "l1Penalty",
    title: "l1Penalty Σ|x|",
    bytes: 4,
    penalty: true,
    operands: ["x"],
    regwasm: (rw, o) => rw.l1Penalty(o.x),
    raw: (w, acc, o) => w.l1Penalty(acc, o.x.ptr, o.n),
    plain: (o) => plain.l1Penalty(o.x),
    tf: (tf, o) =>
      settle(
        tf,
        tf.tidy(() => tf.sum(tf.abs(o.x))),
      ),
    tfNote: "tf.sum(tf.abs(x))",
  },
  {
    id: "l2Penalty",
    title: "l2Penalty Σx²",
    bytes: 4,
    penalty: true,
    operands: ["x"],
    regwasm: (rw, o) => rw.l2Penalty(o.x),
    raw: (w, acc, o) => w.l2Penalty(acc, o.x.ptr, o.n),
    plain: (o) => plain.l2Penalty(o.x),
    tf: (tf, o) =>
      settle(
        tf,
        tf.tidy(() => tf.sum(tf.square(o.x))),
      ),
    tfNote: "tf.sum(tf.square(x))",
  },
  {
    id: "penalty",
    title: "penalty λ1·Σ|x| + λ2·Σx²",
    bytes: 4,
    penalty: true,
    operands: ["x"],
    regwasm: (rw, o) => rw.penalty(o.x, LAMBDA),
    raw: (w, acc, o) => w.penalty(acc, o.x.ptr, o.n),
    plain: (o) => plain.penalty(o.x, LAMBDA.l1, LAMBDA.l2),
    tf: (tf, o) =>
      settle(
        tf,
        tf.tidy(() => tf.add(tf.mul(LAMBDA.l1, tf.sum(tf.abs(o.x))), tf.mul(LAMBDA.l2, tf.sum(tf.square(o.x))))),
      ),
    tfNote: "λ1·tf.sum(tf.abs(x)) + λ2·tf.sum(tf.square(x))",
  },
  {
    id: "addPenaltyGrad",
    elementwise: true,
    title: "addPenaltyGrad grad += λ1·sign(x) + 2λ2·x, fused with the penalty",
    bytes: 12,
    operands: ["g", "x"],
    regwasm: (rw, o) => rw.addPenaltyGrad(o.g, o.x, LAMBDA),
    raw: (w, acc, o) => w.addPenaltyGrad(o.g.ptr, acc, o.x.ptr, o.n, LAMBDA.l1, LAMBDA.l2, 1),
    plain: (o) => plain.addPenaltyGrad(o.g, o.x, LAMBDA.l1, LAMBDA.l2),
    tf: (tf, o) => {
      const [grad, pen] = tf.tidy(() => [
        tf.add(o.g, tf.add(tf.mul(tf.sign(o.x), LAMBDA.l1), tf.mul(o.x, 2 * LAMBDA.l2))),
        tf.add(tf.mul(LAMBDA.l1, tf.sum(tf.abs(o.x))), tf.mul(LAMBDA.l2, tf.sum(tf.square(o.x)))),
      ]);
      settle(tf, pen);
      settle(tf, grad);
    },
    plainNote: "one fused loop, sign by `w < 0 ? -1 : 1`",
    tfNote:
      "g + (λ1·tf.sign(x) + 2λ2·x) and the penalty as above (TF.js tensors are immutable: a new gradient each call)",
  },
  {
    id: "dropout",
    elementwise: true,
    title: "dropout forward, bit mask stored",
    bytes: 8 + 1 / 8,
    operands: ["x", "out", "mask"],
    regwasm: (rw, o, k) => rw.dropout(o.x, { rate: RATE, seed: SEED, stream: k, out: o.out, mask: o.mask }),
    raw: (w, _acc, o, k) => w.dropout(o.out.ptr, o.mask.ptr, o.x.ptr, o.n, RATE, SEED, 0, k >>> 0, 0),
    plain: (o) => plain.dropoutWithMask(o.x, RATE, o.out, o.mask),
    tf: (tf, o) => {
      const [out, mask] = tf.tidy(() => {
        const m = tf.div(tf.floor(tf.add(tf.randomUniform([o.n]), KEEP)), KEEP);
        return [tf.mul(o.x, m), m];
      });
      settle(tf, out);
      settle(tf, mask);
    },
    plainNote: "Math.random, mask kept as a Float32Array of 0 or 1/keep",
    tfNote: "tf.dropout's own ops with the multiplier kept: floor(randomUniform + keep)/keep, x·multiplier",
  },
  {
    id: "dropoutNoMask",
    elementwise: true,
    title: "dropout forward, no mask",
    bytes: 8,
    operands: ["x", "out"],
    regwasm: (rw, o, k) => rw.dropout(o.x, { rate: RATE, seed: SEED, stream: k, out: o.out, mask: false }),
    raw: (w, _acc, o, k) => w.dropout(o.out.ptr, 0, o.x.ptr, o.n, RATE, SEED, 0, k >>> 0, 0),
    plain: (o) => plain.dropout(o.x, RATE, o.out),
    tf: (tf, o) => settle(tf, tf.dropout(o.x, RATE)),
    plainNote: "Math.random",
    tfNote: "tf.dropout(x, rate)",
  },
  {
    id: "dropoutBackward",
    elementwise: true,
    title: "dropoutBackward from the stored mask",
    bytes: 8 + 1 / 8,
    operands: ["g", "out", "mask"],
    regwasm: (rw, o) => rw.dropoutBackward(o.g, { rate: RATE, mask: o.mask }, o.out),
    raw: (w, _acc, o) => w.dropoutBackward(o.out.ptr, o.g.ptr, o.mask.ptr, o.n, RATE),
    plain: (o) => plain.dropoutBackward(o.g, o.mask, o.out),
    tf: (tf, o) => settle(tf, tf.mul(o.g, o.mask)),
    plainNote: "dy · Float32 mask",
    tfNote: "dy · multiplier (what TF.js's gradient of dropout computes)",
  },
  {
    id: "dropoutBackwardRegen",
    elementwise: true,
    title: "dropoutBackward regenerating the mask from (seed, stream)",
    bytes: 8,
    operands: ["g", "out"],
    plainOperands: ["g", "out", "mask"],
    regwasm: (rw, o, k) => rw.dropoutBackward(o.g, { rate: RATE, seed: SEED, stream: k }, o.out),
    raw: (w, _acc, o, k) => w.dropout(o.out.ptr, 0, o.g.ptr, o.n, RATE, SEED, 0, k >>> 0, 0),
    plain: (o) => plain.dropoutBackward(o.g, o.mask, o.out),
    tf: (tf, o) => settle(tf, tf.dropout(o.g, RATE, undefined, SEED)),
    plainNote: "no way to regenerate Math.random: the stored-mask loop",
    tfNote: "tf.dropout(dy, rate, undefined, seed), which redraws the same mask from its seed",
  },
  {
    id: "randomUint32",
    title: "randomUint32 raw stream",
    bytes: 4,
    operands: ["words"],
    regwasm: (rw, o, k) => rw.randomUint32(o.words, { seed: SEED, stream: k }),
    raw: (w, _acc, o, k) => w.randomUint32(o.words.ptr, o.n, SEED, 0, k >>> 0, 0),
    plain: (o) => plain.randomUint32(o.words),
    tf: (tf, o) => settle(tf, tf.randomUniform([o.n])),
    plainNote: "(Math.random() · 2^32) >>> 0",
    tfNote: "tf.randomUniform([n]) (f32 in [0, 1); TF.js has no raw u32 stream)",
  },
];
