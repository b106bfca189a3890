// Inverted dropout, forward and backward (see assembly/dropout.ts for the exact keep rule).
import { allocF32, F32Buffer, type F32Data, type U32Buffer, type U32Data } from "../wasm/buffer.js";
import { STREAM_KEYS, streamArgsLater, type StreamArgs, type StreamOptions } from "./random.js";
import {
  checkF32,
  checkNoOverlap,
  checkOptions,
  checkRate,
  checkSameLength,
  checkU32,
  asF32,
  checkF32Input,
  type F32Input,
  ownerOf,
} from "../validate.js";
import type { Instance } from "../wasm/instance.js";
import { type Operand, pinViews, runWindowed } from "../wasm/window.js";
import { MIN_PART_ELEMENTS } from "../wasm/partition.js";
import { runSplit } from "../wasm/run-split.js";
import { applyNoiseMaskUnchecked, dropoutMaskUnchecked, maskInWasm, release } from "./noise-mask.js";
import { checkShape, type NoiseLayout, type NoiseShape, noiseLayout } from "./noise-shape.js";

/** Mask words for n elements: bit i&31 of word i>>5 is 1 where element i was kept. */
export const maskWords = (n: number): number => Math.ceil(n / 32);

/**
 * Fewest elements of a dropout pass worth a part of their own: a quarter of other streaming kernels'
 * (MIN_PART_ELEMENTS), so that a training batch's dropout (MNIST's 128 × 512) runs on two threads: the
 * 2-thread MNIST step took 0.994× the time (bench/mnist/paired.mjs, 200 block pairs, twice).
 */
export const DROPOUT_MIN_PART = MIN_PART_ELEMENTS / 4;

export interface DropoutOptions<
  O extends F32Data | undefined = F32Data | undefined,
  M extends U32Data | false = U32Data | false,
> extends StreamOptions {
  /** Fraction of elements dropped, in [0, 1] (Keras `rate`, PyTorch `p`). */
  rate: number;
  /** Where to write the output (may be x itself); default: a new array of x's kind. */
  out?: O;
  /** Where to write the bit mask, or false for none (regenerate it in backward); default: a new Uint32Array. */
  mask?: M;
  /**
   * Keras noise_shape: one keep bit per element of a tensor of this shape, broadcast over the input
   * (entries: the input's size or null, or 1 to keep or drop all along that dim together). The mask
   * then has ceil(noise elements / 32) words and bit j is element j of the noise tensor (counter
   * offset + j). Default: one bit per element.
   */
  noiseShape?: NoiseShape;
  /** The input's shape (row-major, product = length), for noiseShape; default [length]. */
  shape?: readonly number[];
}

/** The output is `out` when given, else a new array of the input's kind (F32Buffer in, F32Buffer out; a plain array gives a Float32Array). */
export type OutputOf<X extends F32Input, O extends F32Data | undefined> = O extends F32Data
  ? O
  : X extends F32Data
    ? X
    : Float32Array;

export interface DropoutResult<O extends F32Data, M extends U32Data | false> {
  output: O;
  /** null when called with { mask: false }. */
  mask: M extends false ? null : M;
}

function checkMask(name: string, mask: unknown, n: number): asserts mask is U32Data {
  checkU32(name, mask);
  if (mask.length !== maskWords(n))
    throw new RangeError(`${name} must hold ceil(length / 32) = ${maskWords(n)} words, got ${mask.length}`);
}

/** A new output of the same kind as x (F32Buffer in the same instance, else Float32Array). */
function newLike(x: F32Data): F32Data {
  return x instanceof F32Buffer ? allocF32(x.length, x.instance) : new Float32Array(x.length);
}

/** Runs the kernel into `out`, or into a new array like `like` that is freed again if the kernel throws. */
function intoOutput<T extends F32Data>(out: F32Data | undefined, like: F32Data, run: (output: F32Data) => void): T {
  const output = out ?? newLike(like);
  try {
    run(output);
  } catch (error) {
    if (out === undefined && output instanceof F32Buffer) output.free();
    throw error;
  }
  return output as T;
}

/**
 * Inverted dropout: element i is kept with probability 1 − rate and scaled by f32(1/(1 − rate)),
 * else set to +0. rate 0 returns a copy, rate 1 zeros. Same (seed, stream, offset) → same mask.
 * @example
 * const { output, mask } = dropout(activations, { rate: 0.1, seed: 7, stream: step });
 */
export function dropout<
  X extends F32Input,
  O extends F32Data | undefined = undefined,
  M extends U32Data | false = Uint32Array,
