// Plain-JS reference of regwasm's counter-based random stream, written from its definition (the
// header of assembly/random.ts), not from the kernel's code:
//   key  = splitmix64(splitmix64(seed) ^ stream); k1 = low 32 bits, k2 = high 32 bits
//   u(i) = lowbias32(lowbias32(i·0x9E3779B9 + k1) ^ k2), all mod 2^32
// The one copy: the kernel tests and the golden-vector reference (so scripts/golden.mjs too) import
// it; plain JS so that plain Node imports it as well. Types in reference-generator.d.ts.

const MASK64 = (1n << 64n) - 1n;

/** splitmix64 (Steele, Lea, Flood 2014): one output from state z. */
export function splitmix64(z) {
  z = (z + 0x9e3779b97f4a7c15n) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** Chris Wellons' lowbias32 integer hash. */
export function lowbias32(x) {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

/** The key [k1, k2] of stream (seed, stream). */
export function refStreamKey(seed, stream = 0) {
  const key = splitmix64(splitmix64(BigInt(seed)) ^ BigInt(stream));
  return [Number(key & 0xffffffffn), Number(key >> 32n)];
}

/** u(counter) under the key (k1, k2). */
export function refWord(counter, k1, k2) {
  return lowbias32(lowbias32((Math.imul(counter, 0x9e3779b9) + k1) >>> 0) ^ k2);
}

/** The n words u(offset), …, u(offset + n − 1) of stream (seed, stream). */
export function refRandomUint32(n, seed, stream = 0, offset = 0) {
  const [k1, k2] = refStreamKey(seed, stream);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = refWord(offset + i, k1, k2);
  return out;
}

/**
 * Dropout's uniform v(c) of element counter c, bit by bit from its definition (assembly/dropout.ts):
 * with g = c >> 5 and l = c & 31, bit 31 − k of v(c) is bit l of u(32g + k), k = 0..31.
 * @param words the 32 words u(32g), …, u(32g + 31) of c's group, when the caller has them
 */
export function refKeepUniform(counter, k1, k2, words) {
  const g = Math.floor(counter / 32),
    l = counter % 32;
  let v = 0;
  for (let k = 0; k < 32; k++) v = v * 2 + (((words ? words[k] : refWord(32 * g + k, k1, k2)) >>> l) & 1);
  return v;
}

/** The n uniforms v(offset), …, v(offset + n − 1) of stream (seed, stream). */
export function refKeepUniforms(n, seed, stream = 0, offset = 0) {
  const [k1, k2] = refStreamKey(seed, stream);
  const out = new Uint32Array(n);
  const words = new Uint32Array(32);
  let group = -1;
  for (let i = 0; i < n; i++) {
    const c = offset + i;
    if (Math.floor(c / 32) !== group) {
      group = Math.floor(c / 32);
      for (let k = 0; k < 32; k++) words[k] = refWord(32 * group + k, k1, k2);
    }
    out[i] = refKeepUniform(c, k1, k2, words);
  }
  return out;
}
