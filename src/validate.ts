// Every argument check of the library. Kernels, layers, optimizers and the model validate all of their
// arguments here before they touch any data or allocate memory, so a rejected call leaves the caller's
// arrays as they were. Errors name the argument and the rule.
import {
  F32Buffer,
  type F32Data,
  isFloat32Array,
  isUint32Array,
  typedArrayType,
  U32Buffer,
  type U32Data,
} from "./wasm/buffer.js";
import { defaultInstance, type Instance } from "./wasm/instance.js";

/** A short description of a value for error messages: "an Array", "a Float32Array", "number 1.5". */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") {
    const kind = (value as object).constructor?.name ?? "object";
    return `${/^[aeio]/i.test(kind) ? "an" : "a"} ${kind}`; // "a Uint32Array": U as in "you"
  }
  return `${typeof value} ${String(value)}`;
}

/** An options object (or any object argument); `like` shows its shape in the message, e.g. "{ l1, l2 }". */
export function checkObject(name: string, value: unknown, like?: string): asserts value is object {
  if (value === null || typeof value !== "object") {
    throw new TypeError(`${name} must be an object${like ? ` like ${like}` : ""}, got ${describe(value)}`);
  }
}

/** Edit distance of two short strings (case-insensitive), for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/**
 * An options object whose keys are all among `known`: a typo (weightl2 for weightL2) is an error
 * naming the key and the closest known one, instead of an option silently ignored.
 */
export function checkOptions(
  name: string,
  value: unknown,
  known: readonly string[],
  like?: string,
): asserts value is object {
  checkObject(name, value, like);
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const closest = known.reduce((best, k) => (distance(key, k) < distance(key, best) ? k : best), known[0] ?? "");
    const hint =
      closest && distance(key, closest) <= Math.max(2, closest.length / 3) ? ` (did you mean ${closest}?)` : "";
    throw new TypeError(`${name}.${key} is not a known option${hint}; the options are ${known.join(", ")}`);
  }
}

export function checkBoolean(name: string, value: unknown): asserts value is boolean {
  if (typeof value !== "boolean") throw new TypeError(`${name} must be a boolean, got ${describe(value)}`);
}

/** A count or size: an integer in [1, 2^53 − 1]. */
export function checkPositiveInt(name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${describe(value)}`);
  }
}

/** A number > 0 that stays finite in f32, where the kernels use it (learning rates, epsilons). */
export function checkPositive(name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !(value > 0 && value <= F32_MAX)) {
    throw new RangeError(`${name} must be a finite number > 0 (at most 3.4e38, the f32 range), got ${describe(value)}`);
  }
}

/** A finite number >= 0 (noise levels). */
export function checkNonNegative(name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${describe(value)}`);
  }
}

/** A number in [0, 1] (label smoothing). */
export function checkUnitInterval(name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    throw new RangeError(`${name} must be in [0, 1], got ${describe(value)}`);
  }
}

/** A number in [0, 1) (momentum, Adam's betas). */
export function checkFraction(name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !(value >= 0 && value < 1)) {
    throw new RangeError(`${name} must be in [0, 1), got ${describe(value)}`);
  }
}

