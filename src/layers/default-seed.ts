// Default seeds of layers built without one.

let nextSeed = 0;
/** Seeds for layers built without one: 0, 1, 2, … in construction order (reproducible per process, like a seeded global RNG). */
export function defaultSeed(): number {
  return nextSeed++;
}
