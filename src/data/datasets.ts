// The course's toy datasets (nnfs.datasets spiral_data and vertical_data), seeded: the same
// numbers on every platform (counter-based generator + Box–Muller).
import { checkNonNegative, checkOptions, checkPositiveInt, checkSeed } from "../validate.js";
import { normals } from "../kernels/normals.js";

export interface Dataset {
  /** (samples·classes) × 2 points, row-major. */
  x: Float32Array;
  /** Class of each point, 0 … classes − 1. */
  y: Uint32Array;
  rows: number;
  features: number;
  classes: number;
}

export interface DataOptions {
  /** Default 0. */
  seed?: number;
  /** Standard deviation of the noise (spiral: on the angle, default 0.2; vertical: on both coordinates, default 0.1). */
  noise?: number;
}

function readOptions(options: DataOptions, defaultNoise: number): { seed: number; noise: number } {
  checkOptions("options", options, ["seed", "noise"], "{ seed }");
  const { seed = 0, noise = defaultNoise } = options;
  checkSeed("options.seed", seed);
  checkNonNegative("options.noise", noise);
  return { seed, noise };
}

const linspace = (from: number, to: number, n: number, i: number): number =>
  n === 1 ? from : from + ((to - from) * i) / (n - 1);

/** Streams of the generator per dataset kind, so spiral and vertical data of one seed differ. */
const SPIRAL_STREAM = 0x5350;
const VERTICAL_STREAM = 0x5645;

/**
 * `classes` interleaved spiral arms of `samples` points each: for arm c, r = linspace(0, 1),
 * t = linspace(4c, 4(c + 1)) + noise·N(0, 1), point (r·sin 2.5t, r·cos 2.5t).
 * @example const { x, y } = spiralData(100, 3, { seed: 0 });
 */
export function spiralData(samples: number, classes: number, options: DataOptions = {}): Dataset {
  checkPositiveInt("samples", samples);
  checkPositiveInt("classes", classes);
  const { seed, noise } = readOptions(options, 0.2);
  const rows = samples * classes;
  const x = new Float32Array(rows * 2);
  const y = new Uint32Array(rows);
  const z = normals(rows, seed, SPIRAL_STREAM);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < samples; i++) {
      const row = c * samples + i;
      const r = linspace(0, 1, samples, i);
      const t = linspace(c * 4, (c + 1) * 4, samples, i) + z[row] * noise;
      x[2 * row] = r * Math.sin(t * 2.5);
      x[2 * row + 1] = r * Math.cos(t * 2.5);
      y[row] = c;
    }
  }
  return { x, y, rows, features: 2, classes };
}

/**
 * `classes` vertical clusters of `samples` points each: class c at (c/3, 0.5) + noise·N(0, 1) on each
 * coordinate.
 * @example const { x, y } = verticalData(100, 3, { seed: 0 });
 */
export function verticalData(samples: number, classes: number, options: DataOptions = {}): Dataset {
  checkPositiveInt("samples", samples);
  checkPositiveInt("classes", classes);
  const { seed, noise } = readOptions(options, 0.1);
  const rows = samples * classes;
  const x = new Float32Array(rows * 2);
  const y = new Uint32Array(rows);
  const z = normals(2 * rows, seed, VERTICAL_STREAM);
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < samples; i++) {
      const row = c * samples + i;
      x[2 * row] = z[2 * row] * noise + c / 3;
      x[2 * row + 1] = z[2 * row + 1] * noise + 0.5;
      y[row] = c;
    }
  }
  return { x, y, rows, features: 2, classes };
}
