// mulberry32 (Tommy Ettinger's 32-bit generator): the one seeded source of test and benchmark data.
// It is deliberately not the library's generator, so data made with it cannot hide a fault of that
// generator. Only Math.imul, shifts and exact f64 steps: every JS engine gives the same numbers.
// Plain JS so that the Node benchmarks (no TypeScript loader) import it too; types in mulberry32.d.ts.

/** A generator of 32-bit words (integers in [0, 2^32)) from seed. */
export function mulberry32Uint32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** A generator of word / 2^32 (exact): uniform in [0, 1). */
export function mulberry32(seed) {
  const next = mulberry32Uint32(seed);
  return () => next() / 2 ** 32;
}