>(input: X, options: DropoutOptions<O, M>): DropoutResult<OutputOf<X, O>, M> {
  checkF32Input("x", input);
  checkOptions("options", options, DROPOUT_KEYS, "{ rate, seed? }");
  // every option read once: a getter cannot answer differently between the check and the use
  const { rate, seed, stream: streamId, offset, out, mask: maskOption, noiseShape, shape } = options;
  checkRate("options.rate", rate);
  const layout = readLayout(input.length, noiseShape, shape);
  const bits = layout ? layout.noiseLength : input.length;
  const drawStream = streamArgsLater(seed, streamId, offset, bits);
  if (out !== undefined) {
    checkF32("options.out", out);
    checkSameLength("x", input, "options.out", out);
  }
  if (maskOption !== undefined && maskOption !== false) checkMask("options.mask", maskOption, bits);
  const givenMask: U32Data | undefined = maskOption === false ? undefined : (maskOption as U32Data | undefined);
  const x = asF32(input);
  const inst = ownerOf({ x, "options.out": out, "options.mask": givenMask });
  checkNoOverlap({ x, "options.out": out, "options.mask": givenMask });
  const stream = drawStream();
  const mask = maskOption === false ? null : (givenMask ?? new Uint32Array(maskWords(bits)));
  const output = intoOutput<OutputOf<X, O>>(out, x, (output) => {
    if (layout) dropoutNoiseUnchecked(inst, output, mask, x, rate, stream, layout);
    else dropoutUnchecked(inst, output, mask, x, rate, stream);
  });
  return { output, mask } as DropoutResult<OutputOf<X, O>, M>;
}

/** dropout() after validation: out and mask (null: none) get the result of x; the layers' path. */
export function dropoutUnchecked(
  inst: Instance,
  out: F32Data,
  mask: U32Data | null,
  x: F32Data,
  rate: number,
  [seedLo, seedHi, stream, offset]: StreamArgs,
): void {
  const operands: Operand[] = [
    { data: out, read: false, write: true },
    { data: x, read: true, write: false },
  ];
  if (mask) operands.push({ data: mask, read: false, write: true, bits: true });
  runWindowed(inst, x.length, operands, ([outPtr, xPtr, maskPtr], count, start) => {
    // parts start on 1024-element boundaries: whole mask words, and the mask depends only on the index
    runSplit(inst, "dropout", count, 1024, DROPOUT_MIN_PART, (from, to) => [
      outPtr + 4 * from,
      maskPtr === undefined ? 0 : maskPtr + from / 8,
      xPtr + 4 * from,
      to - from,
      rate,
      seedLo,
      seedHi,
      stream,
      offset + start + from,
    ]);
  });
}

const DROPOUT_KEYS = ["rate", "out", "mask", "noiseShape", "shape", ...STREAM_KEYS] as const;
const BACKWARD_KEYS = ["rate", "out", "mask", "noiseShape", "shape", ...STREAM_KEYS] as const;

/** The layout of a noise shape that broadcasts, or null for one bit per element (plain dropout's path). */
function readLayout(length: number, noiseShape: unknown, shape: unknown): NoiseLayout | null {
  if (noiseShape === undefined) {
    if (shape !== undefined) throw new TypeError("options.shape is only read with options.noiseShape");
    return null;
  }
  const inputShape = shape === undefined ? [length] : shape;
  checkShape("options.shape", inputShape, length);
  const layout = noiseLayout(inputShape, noiseShape);
  return layout.full ? null : layout;
}

/**
 * Dropout with a broadcast mask, after validation: mask (noise-sized, or null) and out get the
 * result of x. rate 0 copies and rate 1 zeros, as dropout does, whatever the mask.
 */
export function dropoutNoiseUnchecked(
  inst: Instance,
  out: F32Data,
  mask: U32Data | null,
  x: F32Data,
  rate: number,
  stream: StreamArgs,
  layout: NoiseLayout,
): void {
  [out, mask, x] = pinViews(inst, out, mask, x); // the mask and the layout's dims are allocated first
  const words = maskWords(layout.noiseLength);
  const buf = maskInWasm(inst, mask instanceof Uint32Array ? null : mask, words);
  try {
    dropoutMaskUnchecked(inst, buf, layout.noiseLength, rate, stream);
    if (mask instanceof Uint32Array) mask.set(buf.view());
    applyDropoutMask(inst, out, x, buf, rate, layout);
  } finally {
    release(buf, mask);
  }
}

/** out = x · mask · scale over a noise layout; rate 0 copies, rate 1 zeros. */
function applyDropoutMask(
  inst: Instance,
  out: F32Data,
  x: F32Data,
  mask: U32Buffer,
  rate: number,
  layout: NoiseLayout,
): void {
  if (rate <= 0 || 1 - rate >= 1 || rate >= 1) dropoutUnchecked(inst, out, null, x, rate, [0, 0, 0, 0]);
  else applyNoiseMaskUnchecked(inst, out, x, mask, layout, Math.fround(1 / (1 - rate)), -0, 0);
}

