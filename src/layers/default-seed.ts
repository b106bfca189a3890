// Default seeds of layers built without one: the next seed of the global generator
// (src/kernels/global-seed.ts): 0, 1, 2, … in construction order unless setSeed(n) restarts it.
export { nextSeed as defaultSeed } from "../kernels/global-seed.js";
