// How a kernel call is cut into parts for threads. Parts are consecutive ranges whose starts are
// multiples of `align` (a row, a 1024-element reduction block, a 32-bit mask word), so every kernel
// that is split only on such boundaries returns the same bits for any number of parts.

import { MAX_PARTS } from "./pool-protocol.js";

/** A half-open range [start, end) of a kernel's split dimension. */
export type Range = readonly [start: number, end: number];

/**
 * Splits [0, total) into at most `parts` ranges of nearly equal size, each starting at a multiple of
 * `align` and (except when total is smaller) holding more than `minSize − align` units, so that a
 * part is never worth less than the cost of handing it to another thread.
 */
export function partition(total: number, parts: number, align: number, minSize: number): Range[] {
  const units = Math.ceil(total / align);
  const count = Math.max(1, Math.min(parts, units, Math.floor(total / Math.max(minSize, 1))));
  const ranges: Range[] = [];
  let start = 0;
  for (let p = 0; p < count; p++) {
    const end = p === count - 1 ? total : Math.min(total, Math.round((units * (p + 1)) / count) * align);
    if (end > start) ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/**
 * Fewest elements of a streaming kernel (penalties, dropout, activations, updates) worth handing to
 * another thread. In a tight loop a hand-off costs 1–3 µs and Σx² gains from 2 parts from 65536
 * elements (bench:threads); inside a training step parts of 32768 made the course's epoch 1.4×
 * slower on 2 threads here (1.2× once each thread took its own block of parts first; ~1.6× again with
 * workers kept awake between calls, as they are now), parts of 131072 cost nothing.
 */
export const MIN_PART_ELEMENTS = 1 << 17;

/**
 * Parts per thread: more parts than threads, taken one at a time, let a thread that gets its core
 * late (a busy machine) take fewer of them instead of holding up the call.
 */
export const PARTS_PER_THREAD = 4;

/**
 * Most elements in a part of a streaming kernel, where a call holds more than PARTS_PER_THREAD such
 * parts per thread: ~70 µs of Σx² here. A thread that has taken every part waits for the part the
 * other still runs, on average about half a part: 8 parts of Σx² over 1.6e7 elements ran ~0.27 ms each.
 */
export const MAX_PART_ELEMENTS = 1 << 19;

/**
 * How many parts `total` units are worth on `threads` threads (1: run it in one call): a multiple of
 * the thread count where it is worth that many, so that every thread owns as many parts (3 parts on 2
 * threads would leave one thread a part behind, and send it to take one from the other's block), and
 * at most one job's parts (a call of more would run as several jobs, one after another). Parts hold at
 * most `maxPart` units where PARTS_PER_THREAD per thread would be larger (and one job holds that many).
 */
export function partCount(threads: number, total: number, minPart: number, maxPart = Number.POSITIVE_INFINITY): number {
  if (threads === 1) return 1;
  const perThread = Math.max(PARTS_PER_THREAD, Math.ceil(total / (threads * maxPart)));
  const worth = Math.min(threads * perThread, Math.floor(total / minPart), MAX_PARTS);
  return worth >= threads ? worth - (worth % threads) : Math.max(1, worth);
}
