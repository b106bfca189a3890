// The SVG report builder on small synthetic histories: structure, curve geometry, decision-boundary
// cells and points, and escaping. Expected values come from the inputs, not from the builder.
import { describe, expect, it } from "vitest";
import { buildHtmlReport, buildReport, gridFor, type RunReport } from "../../src/cli/report/index.js";
import { autoDomain, thin } from "../../src/cli/report/line-chart.js";
import { niceTicks } from "../../src/cli/report/scale.js";
import { assertWellFormed, elements, polyline, rectArea } from "./svg-check.js";

// 11 epochs: accuracy rises linearly 0 → 1, loss falls linearly 1 → 0; validation every 5 epochs.
function syntheticRun(name: string): RunReport {
  const history = Array.from({ length: 11 }, (_, e) => ({
    epoch: e,
    dataLoss: 1 - e / 10,
    acc: e / 10,
    ...(e % 5 === 0 ? { valLoss: 1 - e / 20, valAcc: e / 20 } : {}),
  }));
  // 4 training points: two of class 0, one each of classes 1 and 2.
  const points = new Float32Array([-1, -1, 1, 1, -1, 1, 1, -1]);
  const labels = new Uint32Array([0, 0, 1, 2]);
  const grid = gridFor(points, 4, 4, 0);
  // 16 cells: 10 of class 0, 6 of class 1, none of class 2.
  const cellClasses = Uint8Array.from({ length: 16 }, (_, i) => (i < 10 ? 0 : 1));
  return { name, description: "test model", history, boundary: { ...grid, cellClasses, points, labels, classes: 3 } };
}

describe("buildReport", () => {
  const svg = buildReport([syntheticRun("first"), syntheticRun('second <&> "quoted"')], { title: "T & <title>" });

  it("is one well-formed <svg> document with escaped text", () => {
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    assertWellFormed(svg);
    expect(svg).toContain("second &lt;&amp;&gt; &quot;quoted&quot;");
    expect(svg).toContain("T &amp; &lt;title&gt;");
  });

  it("draws one path per curve: train and validation, loss and accuracy, per run", () => {
    const curves = elements(svg, "path").filter((p) => p.class === "curve");
    expect(curves).toHaveLength(2 * 4);
  });

  it("puts every training epoch on the train curve and only logged epochs on the validation curve", () => {
    const curves = elements(svg, "path").filter((p) => p.class === "curve");
    const lengths = curves.slice(0, 4).map((c) => polyline(c.d).length);
    // Order: loss train, loss validation, accuracy train, accuracy validation.
    expect(lengths).toEqual([11, 3, 11, 3]);
  });

  it("maps epochs and values linearly (x grows with epoch, higher accuracy is drawn higher)", () => {
    const accTrain = polyline(elements(svg, "path").filter((p) => p.class === "curve")[2].d);
    for (let i = 1; i < accTrain.length; i++) {
      expect(accTrain[i].x).toBeGreaterThan(accTrain[i - 1].x);
      expect(accTrain[i].y).toBeLessThan(accTrain[i - 1].y);
    }
    // Equal steps in epoch and accuracy give equal steps on screen; 0.15 px allows the 0.1 px rounding.
    const dx = accTrain[1].x - accTrain[0].x,
      dy = accTrain[1].y - accTrain[0].y;
    for (let i = 2; i < accTrain.length; i++) {
      expect(accTrain[i].x - accTrain[i - 1].x).toBeCloseTo(dx, 0);
      expect(Math.abs(accTrain[i].y - accTrain[i - 1].y - dy)).toBeLessThan(0.15);
    }
  });

  it("covers the grid with cells whose areas match the predicted class counts", () => {
    const cells = elements(svg, "path").filter((p) => p.class === "cells");
    // Per run: class 0 and class 1 have cells, class 2 none.
    expect(cells).toHaveLength(2 * 2);
    const [c0, c1] = cells.slice(0, 2).map((c) => rectArea(c.d));
    // Row runs: rows 0-1 all class 0 (1 rect each), row 2 splits 0|1 (2 rects), row 3 all class 1.
    expect(c0.count + c1.count).toBe(5);
    // Area ratio 10 : 6 within the 0.1 px rounding of each edge (cells are ~60 px wide).
    expect(c0.area / c1.area).toBeCloseTo(10 / 6, 2);
  });

  it("draws each training point once, in its class's path", () => {
    const points = elements(svg, "path")
      .filter((p) => p.class === "points")
      .slice(0, 3);
    expect(points.map((p) => (p.d.match(/h0/g) ?? []).length)).toEqual([2, 1, 1]);
  });
});

