// Normal variates and the Gaussian noise kernels (assembly/normal.ts): Box–Muller over the
// counter-based stream with log, sin and cos computed inside WASM, so the same (seed, stream,
// offset) gives the same bits in every runtime and build. Variate i is a pure function of
// (seed, stream, offset + i): any chunking or thread split gives the same values.
import { allocF32, F32Buffer, type F32Data } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import { MIN_PART_ELEMENTS } from "../wasm/partition.js";
import { runSplit } from "../wasm/run-split.js";
import { runWindowed } from "../wasm/window.js";
import {
  asF32,
  checkF32,
  checkF32Input,
  checkNoOverlap,
  checkNonNegative,
  checkOptions,
  checkSameLength,
  describe,
  type F32Input,
  ownerOf,
} from "../validate.js";
import type { OutputOf } from "./dropout.js";
import { fillStream, STREAM_KEYS, type StreamArgs, type StreamOptions, streamArgsLater } from "./random.js";

/**
 * Fills out with f32(z(offset)), f32(z(offset + 1)), … : standard normal variates of stream
 * (seed, stream) (see docs/RNG.md for the exact definition) and returns it.
 * @example randomNormal(new Float32Array(4), { seed: 42 })
 */
export function randomNormal<T extends F32Data>(out: T, options: StreamOptions = {}): T {
  checkF32("out", out);
  return fillStream("randomNormal", out, options, 2);
}

/** The two noise kernels: additive (GaussianNoise) and multiplicative (GaussianDropout). */
export type NoiseKernel = "gaussianNoise" | "gaussianDropout";

/** out = x + f32(stddev·z) or x·f32(1 + stddev·z) after validation; out may be x. The layers' path. */
export function gaussianUnchecked(
  inst: Instance,
  kernel: NoiseKernel,
  out: F32Data,
  x: F32Data,
  stddev: number,
  [seedLo, seedHi, stream, offset]: StreamArgs,
): void {
  const operands = [
    { data: out, read: false, write: true },
    { data: x, read: true, write: false },
  ];
  runWindowed(inst, x.length, operands, ([outPtr, xPtr], count, start) => {
    runSplit(inst, kernel, count, 2, MIN_PART_ELEMENTS, (from, to) => [
      outPtr + 4 * from,
      xPtr + 4 * from,
      to - from,
      stddev,
      seedLo,
      seedHi,
      stream,
      offset + start + from,
    ]);
  });
}

export interface GaussianNoiseOptions<O extends F32Data | undefined = F32Data | undefined> extends StreamOptions {
  /** Standard deviation of the additive noise, ≥ 0 (Keras GaussianNoise `stddev`). */
  stddev: number;
  /** Where to write the output (may be x itself); default: a new array of x's kind. */
  out?: O;
}

export interface GaussianDropoutOptions<O extends F32Data | undefined = F32Data | undefined> extends StreamOptions {
  /** Keras GaussianDropout `rate` in [0, 1): the noise is N(1, rate/(1 − rate)). */
  rate: number;
  /** Where to write the output (may be x itself); default: a new array of x's kind. */
  out?: O;
}

function run<X extends F32Input, O extends F32Data | undefined>(
  kernel: NoiseKernel,
  input: X,
  out: O,
  stddev: number,
  drawStream: () => StreamArgs,
): OutputOf<X, O> {
  if (out !== undefined) {
    checkF32("options.out", out);
    checkSameLength("x", input, "options.out", out);
  }
  const x = asF32(input);
  const args = drawStream();
  const inst = ownerOf({ x, "options.out": out });
  checkNoOverlap({ x, "options.out": out });
  const output: F32Data = out ?? (x instanceof F32Buffer ? allocF32(x.length, x.instance) : new Float32Array(x.length));
  try {
    gaussianUnchecked(inst, kernel, output, x, stddev, args);
  } catch (error) {
    if (out === undefined && output instanceof F32Buffer) output.free();
    throw error;
  }
  return output as OutputOf<X, O>;
}

/**
 * out[i] = x[i] + f32(stddev·z(offset + i)) (Keras GaussianNoise in training). Its gradient is the
 * identity.
 * @example gaussianNoise(x, { stddev: 0.1, seed: 7, stream: step })
 */
export function gaussianNoise<X extends F32Input, O extends F32Data | undefined = undefined>(
  x: X,
  options: GaussianNoiseOptions<O>,
): OutputOf<X, O> {
  checkF32Input("x", x);
  checkOptions("options", options, ["stddev", "out", ...STREAM_KEYS], "{ stddev, seed? }");
  const { stddev, seed, stream, offset, out } = options;
  checkNonNegative("options.stddev", stddev);
  return run("gaussianNoise", x, out as O, stddev, streamArgsLater(seed, stream, offset, x.length));
}

/** The standard deviation of GaussianDropout's noise: sqrt(rate/(1 − rate)). */
export const gaussianDropoutStddev = (rate: number): number => Math.sqrt(rate / (1 - rate));

/** A GaussianDropout rate: in [0, 1). */
export function checkGaussianRate(name: string, rate: unknown): asserts rate is number {
  if (typeof rate !== "number") throw new TypeError(`${name} must be a number, got ${describe(rate)}`);
  if (!(rate >= 0 && rate < 1))
    throw new RangeError(
      `${name} must be in [0, 1) (the noise's variance rate/(1 − rate) is infinite at 1), got ${rate}`,
    );
}

/**
 * out[i] = x[i]·f32(1 + σ·z(offset + i)), σ = sqrt(rate/(1 − rate)) (Keras GaussianDropout in
 * training). Its gradient is dy·(the same noise): gaussianDropout(dy, the same options).
 * @example gaussianDropout(x, { rate: 0.2, seed: 7, stream: step })
 */
export function gaussianDropout<X extends F32Input, O extends F32Data | undefined = undefined>(
  x: X,
  options: GaussianDropoutOptions<O>,
): OutputOf<X, O> {
  checkF32Input("x", x);
  checkOptions("options", options, ["rate", "out", ...STREAM_KEYS], "{ rate, seed? }");
  const { rate, seed, stream, offset, out } = options;
  checkGaussianRate("options.rate", rate);
  const stddev = gaussianDropoutStddev(rate);
  return run("gaussianDropout", x, out as O, stddev, streamArgsLater(seed, stream, offset, x.length));
}
