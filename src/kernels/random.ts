// The raw counter-based random stream behind dropout masks (see assembly/random.ts for the generator).
import type { F32Data, U32Data } from "../wasm/buffer.js";
import { checkOptions, checkSeed, checkU32, checkUint32, ownerOf } from "../validate.js";
import { nextSeed } from "./global-seed.js";
import type { Instance } from "../wasm/instance.js";
import { runWindowed } from "../wasm/window.js";
import { MIN_PART_ELEMENTS } from "../wasm/partition.js";
import { runSplit } from "../wasm/run-split.js";

/** Where in the random space a call draws from. */
export interface StreamOptions {
  /** Integer in [0, 2^53 − 1]; default: the next seed of the global generator (see setSeed), new for every call. */
  seed?: number;
  /** Integer in [0, 2^32 − 1]: independent streams under one seed (e.g. one per layer and step). Default 0. */
  stream?: number;
  /** Counter of the first element, in [0, 2^32 − 1]; the call's element i uses counter offset + i. Default 0. */
  offset?: number;
}

/** A stream position as the kernels take it: (seedLo, seedHi, stream, offset). */
export type StreamArgs = readonly [seedLo: number, seedHi: number, stream: number, offset: number];

/** The kernels' form of a valid (seed, stream, offset): the 53-bit seed split into 32-bit halves. */
export const toStreamArgs = (seed: number, stream: number, offset: number): StreamArgs => [
  seed % 2 ** 32,
  Math.floor(seed / 2 ** 32),
  stream,
  offset,
];

/** The stream option keys every random kernel takes. */
export const STREAM_KEYS = ["seed", "stream", "offset"] as const;

/**
 * Validated stream arguments for the kernels from the values of `name`.seed/.stream/.offset (read by
 * the caller, once); checks that the n counters do not run past 2^32.
 */
export function streamArgs(seed: unknown, stream: unknown, offset: unknown, n: number, name = "options"): StreamArgs {
  return streamArgsLater(seed, stream, offset, n, name)();
}

/**
 * streamArgs, checked now; the result, when called, fixes the seed: an omitted one is drawn from
 * the global generator then, so a call refused by a later check draws nothing.
 */
export function streamArgsLater(
  seed: unknown,
  stream: unknown,
  offset: unknown,
  n: number,
  name = "options",
): () => StreamArgs {
  // an omitted stream or offset is 0; null is not omitted
  const [streamId, first] = [stream === undefined ? 0 : stream, offset === undefined ? 0 : offset];
  if (seed !== undefined) checkSeed(`${name}.seed`, seed);
  checkUint32(`${name}.stream`, streamId);
  checkUint32(`${name}.offset`, first);
  if (first + n > 2 ** 32)
    throw new RangeError(`${name}.offset + length must be <= 2^32 (one stream has 2^32 counters), got ${first + n}`);
  return () => toStreamArgs(seed === undefined ? nextSeed() : seed, streamId, first);
}

/** The kernels that fill `out` with one stream's values: (outPtr, n, seedLo, seedHi, stream, offset). */
export type StreamFillKernel = "randomUint32" | "randomNormal";

/**
 * `kernel` after `out` was checked: validates the options, fills out and returns it. `align`: the
 * values per step of the kernel (4 words; 2 variates, a Box–Muller pair), so parts start on one.
 */
export function fillStream<T extends U32Data | F32Data>(
  kernel: StreamFillKernel,
  out: T,
  options: StreamOptions,
  align: number,
): T {
  checkOptions("options", options, STREAM_KEYS, "{ seed?, stream?, offset? }");
  const { seed, stream, offset } = options;
  const args = streamArgsLater(seed, stream, offset, out.length);
  fillStreamUnchecked(ownerOf({ out }), kernel, out, align, args());
  return out;
}

/** fillStream() after validation: the values of stream `args` into out, windowed and split into parts. */
export function fillStreamUnchecked(
  inst: Instance,
  kernel: StreamFillKernel,
  out: U32Data | F32Data,
  align: number,
  [seedLo, seedHi, stream, offset]: StreamArgs,
): void {
  runWindowed(inst, out.length, [{ data: out, read: false, write: true }], ([outPtr], count, start) => {
    runSplit(inst, kernel, count, align, MIN_PART_ELEMENTS, (from, to) => [
      outPtr + 4 * from,
      to - from,
      seedLo,
      seedHi,
      stream,
      offset + start + from,
    ]);
  });
}

/**
 * Fills out with the raw words u(offset), u(offset + 1), … of stream (seed, stream) and returns it.
 * Word i is a pure function of (seed, stream, offset + i): any chunking gives the same words.
 * @example randomUint32(new Uint32Array(4), { seed: 42 })
 */
export function randomUint32<T extends U32Data>(out: T, options: StreamOptions = {}): T {
  checkU32("out", out);
  return fillStream("randomUint32", out, options, 4);
}

/** randomUint32() after validation: the words of stream `args` into out; the library's own path. */
export const randomUint32Unchecked = (inst: Instance, out: U32Data, args: StreamArgs): void =>
  fillStreamUnchecked(inst, "randomUint32", out, 4, args);
