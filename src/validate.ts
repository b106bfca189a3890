// Argument checks. Every kernel validates all of its arguments before it touches any data, so a
// rejected call leaves the caller's arrays as they were. Errors name the argument and the rule.
import { F32Buffer, U32Buffer, type F32Data, type U32Data } from "./wasm/buffer.js";
import { defaultInstance, type Instance } from "./wasm/instance.js";

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return `a ${(value as object).constructor?.name ?? "object"}`;
  return `${typeof value} ${String(value)}`;
}

function checkLive(name: string, value: F32Buffer | U32Buffer): void {
  if (value.freed) throw new Error(`${name} was used after free()`);
}

/** name must be a Float32Array or a live F32Buffer. */
export function checkF32(name: string, value: unknown): asserts value is F32Data {
  if (value instanceof F32Buffer) return checkLive(name, value);
  if (!(value instanceof Float32Array))
    throw new TypeError(`${name} must be a Float32Array or F32Buffer, got ${describe(value)}`);
}

/** name must be a Uint32Array or a live U32Buffer. */
export function checkU32(name: string, value: unknown): asserts value is U32Data {
  if (value instanceof U32Buffer) return checkLive(name, value);
  if (!(value instanceof Uint32Array))
    throw new TypeError(`${name} must be a Uint32Array or U32Buffer, got ${describe(value)}`);
}

function checkNumber(name: string, value: unknown): asserts value is number {
  if (typeof value !== "number") throw new TypeError(`${name} must be a number, got ${describe(value)}`);
}

/** The largest finite f32: kernels use λ as f32, where anything larger is ∞. */
export const F32_MAX = 3.4028234663852886e38;

/** A regularization strength: a number in [0, f32 max] (kernels apply it in f32). */
export function checkLambda(name: string, value: unknown): asserts value is number {
  checkNumber(name, value);
  if (!(value >= 0 && value <= F32_MAX))
    throw new RangeError(`${name} must be a finite number >= 0 (at most 3.4e38, the f32 range), got ${value}`);
}

/** A dropout rate: the fraction dropped, in [0, 1]. */
export function checkRate(name: string, value: unknown): asserts value is number {
  checkNumber(name, value);
  if (!(value >= 0 && value <= 1))
    throw new RangeError(`${name} must be in [0, 1] (the fraction dropped), got ${value}`);
}

/** A seed: an integer in [0, 2^53 − 1]. */
export function checkSeed(name: string, value: unknown): asserts value is number {
  checkNumber(name, value);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be an integer in [0, 2^53 - 1], got ${value}`);
}

/** A 32-bit counter or stream id: an integer in [0, 2^32 − 1]. */
export function checkUint32(name: string, value: unknown): asserts value is number {
  checkNumber(name, value);
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
    throw new RangeError(`${name} must be an integer in [0, 2^32 - 1], got ${value}`);
}

/** Two arrays that a kernel walks together must have the same length. */
export function checkSameLength(nameA: string, a: { length: number }, nameB: string, b: { length: number }): void {
  if (a.length !== b.length)
    throw new RangeError(`${nameB} must have the same length as ${nameA} (${a.length}), got ${b.length}`);
}

/** An output may be the very same array as an input, but not a different view overlapping it. */
export function checkNoPartialOverlap(nameA: string, a: F32Data | U32Data, nameB: string, b: F32Data | U32Data): void {
  if (a === b || a instanceof F32Buffer || a instanceof U32Buffer || b instanceof F32Buffer || b instanceof U32Buffer)
    return;
  if (a.buffer !== b.buffer) return;
  const sameRange = a.byteOffset === b.byteOffset && a.byteLength === b.byteLength;
  const overlap = a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
  if (overlap && !sameRange) throw new RangeError(`${nameB} overlaps ${nameA} without being the same array`);
}

/** The instance that owns every buffer among the arguments (the default one if there are none). */
export function ownerOf(args: Record<string, unknown>): Instance {
  let owner: Instance | undefined;
  let ownerName = "";
  for (const name in args) {
    const value = args[name];
    if (!(value instanceof F32Buffer || value instanceof U32Buffer)) continue;
    if (owner && value.instance !== owner)
      throw new Error(`${name} belongs to a different regwasm instance than ${ownerName}`);
    owner = value.instance;
    ownerName = name;
  }
  return owner ?? defaultInstance();
}
