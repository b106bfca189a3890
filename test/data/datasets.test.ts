// spiralData against its documented definition, written out here: arm c has r = linspace(0, 1) and
// t = linspace(4c, 4(c + 1)) + noise·z, z the generator's normals of the seed on the spiral stream; the
// point is (r·sin 2.5t, r·cos 2.5t), rounded to f32.
import { beforeAll, describe, expect, it } from "vitest";
import { init, spiralData } from "../../src/index.js";
import { normals } from "../../src/kernels/normals.js";

beforeAll(() => init());

const SPIRAL_STREAM = 0x5350;

describe("spiralData", () => {
  it.each([
    [7, 3, 0, 0.2],
    [5, 2, 11, 1.5],
  ])(
    "%i samples × %i classes, seed %i, noise %f: the documented points and labels",
    (samples, classes, seed, noise) => {
      const { x, y, rows } = spiralData(samples, classes, { seed, noise });
      const z = normals(samples * classes, seed, SPIRAL_STREAM);
      expect(rows).toBe(samples * classes);
      for (let c = 0; c < classes; c++)
        for (let i = 0; i < samples; i++) {
          const row = c * samples + i;
          const r = i / (samples - 1);
          const t = 4 * c + (4 * i) / (samples - 1) + noise * z[row];
          expect([x[2 * row], x[2 * row + 1], y[row]]).toEqual([
            Math.fround(r * Math.sin(2.5 * t)),
            Math.fround(r * Math.cos(2.5 * t)),
            c,
          ]);
        }
    },
  );
});