describe("report helpers", () => {
  it("gridFor puts cell centers inside the bounding box, row 0 at the bottom", () => {
    const g = gridFor(new Float32Array([0, 0, 2, 4]), 2, 2, 0);
    expect([g.xMin, g.xMax, g.yMin, g.yMax]).toEqual([0, 2, 0, 4]);
    expect(Array.from(g.centers)).toEqual([0.5, 1, 1.5, 1, 0.5, 3, 1.5, 3]);
  });

  it("niceTicks gives multiples of 1, 2 or 5 × 10^k inside the range", () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 10001, 6)).toEqual([0, 2000, 4000, 6000, 8000, 10000]);
    expect(niceTicks(-1.05, 1.05, 4)).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it("thin keeps the extremes and the last point of a long noisy series", () => {
    const points = Array.from({ length: 10001 }, (_, i) => ({
      x: i,
      y: Math.sin(i * 0.37) + (i === 4321 ? 5 : 0) - (i === 777 ? 5 : 0),
    }));
    const kept = thin(points, 600);
    expect(kept.length).toBeLessThanOrEqual(602);
    expect(kept.some((p) => p.x === 4321)).toBe(true);
    expect(kept.some((p) => p.x === 777)).toBe(true);
    expect(kept.at(-1)).toBe(points.at(-1));
    for (let i = 1; i < kept.length; i++) expect(kept[i].x).toBeGreaterThan(kept[i - 1].x);
  });
});

describe("loss axis with spikes", () => {
  it("keeps the bulk of the curve readable: the axis top is set by the first value and the 99.5th percentile, not a lone spike", () => {
    // 1000 points between 1.0 and 0.3, plus one spike of 50.
    const points = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i === 500 ? 50 : 1 - 0.7 * (i / 999) }));
    const [lo, hi] = autoDomain([{ label: "loss", color: "#000", points }]);
    expect(lo).toBe(0);
    // The first value is 1.0: the axis must reach it, and stop at the next nice step (≤ 1.2), far below 50.
    expect(hi).toBeGreaterThanOrEqual(1);
    expect(hi).toBeLessThanOrEqual(1.2);
  });
});

