// Every argument check of the library. Kernels, layers, optimizers and the model validate all of their
// arguments here before they touch any data or allocate memory, so a rejected call leaves the caller's
// arrays as they were. Errors name the argument and the rule.
import { F32Buffer, U32Buffer, type F32Data, type U32Data } from "./wasm/buffer.js";
import { defaultInstance, type Instance } from "./wasm/instance.js";

/** A short description of a value for error messages: "an Array", "a Float32Array", "number 1.5". */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") {
    const kind = (value as object).constructor?.name ?? "object";
    return `${/^[aeiou]/i.test(kind) ? "an" : "a"} ${kind}`;
  }
  return `${typeof value} ${String(value)}`;
}

/** An options object (or any object argument); `like` shows its shape in the message, e.g. "{ l1, l2 }". */
export function checkObject(name: string, value: unknown, like?: string): asserts value is object {
  if (value === null || typeof value !== "object") {
    throw new TypeError(`${name} must be an object${like ? ` like ${like}` : ""}, got ${describe(value)}`);
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

/** A finite number > 0 (learning rates, epsilons). */
export function checkPositive(name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number > 0, got ${describe(value)}`);
  }
}

/** A finite number >= 0 (noise levels). */
export function checkNonNegative(name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${describe(value)}`);
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
