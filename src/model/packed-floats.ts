// A JSON tree with its long f32 arrays moved out into one binary section of little-endian f32: each
// such array becomes a reference {"$f32": [start, length]} (in values, not bytes) to its run of the
// section; everything else stays in the tree as it was. Generic over the tree, so a new layer,
// optimizer or schedule needs nothing here; lossless, since only arrays whose every value is exactly
// an f32 (or NaN) move, and a run stores exactly those values. Short arrays move too when they hold
// NaN, ±Infinity or −0, which JSON text cannot hold.
/** The one key of a reference object; a tree to pack must not use it anywhere. */
export const F32_REF = "$f32";
/** Arrays shorter than this stay in the JSON: their text costs about as much as a reference. */
export const MIN_PACKED_LENGTH = 16;

export interface PackedTree {
  /** The tree with references in place of the packed arrays. */
  json: unknown;
  /** The packed arrays in section order: array k starts where array k − 1 ends. */
  arrays: readonly (readonly number[])[];
  /** Values in all arrays: the section holds 4 × this many bytes. */
  values: number;
}

/** A value the f32 section holds exactly: an f32, or NaN. */
const isF32 = (v: unknown): boolean => typeof v === "number" && (Math.fround(v) === v || Number.isNaN(v));
/** JSON text has no NaN or ±Infinity (it writes null) and no −0 (it writes 0): an array holding one is packed whatever its length. */
const notJson = (v: number): boolean => !Number.isFinite(v) || Object.is(v, -0);

/** An own, enumerable property even for the key "__proto__" (plain assignment would set the prototype). */
function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Moves every array of at least MIN_PACKED_LENGTH exact f32 values out of `tree` (which it leaves as it was). */
export function packFloats(tree: unknown): PackedTree {
  const arrays: number[][] = [];
  let values = 0;
  const walk = (value: unknown, where: string): unknown => {
    if (Array.isArray(value)) {
      if (value.every(isF32) && (value.length >= MIN_PACKED_LENGTH || value.some(notJson))) {
        arrays.push(value);
        values += value.length;
        return { [F32_REF]: [values - value.length, value.length] };
      }
      return value.map((v, i) => walk(v, `${where}[${i}]`));
    }
    if (value === null || typeof value !== "object") return value;
    const copy = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === F32_REF) throw new TypeError(`${where}.${key}: the key ${F32_REF} is reserved for packed arrays`);
      setOwn(copy, key, walk(v, `${where}.${key}`));
    }
    return copy;
  };
  const json = walk(tree, "json");
  return { json, arrays, values };
}

/** Writes the packed arrays as little-endian f32 into `section` (4 × values bytes). */
export function writeFloats(packed: PackedTree, section: DataView): void {
  let at = 0;
  for (const array of packed.arrays) {
    for (const v of array) {
      section.setFloat32(at, v, true);
      at += 4;
    }
  }
}

interface Reference {
  parent: object;
  key: string | number;
  start: number;
  length: number;
  where: string;
}

/** The reference at `value`, checked; null when `value` is no reference object. */
function referenceAt(value: object, where: string): [number, number] | null {
  if (!Object.hasOwn(value, F32_REF)) return null;
  const keys = Object.keys(value);
  const run = (value as Record<string, unknown>)[F32_REF];
  if (
    keys.length !== 1 ||
    !Array.isArray(run) ||
    run.length !== 2 ||
    !run.every((n) => Number.isSafeInteger(n) && n >= 0)
  ) {
    throw new TypeError(`${where} must be a reference {"${F32_REF}": [start, length]} of two integers >= 0`);
  }
  return [run[0], run[1]];
}

/**
 * The tree that packFloats packed, from its references and the section (f32 values, little-endian).
 * Checks every reference before it builds any array: each value of the section belongs to exactly one
 * reference, so a reference cannot reach past the section and the arrays add up to its size.
 */
export function unpackFloats(json: unknown, section: DataView, name: string): unknown {
  const values = section.byteLength / 4;
  const refs: Reference[] = [];
  const collect = (value: unknown, parent: object, key: string | number, where: string): void => {
    if (value === null || typeof value !== "object") return;
    const run = referenceAt(value, where);
    if (run) {
      refs.push({ parent, key, start: run[0], length: run[1], where });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => collect(v, value, i, `${where}[${i}]`));
    } else {
      for (const [k, v] of Object.entries(value)) collect(v, value, k, `${where}.${k}`);
    }
  };
  // the root may be a reference too (a tree that is one long array)
  const holder = { root: json };
  collect(json, holder, "root", name);
  let covered = 0;
  for (const ref of [...refs].sort((a, b) => a.start - b.start)) {
    if (ref.start !== covered) {
      throw new RangeError(
        ref.start < covered
          ? `${ref.where} overlaps another reference at value ${ref.start} of the f32 section`
          : `values ${covered} to ${ref.start - 1} of the f32 section belong to no reference (next: ${ref.where})`,
      );
    }
    covered += ref.length;
    if (covered > values)
      throw new RangeError(`${ref.where} reaches value ${covered - 1}, past the ${values} values of the f32 section`);
  }
  if (covered !== values)
    throw new RangeError(`values ${covered} to ${values - 1} of the f32 section belong to no reference`);
  for (const { parent, key, start, length } of refs) {
    const array = new Array<number>(length);
    for (let i = 0; i < length; i++) array[i] = section.getFloat32(4 * (start + i), true);
    // an own property of the parsed tree, so even "__proto__" is a plain data property here
    (parent as Record<string | number, unknown>)[key] = array;
  }
  return holder.root;
}
