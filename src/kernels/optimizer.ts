// The optimizer kernels (assembly/optimizer.ts) on parameters and state already in WASM memory.
// Internal: the optimizers call these after their own checks.
import type { F32Buffer } from "../wasm/buffer.js";
import { MIN_PART_ELEMENTS, partCount } from "../wasm/partition.js";
import { runSplit } from "../wasm/run-split.js";

export interface AdamStep {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Bias corrections 1 − β1^t and 1 − β2^t. */
  c1: number;
  c2: number;
  /** Decoupled weight decay factor 1 − lr·weightDecay. */
  keep: number;
}

/** Fewest elements of an Adam update worth a part of its own (bench/mnist/profile.mjs splits alike). */
export const ADAM_MIN_PART = MIN_PART_ELEMENTS / 4;

/**
 * One Adam update of w from g with moments m and v (all of w's length), in place. Cut into parts for
 * threads, it runs the kernel that stores w a chunk at a time (the same bits): in a threaded step
 * every thread has read all of w since it was written.
 */
export function adamUpdate(w: F32Buffer, g: F32Buffer, m: F32Buffer, v: F32Buffer, s: AdamStep): void {
  const { beta1, beta2 } = s;
  const inParts = partCount(w.instance.threads, w.length, ADAM_MIN_PART) > 1;
  runSplit(w.instance, inParts ? "adamUpdateInChunks" : "adamUpdate", w.length, 4, ADAM_MIN_PART, (start, end) => [
    w.ptr + 4 * start,
    g.ptr + 4 * start,
    m.ptr + 4 * start,
    v.ptr + 4 * start,
    end - start,
    s.lr,
    beta1,
    beta2,
    1 - beta1,
    1 - beta2,
    s.epsilon,
    s.c1,
    s.c2,
    s.keep,
  ]);
}

/** One SGD update of w from g (with momentum buffer u when given), in place; keep = 1 − lr·weightDecay. */
export function sgdUpdate(
  w: F32Buffer,
  g: F32Buffer,
  u: F32Buffer | null,
  lr: number,
  momentum: number,
  keep: number,
): void {
  runSplit(w.instance, "sgdUpdate", w.length, 4, MIN_PART_ELEMENTS, (start, end) => [
    w.ptr + 4 * start,
    g.ptr + 4 * start,
    u ? u.ptr + 4 * start : 0,
    end - start,
    lr,
    momentum,
    keep,
  ]);
}
