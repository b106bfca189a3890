// The course's datasets: shapes, labels, the exact geometry the formulas fix, seeding.
import { describe, expect, it } from "vitest";
import { init, spiralData, verticalData } from "../../src/index.js";

await init();

describe("spiralData", () => {
  it("samples × classes points on arms r = linspace(0, 1), angle 2.5·t: exact without noise", () => {
    const samples = 7,
      classes = 3;
    const d = spiralData(samples, classes, { noise: 0 });
    expect([d.rows, d.features, d.classes, d.x.length]).toEqual([21, 2, 3, 42]);
    for (let c = 0; c < classes; c++) {
      for (let i = 0; i < samples; i++) {
        const row = c * samples + i;
        const r = i / (samples - 1),
          t = c * 4 + (4 * i) / (samples - 1);
        expect(d.y[row]).toBe(c);
        // f32 storage: 6e-8 relative
        expect(d.x[2 * row]).toBeCloseTo(r * Math.sin(2.5 * t), 6);
        expect(d.x[2 * row + 1]).toBeCloseTo(r * Math.cos(2.5 * t), 6);
      }
    }
  });

  it("noise moves the angle only (the radius stays linspace), N(0, 0.2²) on t by default", () => {
    const samples = 2000;
    const d = spiralData(samples, 1, { seed: 4 });
    const residuals: number[] = [];
    for (let i = 1; i < samples; i++) {
      const x = d.x[2 * i],
        y = d.x[2 * i + 1];
      const r = i / (samples - 1);
      expect(Math.hypot(x, y)).toBeCloseTo(r, 6);
      // angle residual of 2.5·t, wrapped to (−π, π], over the noise-free angle
      const clean = 2.5 * ((4 * i) / (samples - 1));
      let delta = Math.atan2(x, y) - clean;
      delta -= 2 * Math.PI * Math.round(delta / (2 * Math.PI));
      residuals.push(delta / 2.5);
    }
    const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
    const sd = Math.sqrt(residuals.reduce((a, b) => a + (b - mean) ** 2, 0) / residuals.length);
    // 2000 samples: the standard error of the mean is 0.2/√2000 ≈ 0.0045 and of the sd ≈ 0.0032
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(sd).toBeGreaterThan(0.18);
    expect(sd).toBeLessThan(0.22);
  });

  it("is reproducible per seed and differs between seeds", () => {
    expect(spiralData(50, 3, { seed: 1 }).x).toEqual(spiralData(50, 3, { seed: 1 }).x);
    expect(spiralData(50, 3, { seed: 1 }).x).not.toEqual(spiralData(50, 3, { seed: 2 }).x);
  });
});

describe("verticalData", () => {
  it("class c is centred on (c/3, 0.5) with N(0, 0.1²) noise on each coordinate", () => {
    const samples = 3000,
      classes = 3;
    const d = verticalData(samples, classes, { seed: 5 });
    expect([d.rows, d.features, d.classes]).toEqual([9000, 2, 3]);
    for (let c = 0; c < classes; c++) {
      let sx = 0,
        sy = 0,
        sxx = 0;
      for (let i = 0; i < samples; i++) {
        const row = c * samples + i;
        expect(d.y[row]).toBe(c);
        sx += d.x[2 * row];
        sy += d.x[2 * row + 1];
        sxx += (d.x[2 * row] - c / 3) ** 2;
      }
      // standard error of the mean 0.1/√3000 ≈ 0.0018
      expect(sx / samples).toBeCloseTo(c / 3, 2);
      expect(sy / samples).toBeCloseTo(0.5, 2);
      expect(Math.sqrt(sxx / samples)).toBeCloseTo(0.1, 2);
    }
  });
});

describe("bad arguments", () => {
  it.each<[string, () => unknown, RegExp]>([
    ["zero samples", () => spiralData(0, 3), /samples/],
    ["fractional classes", () => verticalData(10, 2.5), /classes/],
    ["negative noise", () => spiralData(10, 3, { noise: -1 }), /options\.noise/],
    ["negative seed", () => verticalData(10, 3, { seed: -2 }), /options\.seed/],
  ])("%s", (_, run, message) => {
    expect(run).toThrow(RangeError);
    expect(run).toThrow(message);
  });
});