/** dropoutBackward() over a noise layout from a stored noise mask, after validation; out may be dvalues. */
export function dropoutNoiseBackwardUnchecked(
  inst: Instance,
  out: F32Data,
  dvalues: F32Data,
  rate: number,
  mask: U32Data,
  layout: NoiseLayout,
): void {
  [out, dvalues, mask] = pinViews(inst, out, dvalues, mask); // the mask and the layout's dims are allocated first
  const buf = maskInWasm(inst, mask, maskWords(layout.noiseLength));
  try {
    applyDropoutMask(inst, out, dvalues, buf, rate, layout);
  } finally {
    release(buf, mask);
  }
}

/** Backward from a stored mask, or from (seed, stream, offset) to regenerate it: both give the same bits. */
export type DropoutBackwardOptions<O extends F32Data | undefined = F32Data | undefined> = (
  | { rate: number; mask: U32Data }
  | ({ rate: number; mask?: null } & StreamOptions)
) & {
  /** Where to write dx (may be dvalues itself); default: a new array of dvalues' kind. */
  out?: O;
  /** The forward call's noiseShape and shape. */
  noiseShape?: NoiseShape;
  shape?: readonly number[];
};

/**
 * dx = dvalues · mask · f32(1/(1 − rate)): the gradient of dropout with the forward call's mask.
 * Pass the stored mask, or the forward call's { seed, stream, offset } to regenerate it (a mask of
 * null, as returned by dropout(x, { mask: false }), also means regenerate). As in the forward pass,
 * rate 0 is the identity and rate 1 gives zeros, whatever the mask. `out` goes in the options, as for
 * dropout(); the third argument is the older place for it, still accepted (not both).
 * @example dropoutBackward(dOut, { rate: 0.1, mask })
 */
export function dropoutBackward<X extends F32Input, O extends F32Data | undefined = undefined>(
  input: X,
  options: DropoutBackwardOptions<O>,
  outArgument?: O,
): OutputOf<X, O> {
  checkF32Input("dvalues", input);
  checkOptions("options", options, BACKWARD_KEYS, "{ rate, mask } or { rate, seed }");
  const {
    rate,
    out: outOption,
    mask,
    seed,
    stream: streamId,
    offset,
    noiseShape,
    shape,
  } = options as { rate: unknown; mask?: unknown } & Partial<
    Record<"out" | "seed" | "stream" | "offset" | "noiseShape" | "shape", unknown>
  >;
  if (outOption !== undefined && outArgument !== undefined)
    throw new TypeError("out is given twice (options.out and the third argument): pass it once, as options.out");
  const outName = outOption !== undefined ? "options.out" : "out";
  const out = (outOption ?? outArgument) as O;
  checkRate("options.rate", rate);
  const layout = readLayout(input.length, noiseShape, shape);
  if (out !== undefined) {
    checkF32(outName, out);
    checkSameLength("dvalues", input, outName, out);
  }
  const n = input.length;
  const bits = layout ? layout.noiseLength : n;
  if (mask !== undefined && mask !== null) {
    checkMask("options.mask", mask, bits);
    const dvalues = asF32(input);
    const inst = ownerOf({ dvalues, [outName]: out, "options.mask": mask });
    checkNoOverlap({ dvalues, [outName]: out, "options.mask": mask });
    return intoOutput<OutputOf<X, O>>(out, dvalues, (output) => {
      if (layout) dropoutNoiseBackwardUnchecked(inst, output, dvalues, rate, mask, layout);
      else dropoutBackwardUnchecked(inst, output, dvalues, rate, mask);
    });
  }
  // regenerating needs the forward call's seed: an omitted one would draw a new mask
  if (seed === undefined)
    throw new TypeError("options.seed is required to regenerate the mask (or pass the forward call's options.mask)");
  const stream = streamArgsLater(seed, streamId, offset, bits)();
  const dvalues = asF32(input);
  const inst = ownerOf({ dvalues, [outName]: out });
  checkNoOverlap({ dvalues, [outName]: out });
  return intoOutput<OutputOf<X, O>>(out, dvalues, (output) => {
    if (layout) dropoutNoiseUnchecked(inst, output, null, dvalues, rate, stream, layout);
    else dropoutUnchecked(inst, output, null, dvalues, rate, stream);
  });
}

/**
 * dropoutBackward() from a stored mask, after validation; out may be dvalues. The layers' path. (From
 * a regenerated mask, backward is dropoutUnchecked of dvalues on the forward call's stream.)
 */
export function dropoutBackwardUnchecked(
  inst: Instance,
  out: F32Data,
  dvalues: F32Data,
  rate: number,
  mask: U32Data,
): void {
  const operands: Operand[] = [
    { data: out, read: false, write: true },
    { data: dvalues, read: true, write: false },
    { data: mask, read: true, write: false, bits: true },
  ];
  runWindowed(inst, dvalues.length, operands, ([outPtr, dyPtr, maskPtr], count) => {
    runSplit(inst, "dropoutBackward", count, 1024, DROPOUT_MIN_PART, (from, to) => [
      outPtr + 4 * from,
      dyPtr + 4 * from,
      maskPtr + from / 8,
      to - from,
      rate,
    ]);
  });
}
