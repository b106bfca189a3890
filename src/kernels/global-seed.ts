// The global generator behind every seed left out: an unseeded kernel call or layer takes the next
// seed of the sequence (globalSeed + k) mod 2^53, k = 0, 1, 2, … counted per process since the last
// setSeed. The default global seed is 0, so a script that never calls setSeed gets the same seeds on
// every run (layers built without a seed take 0, 1, 2, … in construction order, as they always
// did), and every unseeded call a seed of its own: it never reuses a mask. Adjacent seeds are
// independent streams: the generator hashes the seed through splitmix64 twice (assembly/random.ts).
import { checkSeed } from "../validate.js";

/** The global seed until setSeed is called. */
export const DEFAULT_GLOBAL_SEED = 0;

const SEED_SPACE = 2 ** 53;
let globalSeed = DEFAULT_GLOBAL_SEED;
let draws = 0;

/**
 * Restarts the global generator from `seed` (an integer in [0, 2^53 − 1]): the seeds of later
 * unseeded calls and layers are seed, seed + 1, … (mod 2^53), so the same script replays.
 * @example setSeed(42); const a = dropout(x, { rate: 0.5 }); setSeed(42); // the next call repeats a
 */
export function setSeed(seed: number): void {
  checkSeed("seed", seed);
  globalSeed = seed;
  draws = 0;
}

/** The next seed of the global generator (for a call or layer given none). */
export function nextSeed(): number {
  const seed = (globalSeed + draws) % SEED_SPACE;
  draws++;
  return seed;
}
