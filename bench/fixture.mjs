// The data of one size, and the operands each implementation runs on. Inputs are fresh N(0, 1)
// values; below POOL elements a kernel cycles through several distinct arrays (about POOL
// elements in all, so the set stays cache-resident like a real small tensor) instead of one short
// array repeated, which a branch predictor would memorise.
import { normals, keepMask, maskMultiplier } from "./data.mjs";
import { RATE } from "./kernels.mjs";

/** Elements per operand across the pool of distinct arrays used at small n (256 KiB of f32). */
export const POOL = 1 << 16;

/** The source values of one size: P arrays of n for x, g (gradient or dy) and the stored mask. */
export class SizeData {
  constructor(n) {
    this.n = n;
    this.count = Math.max(1, Math.ceil(POOL / n));
    this.x = normals(this.count * n, 1000 + n);
    this.g = normals(this.count * n, 2000 + n, 0.01);
    this.masks = Array.from({ length: this.count }, (_, j) => keepMask(n, RATE, 3000 + n + j));
  }

  slice(role, j) {
    if (role === "x" || role === "g") return this[role].subarray(j * this.n, (j + 1) * this.n);
    if (role === "mask") return this.masks[j];
    throw new Error(`no source for ${role}`);
  }
}

/**
 * Operand sets of one kind of implementation, made on first use and released by dispose():
 * "wasm" (F32Buffer/U32Buffer of `instance`), "typed" (Float32Array/Uint32Array with a bit mask),
 * "plain" (typed arrays with a Float32 multiplier mask), "tensor" (TF.js tensors of the active backend).
 */
export class Operands {
  /** tf: TF.js, for the "tensor" kind only (plain-JS workers never load it). */
  constructor(data, kind, rw, instance, tf) {
    Object.assign(this, { data, kind, rw, instance, tf });
    this.sets = Array.from({ length: data.count }, () => ({ n: data.n }));
    this.made = [];
  }

  /** The pool of operand sets with at least `roles` filled in. */
  with(roles) {
    for (const [j, set] of this.sets.entries())
      for (const role of roles) if (!(role in set)) set[role] = this.make(role, j);
    return this.sets;
  }

  make(role, j) {
    const { data, kind, rw, instance, tf } = this;
    const n = data.n;
    const f32 = role === "x" || role === "g" ? data.slice(role, j) : role === "out" ? new Float32Array(n) : null;
    const bits = role === "mask" ? data.slice("mask", j) : role === "words" ? new Uint32Array(n) : null;
    let made;
    if (kind === "tensor") {
      if (role === "out" || role === "words") return null; // TF.js returns new tensors
      made = tf.tensor1d(f32 ?? maskMultiplier(bits, n, RATE));
    } else if (kind === "plain") {
      made = f32 ? f32.slice() : role === "mask" ? maskMultiplier(bits, n, RATE) : bits.slice();
    } else if (kind === "typed") {
      made = (f32 ?? bits).slice();
    } else {
      made = f32 ? rw.allocF32(n, instance) : rw.allocU32(bits.length, instance);
      made.view().set(f32 ?? bits);
    }
    this.made.push(made);
    return made;
  }

  dispose() {
    for (const m of this.made)
      if (typeof m.free === "function") m.free();
      else if (typeof m.dispose === "function") m.dispose();
    this.made = [];
    this.sets = [];
  }
}
