// What a regularizer is: a penalty of one tensor and its gradient, with a JSON form. Layers name
// theirs (Dense's weightRegularizer, biasRegularizer, activityRegularizer); the family's registry
// rebuilds them from JSON, so a custom one survives toJSON/fromJSON once its type is registered.
import type { TypedJSON } from "../registry.js";
import { checkF32, checkNoOverlap, checkSameLength, describe } from "../validate.js";
import { F32Buffer, type F32Data } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import { ownerOf } from "../validate.js";

/** A regularizer's JSON: its registered type and its config. */
export interface RegularizerJSON extends TypedJSON {
  [key: string]: unknown;
}

/** A tensor's shape: [n] for a vector (a bias), [rows, cols] for a matrix (a Dense kernel nIn × nOut). */
export type Shape = readonly number[];

export abstract class Regularizer {
  abstract readonly type: string;

  /**
   * Whether the penalty of a batch of rows is the sum of the penalties of its rows (L1, L2): only
   * such a penalty can regularize activities, whose batches arrive in row chunks.
   */
  get sumsOverRows(): boolean {
    return false;
  }

  /** Throws when the regularizer cannot take a tensor of this shape (OrthogonalRegularizer: rank 2). */
  checkShape(_name: string, _shape: Shape): void {}

  /**
   * The penalty of x (a Float32Array or an F32Buffer) of the given shape (default [x.length]).
   * @example new L2(0.1).penalty(new Float32Array([1, -2])) // 0.5
   */
  penalty(x: F32Data, shape?: Shape): number {
    checkF32("x", x);
    const s = checkShapeOf("shape", shape, x.length);
    this.checkShape("shape", s);
    return this.penaltyOf(ownerOf({ x }), x, s);
  }

  /**
   * grad[i] += ∂penalty/∂x[i] in place; returns the penalty of x. grad may be x itself.
   * @example new L2(0.1).addGradient(dW, W) // dW += 0.2·W
   */
  addGradient(grad: F32Data, x: F32Data, shape?: Shape): number {
    checkF32("grad", grad);
    checkF32("x", x);
    checkSameLength("x", x, "grad", grad);
    checkNoOverlap({ x, grad });
    const s = checkShapeOf("shape", shape, x.length);
    this.checkShape("shape", s);
    return this.addGradientOf(ownerOf({ grad, x }), grad, x, s, 1);
  }

  /** penalty() after validation: the layers' path. */
  abstract penaltyOf(inst: Instance, x: F32Data, shape: Shape): number;

  /** grad += scale·∂penalty/∂x after validation; returns scale·penalty(x). */
  abstract addGradientOf(inst: Instance, grad: F32Data, x: F32Data, shape: Shape, scale: number): number;

  abstract toJSON(): RegularizerJSON;
}

/** A shape whose sizes multiply to `length` (default [length]). */
function checkShapeOf(name: string, shape: unknown, length: number): Shape {
  if (shape === undefined) return [length];
  if (
    !Array.isArray(shape) ||
    shape.length < 1 ||
    shape.length > 2 ||
    !shape.every((d) => Number.isSafeInteger(d) && d >= 0) ||
    shape.reduce((a: number, b: number) => a * b, 1) !== length
  )
    throw new RangeError(`${name} must be [n] or [rows, cols] with ${length} elements in all, got ${describe(shape)}`);
  return shape;
}

/** The values of x as a Float32Array, read now (an F32Buffer's view is valid until memory grows). */
export function valuesOf(x: F32Data): Float32Array {
  return x instanceof F32Buffer ? x.view() : x;
}

/** grad[i] = f32(grad[i] + scale·g[i]): a gradient computed in float64 (in JS) added into f32 data. */
export function addInto(grad: F32Data, g: Float64Array, scale: number): void {
  const out = valuesOf(grad);
  for (let i = 0; i < g.length; i++) out[i] = Math.fround(out[i] + scale * g[i]);
}
