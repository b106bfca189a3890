// Noise shapes (Keras noise_shape): a dropout mask with one bit per element of a smaller tensor
// broadcast over the input. Each noise dim is the input's size (or null, meaning that) or 1.
import { describe } from "../validate.js";

/** Per dim of the input: its size (or null for "the input's size"), or 1 to share one bit along it. */
export type NoiseShape = readonly (number | null)[];

/** How an input of a given shape reads its noise tensor. */
export interface NoiseLayout {
  /** Elements of the noise tensor: mask bits. */
  readonly noiseLength: number;
  /**
   * The input's dims with size-1 dims dropped and neighbours of the same kind merged, outermost
   * first: [size, stride in the noise tensor] (stride 0: broadcast along it).
   */
  readonly dims: readonly (readonly [size: number, stride: number])[];
  /** True when every input element has its own noise element (plain dropout). */
  readonly full: boolean;
}

/** A shape: a non-empty array of positive integers; returns their product. */
export function checkDims(name: string, shape: unknown): number {
  if (!Array.isArray(shape) || shape.length === 0)
    throw new TypeError(`${name} must be a non-empty array of positive integers, got ${describe(shape)}`);
  let product = 1;
  shape.forEach((d, k) => {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 1)
      throw new RangeError(`${name}[${k}] must be a positive integer, got ${describe(d)}`);
    product *= d;
  });
  return product;
}

/** A shape: an array of positive integers whose product is `length`. */
export function checkShape(name: string, shape: unknown, length: number): asserts shape is readonly number[] {
  const product = checkDims(name, shape);
  if (product !== length)
    throw new RangeError(
      `${name} [${(shape as number[]).join(", ")}] holds ${product} elements, but the input has ${length}`,
    );
}

/** The layout of noise shape `noiseShape` over an input of (valid) shape `shape`. */
export function noiseLayout(
  shape: readonly number[],
  noiseShape: unknown,
  name = "options.noiseShape",
  shapeName = "options.shape",
): NoiseLayout {
  if (!Array.isArray(noiseShape))
    throw new TypeError(`${name} must be an array of sizes, 1 or null, got ${describe(noiseShape)}`);
  if (noiseShape.length !== shape.length)
    throw new RangeError(
      `${name} must have one entry per dim of ${shapeName} [${shape.join(", ")}] (${shape.length}), got ${noiseShape.length}`,
    );
  const noise = noiseShape.map((d, k) => {
    if (d === null) return shape[k];
    if (d !== 1 && d !== shape[k])
      throw new RangeError(
        `${name}[${k}] must be null, 1 or the input's size ${shape[k]}, got ${typeof d === "number" ? d : describe(d)}`,
      );
    return d as number;
  });
  const noiseLength = noise.reduce((a, b) => a * b, 1);
  const dims: [number, number][] = [];
  let stride = 1;
  const strides = noise.map((_, k) => {
    const s = stride;
    stride *= noise[noise.length - 1 - k];
    return s;
  });
  strides.reverse();
  shape.forEach((size, k) => {
    if (size === 1) return;
    const s = noise[k] === 1 ? 0 : strides[k];
    const last = dims[dims.length - 1];
    if (last && (last[1] === 0) === (s === 0)) {
      last[0] *= size; // neighbours of one kind: a full dim's stride is its inner neighbour's
      last[1] = s;
    } else dims.push([size, s]);
  });
  const full = dims.every(([, s]) => s !== 0);
  return { noiseLength, dims, full };
}
