// Byte encodings for vectors.json, identical in Node and browsers (atob/btoa, crypto.subtle).

/** The raw little-endian bytes of a typed array (a copy). */
export function bytesOf(view) {
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

/** The 8 bytes of an f64, so that results compare by bit pattern (0 vs -0, every last bit). */
export function f64Bytes(value) {
  return new Uint8Array(new Float64Array([value]).buffer);
}

/** @param {Uint8Array} bytes */
export function toBase64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** @param {string} base64 */
export function fromBase64(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Lowercase hex SHA-256 of bytes (Web Crypto: global in Node >= 20 and in browsers). */
export async function sha256Hex(bytes) {
  // a copy: Web Crypto refuses views of a SharedArrayBuffer (the memory of an instance with threads)
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.slice()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Stored form of one output: base64 of the bytes, or "sha256:<hex>" for outputs too large to keep. */
export async function encodeOutput(bytes, keepBytesUpTo) {
  return bytes.length <= keepBytesUpTo ? toBase64(bytes) : `sha256:${await sha256Hex(bytes)}`;
}

/**
 * null when `bytes` equals the stored output, else a message naming the first differing 4-byte word
 * (f32 / u32 element; for an f64 result, its low or high half).
 */
export async function compareOutput(bytes, stored) {
  if (stored.startsWith("sha256:")) {
    const got = await sha256Hex(bytes);
    return got === stored.slice(7) ? null : `sha256 ${got} != stored ${stored.slice(7)} (${bytes.length} bytes)`;
  }
  const want = fromBase64(stored);
  if (want.length !== bytes.length) return `length ${bytes.length} bytes != stored ${want.length}`;
  const word = (b, i) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
  for (let i = 0; i < want.length; i += 4) {
    if (word(bytes, i) !== word(want, i)) {
      const hex = (w) => `0x${w.toString(16).padStart(8, "0")}`;
      return `word ${i / 4}: got ${hex(word(bytes, i))}, stored ${hex(word(want, i))}`;
    }
  }
  return null;
}
