/** Seeded mulberry32: each call returns the next 32-bit word, an integer in [0, 2^32). */
export function mulberry32Uint32(seed: number): () => number;
/** Seeded mulberry32: each call returns the next word / 2^32, uniform in [0, 1). */
export function mulberry32(seed: number): () => number;