/** One of a fixed set of values (strings or numbers), compared with ===. */
export function checkOneOf<T extends string | number>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (!allowed.includes(value as T)) {
    const list = allowed.map((v) => (typeof v === "string" ? `'${v}'` : String(v)));
    const choices = list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list[list.length - 1]}` : list[0];
    throw new (typeof value === typeof allowed[0] ? RangeError : TypeError)(
      `${name} must be ${choices}, got ${describe(value)}`,
    );
  }
}

/** True when the array's buffer was transferred or otherwise detached (it reads as empty). */
function isDetached(view: ArrayBufferView): boolean {
  if (view.buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(view.buffer);
    return false;
  } catch {
    return true; // a view of a detached buffer cannot be made
  }
}

function checkUsable(name: string, value: F32Data | U32Data): void {
  if (value instanceof F32Buffer || value instanceof U32Buffer) {
    if (value.freed) throw new TypeError(`${name} was used after free()`);
  } else if (isDetached(value)) {
    throw new TypeError(`${name} is a view of a detached ArrayBuffer (transferred or freed), so it holds no data`);
  }
}

/** name must be a Float32Array or a live F32Buffer. */
export function checkF32(name: string, value: unknown): asserts value is F32Data {
  if (!(value instanceof F32Buffer || isFloat32Array(value)))
    throw new TypeError(`${name} must be a Float32Array or F32Buffer, got ${describe(value)}`);
  checkUsable(name, value);
}

/** Float input a kernel reads: a Float32Array, a live F32Buffer, or a plain array of numbers. */
export type F32Input = F32Data | readonly number[];

/** name as a kernel's input: a Float32Array, a live F32Buffer, or a plain array of numbers. */
export function checkF32Input(name: string, value: unknown): asserts value is F32Input {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      if (typeof value[i] !== "number")
        throw new TypeError(`${name}[${i}] must be a number, got ${describe(value[i])}`);
    return;
  }
  if (!(value instanceof F32Buffer || isFloat32Array(value)))
    throw new TypeError(`${name} must be a Float32Array, F32Buffer or array of numbers, got ${describe(value)}`);
  checkUsable(name, value);
}

/** A checked input as the kernels take it: a plain array copied into a new Float32Array (values rounded to f32). */
export const asF32 = (value: F32Input): F32Data =>
  Array.isArray(value) ? Float32Array.from(value) : (value as F32Data);

/** name must be a Uint32Array or a live U32Buffer. */
export function checkU32(name: string, value: unknown): asserts value is U32Data {
  if (!(value instanceof U32Buffer || isUint32Array(value)))
    throw new TypeError(`${name} must be a Uint32Array or U32Buffer, got ${describe(value)}`);
  checkUsable(name, value);
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

/** λ2 where a gradient is taken: the kernel applies 2·λ2 in f32, so λ2 <= f32 max / 2. */
export function checkGradientL2(name: string, value: number): void {
  if (value > F32_MAX / 2) throw new RangeError(`${name} must be at most 1.7e38 (2·l2 must fit in f32), got ${value}`);
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

/** The bytes an operand covers, in the memory that holds them. */
function extentOf(data: F32Data | U32Data): { memory: ArrayBufferLike; start: number; end: number; kind: string } {
  const kind = data instanceof F32Buffer || isFloat32Array(data) ? "f32" : "u32";
  if (data instanceof F32Buffer || data instanceof U32Buffer) {
    return { memory: data.instance.heap.memory.buffer, start: data.ptr, end: data.ptr + 4 * data.length, kind };
  }
  return { memory: data.buffer, start: data.byteOffset, end: data.byteOffset + data.byteLength, kind };
}

/**
 * Operands of one call must not share memory, with one exception: an operand may be exactly another
 * of the same element type (an output computed in place, `out === x`, or the same bytes through an
 * F32Buffer and a view). Anything else (a partial overlap, a mask over float data) would let the
 * kernel read what it has already overwritten.
 */
export function checkNoOverlap(operands: Record<string, F32Data | U32Data | null | undefined>): void {
  const named = Object.entries(operands).filter((e): e is [string, F32Data | U32Data] => e[1] != null);
  const extents = named.map(([, data]) => extentOf(data));
  for (let i = 0; i < named.length; i++) {
    for (let j = i + 1; j < named.length; j++) {
      const a = extents[i],
        b = extents[j];
      if (a.memory !== b.memory || a.end <= b.start || b.end <= a.start || a.start === a.end || b.start === b.end)
        continue;
      if (a.start === b.start && a.end === b.end && a.kind === b.kind) continue;
      throw new RangeError(`${named[j][0]} shares memory with ${named[i][0]} without being the same array`);
    }
  }
}

/** The instance that owns every buffer among the arguments (the default one if there are none). */
export function ownerOf(args: Record<string, unknown>): Instance {
  let owner: Instance | undefined;
  let ownerName = "";
  for (const name in args) {
    const value = args[name];
    if (!(value instanceof F32Buffer || value instanceof U32Buffer)) continue;
    if (owner && value.instance !== owner)
      throw new TypeError(`${name} belongs to a different regwasm instance than ${ownerName}`);
    owner = value.instance;
    ownerName = name;
  }
  return owner ?? defaultInstance();
}

const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength")!.get!;

/** An ArrayBuffer of any realm (not a SharedArrayBuffer): its byteLength getter accepts only those. */
function isArrayBuffer(value: unknown): value is ArrayBuffer {
  try {
    arrayBufferByteLength.call(value);
    return true;
  } catch {
    return false;
  }
}

/** A file's bytes: a Uint8Array (Node's Buffer is one) or an ArrayBuffer, of any realm, as a Uint8Array. */
export function checkBytes(name: string, value: unknown): Uint8Array {
  if (typedArrayType(value) === "Uint8Array") {
    if (isDetached(value as Uint8Array))
      throw new TypeError(`${name} is a view of a detached ArrayBuffer (transferred or freed), so it holds no data`);
    return value as Uint8Array;
  }
  if (isArrayBuffer(value)) {
    try {
      return new Uint8Array(value);
    } catch {
      throw new TypeError(`${name} is a detached ArrayBuffer (transferred or freed), so it holds no data`);
    }
  }
  throw new TypeError(`${name} must be a Uint8Array or an ArrayBuffer, got ${describe(value)}`);
}
