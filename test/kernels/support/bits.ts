// Bitwise comparisons of typed arrays: "identical" means the same bit patterns, so +0 ≠ −0.

/** The raw 32-bit patterns of an f32 or u32 array. */
export function bitsOf(a: Float32Array | Uint32Array): Uint32Array {
  return new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength) as ArrayBuffer);
}

/**
 * Index of the first element whose bits differ, or -1. With nanEqual, any two NaNs compare equal:
 * WASM and JS may produce different NaN payloads (the wasm spec leaves them nondeterministic).
 */
export function firstBitDifference(
  a: Float32Array | Uint32Array,
  b: Float32Array | Uint32Array,
  nanEqual = false,
): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const ab = bitsOf(a),
    bb = bitsOf(b);
  for (let i = 0; i < ab.length; i++) {
    if (ab[i] === bb[i]) continue;
    if (nanEqual && Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    return i;
  }
  return -1;
}

/** A readable summary of the first difference, for assertion messages. */
export function describeDifference(
  a: Float32Array | Uint32Array,
  b: Float32Array | Uint32Array,
  nanEqual = false,
): string {
  const i = firstBitDifference(a, b, nanEqual);
  if (i < 0) return "identical";
  if (a.length !== b.length) return `lengths differ: ${a.length} vs ${b.length}`;
  return `first difference at ${i}: ${a[i]} (0x${bitsOf(a)[i].toString(16)}) vs ${b[i]} (0x${bitsOf(b)[i].toString(16)})`;
}

/** A byte snapshot of an array, to show later that a call left it untouched. */
export function snapshot(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength) as ArrayBuffer);
}
