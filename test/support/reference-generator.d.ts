/** splitmix64 (Steele, Lea, Flood 2014): one output from state z (mod 2^64). */
export function splitmix64(z: bigint): bigint;
/** Chris Wellons' lowbias32 integer hash; returns a u32. */
export function lowbias32(x: number): number;
/** key = splitmix64(splitmix64(seed) ^ stream); returns [k1 = low 32 bits, k2 = high 32 bits]. */
export function refStreamKey(seed: number, stream?: number): [number, number];
/** u(counter) = lowbias32(lowbias32(counter·0x9E3779B9 + k1) ^ k2), all mod 2^32. */
export function refWord(counter: number, k1: number, k2: number): number;
/** The n words u(offset), …, u(offset + n − 1) of stream (seed, stream). */
export function refRandomUint32(n: number, seed: number, stream?: number, offset?: number): Uint32Array;
/** Dropout's uniform v(c): bit 31 − k of v(c) is bit (c & 31) of u(32·(c >> 5) + k), k = 0..31. */
export function refKeepUniform(counter: number, k1: number, k2: number, words?: ArrayLike<number>): number;
/** The n uniforms v(offset), …, v(offset + n − 1) of stream (seed, stream). */
export function refKeepUniforms(n: number, seed: number, stream?: number, offset?: number): Uint32Array;