describe("comparisons: a regularized run and its unregularized twin on the same axes", () => {
  // Validation on epochs 0, 5 and 10; the training data in inference mode (trainCurve) on the same
  // epochs. Gaps (validation − training): with 0.1, 0.2, 0.2; without 0.2, 0.4, 0.4.
  function pairRun(name: string, train: number[], validation: number[]): RunReport {
    const base = syntheticRun(name);
    return {
      ...base,
      history: base.history.map((h) =>
        h.epoch % 5 === 0 ? { ...h, valLoss: validation[h.epoch / 5], valAcc: 0.5 } : h,
      ),
      trainCurve: train.map((loss, i) => ({ epoch: i * 5, loss, acc: 0.6 })),
      final: { trainAcc: 0.6, valAcc: 0.5, valLoss: validation[2], wallS: 1, trainLoss: train[2] },
    };
  }
  const runs = [pairRun("L2", [1, 0.6, 0.4], [1.1, 0.8, 0.6]), pairRun("plain", [1, 0.4, 0.1], [1.2, 0.8, 0.5])];
  const svg = buildReport(runs, { comparisons: [{ regularized: 0, unregularized: 1 }] });
  /** The comparison row's charts, in order: loss, gap, accuracy. */
  const comparisonCharts = () => {
    const row = svg.slice(svg.indexOf('<g class="comparison"'), svg.indexOf('<g class="run"'));
    return row.split('<g class="line-chart">').slice(1);
  };
  const curvesOf = (chunk: string) => elements(chunk, "path").filter((p) => p.class === "curve");
  /** The bottom of the plot area: the axis path M left top V bottom H right. */
  const baseline = (chunk: string) => Number(/d="M[\d.]+ [\d.]+V([\d.]+)H[\d.]+"/.exec(chunk)?.[1] ?? Number.NaN);

  it("comes first, one row per comparison, before the runs' own rows", () => {
    assertWellFormed(svg);
    expect(svg.match(/<g class="comparison"/g)).toHaveLength(1);
    expect(svg.match(/<g class="run"/g)).toHaveLength(2);
    expect(svg.indexOf('<g class="comparison"')).toBeLessThan(svg.indexOf('<g class="run"'));
    expect(svg).toContain("gap 0.200 vs 0.400 · val loss 0.600 vs 0.500");
    expect(buildReport(runs)).not.toContain('class="comparison"');
  });

  it("loss and accuracy: both runs' training (solid) and validation (dashed) curves in one chart", () => {
    const charts = comparisonCharts();
    expect(charts).toHaveLength(3);
    for (const chunk of [charts[0], charts[2]]) {
      const curves = curvesOf(chunk);
      expect(curves.map((c) => c["data-series"])).toEqual([
        "with: training",
        "with: validation",
        "without: training",
        "without: validation",
      ]);
      expect(curves.map((c) => c["stroke-dasharray"] !== undefined)).toEqual([false, true, false, true]);
      expect(curves[0].stroke).toBe(curves[1].stroke);
      expect(curves[2].stroke).toBe(curves[3].stroke);
      expect(curves[0].stroke).not.toBe(curves[2].stroke);
      // the training curves are the inference-mode ones: three points, not the 11 logged epochs
      expect(curves.map((c) => polyline(c.d).length)).toEqual([3, 3, 3, 3]);
    }
    // same axes: equal values at equal epochs land on the same pixel in both runs
    const [withTrain, , withoutTrain, withoutValidation] = curvesOf(charts[0]).map((c) => polyline(c.d));
    expect(withTrain[0]).toEqual(withoutTrain[0]); // both 1 at epoch 0
    expect(withTrain[2].x).toBe(withoutValidation[2].x);
    // a lower loss is drawn lower: with L2 the final training loss (0.4) is above the plain run's (0.1)
    expect(withTrain[2].y).toBeLessThan(withoutTrain[2].y);
  });

  it("gap: validation − training loss of each run, to scale from the same zero line", () => {
    const chunk = comparisonCharts()[1];
    const curves = curvesOf(chunk);
    expect(curves.map((c) => c["data-series"])).toEqual(["with", "without"]);
    const [withGap, withoutGap] = curves.map((c) => polyline(c.d));
    const bottom = baseline(chunk);
    expect(bottom).toBeGreaterThan(0);
    const heights = (line: { y: number }[]) => line.map((p) => bottom - p.y);
    // half the height at every epoch, within the 0.1 px rounding
    expect(heights(withGap).map((h, i) => h / heights(withoutGap)[i])).toEqual(
      [0.5, 0.5, 0.5].map((r) => expect.closeTo(r, 2)),
    );
    expect(heights(withoutGap)[2]).toBeGreaterThan(100);
  });

  it("scales with the window: a viewBox and 100% width, no fixed pixel size", () => {
    const root = elements(svg, "svg")[0];
    expect(root.width).toBe("100%");
    expect(root.height).toBeUndefined();
    expect(root.viewBox).toMatch(/^0 0 1280 \d+$/);
    expect(root.style).toContain("max-width:1280px");
  });

  it("as an HTML page: every chart its own scalable SVG with the same curves", () => {
    const html = buildHtmlReport(runs, { comparisons: [{ regularized: 0, unregularized: 1 }], title: "A & B" });
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain("<title>A &amp; B</title>");
    const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(svgs).toHaveLength(3 * 3); // the comparison and two runs, three charts each
    for (const s of svgs) {
      assertWellFormed(s);
      expect(elements(s, "svg")[0].viewBox).toMatch(/^0 0 \d+ 300$/);
    }
    const curves = (text: string) => elements(text, "path").filter((p) => p.class === "curve");
    expect(svgs.flatMap(curves)).toEqual(
      curves(svg).map((c) => expect.objectContaining({ "data-series": c["data-series"] })),
    );
    expect(html.indexOf('<section class="comparison">')).toBeLessThan(html.indexOf('<section class="run">'));
  });
});
