// The computations under the SVG report, value by value: scales and nice ticks, tick labels, SVG text
// building (escaping, 0.1 px rounding), thinning of long curves, the automatic y range and the
// decision-boundary grid. Expected values are worked out by hand from each function's documented rule.
import { describe, expect, it } from "vitest";
import { gridFor } from "../../src/cli/report/index.js";
import { autoDomain, lineChart, thin } from "../../src/cli/report/line-chart.js";
import { linearScale, niceDomain, niceStep, niceTicks, tickLabel } from "../../src/cli/report/scale.js";
import { el, escapeXml, px, text } from "../../src/cli/report/svg.js";

describe("scale", () => {
  it("linearScale maps the domain onto the range, a zero-width domain to the middle", () => {
    const s = linearScale([10, 20], [100, 0]);
    expect([s(10), s(15), s(20), s(25)]).toEqual([100, 50, 0, -50]);
    expect([s.domain, s.range]).toEqual([
      [10, 20],
      [100, 0],
    ]);
    const flat = linearScale([3, 3], [0, 40]);
    expect([flat(3), flat(100)]).toEqual([20, 20]);
  });

  it("niceStep: 1, 2, 5 or 10 × 10^k, switching at √2, √10 and √50 of span / count", () => {
    expect([niceStep(1.41, 1), niceStep(1.42, 1)]).toEqual([1, 2]);
    expect([niceStep(3.16, 1), niceStep(3.17, 1)]).toEqual([2, 5]);
    expect([niceStep(7.07, 1), niceStep(7.08, 1)]).toEqual([5, 10]);
    // at a switch itself, the larger step
    expect([niceStep(Math.SQRT2, 1), niceStep(Math.sqrt(10), 1), niceStep(Math.sqrt(50), 1)]).toEqual([2, 5, 10]);
    expect(niceStep(0.3, 3)).toBeCloseTo(0.1, 15);
    expect(niceStep(600, 3)).toBe(200);
    expect(niceStep(5, 0)).toBe(5); // count below 1 counts as 1
    expect([niceStep(0, 5), niceStep(-1, 5), niceStep(Number.NaN, 5), niceStep(Infinity, 5)]).toEqual([1, 1, 1, 1]);
  });

  it("niceTicks: the multiples of the step inside [min, max], ends included up to round-off", () => {
    expect(niceTicks(0.05, 0.95, 4)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(-3, -1, 2)).toEqual([-3, -2, -1]);
    expect(niceTicks(0.1, 0.3, 2)).toEqual([0.1, 0.2, 0.3]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]); // count defaults to 5
  });

  it("niceDomain widens outward to whole steps; a single value gets ±1", () => {
    expect(niceDomain(0.13, 0.87)).toEqual([0, 1]);
    expect(niceDomain(0.2, 1)).toEqual([0.2, 1]);
    expect(niceDomain(-0.3, 0.3, 3)).toEqual([-0.4, 0.4]);
    expect(niceDomain(2, 2)).toEqual([1, 3]);
  });

  it("tickLabel: 4 significant digits without trailing zeros; exponent form from 1e5 and below 1e-3", () => {
    expect([0, 0.5, -2.5, 1234.56, 12345, 0.001, 99999.4].map(tickLabel)).toEqual([
      "0",
      "0.5",
      "-2.5",
      "1235",
      "12350",
      "0.001",
      "100000",
    ]);
    expect([100000, 0.0009, -250000].map(tickLabel)).toEqual(["1.0e+5", "9.0e-4", "-2.5e+5"]);
  });
});

describe("svg", () => {
  it("escapes the five XML specials", () => {
    expect(escapeXml(`a & b < c > d "e" 'f'`)).toBe("a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;");
  });

  it("rounds coordinates to 0.1 px, without a negative zero", () => {
    expect([1.26, 1.24, -1.26, 3, -0.04, 0].map(px)).toEqual(["1.3", "1.2", "-1.3", "3", "0", "0"]);
  });

  it("builds elements: attributes escaped, undefined ones left out, self-closing when empty", () => {
    expect(el("line", { x1: 1, stroke: undefined, title: 'a"b' })).toBe('<line x1="1" title="a&quot;b"/>');
    expect(el("g")).toBe("<g/>");
    expect(el("g", { class: "c" }, "<x/>", "<y/>")).toBe('<g class="c"><x/><y/></g>');
    expect(text("1 < 2", { x: 3 })).toBe('<text x="3">1 &lt; 2</text>');
    expect(text("t")).toBe("<text>t</text>");
  });
});

describe("line-chart helpers", () => {
  const pts = (ys: number[]) => ys.map((y, x) => ({ x, y }));

  it("thin: short series unchanged; else per bucket its lowest and highest point in x order, and the last point", () => {
    const short = pts([1, 2, 3]);
    expect(thin(short, 3)).toBe(short);
    // 10 points, at most 4: buckets of ceil(10 / 2) = 5
    const ys = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    expect(thin(pts(ys), 4).map((p) => p.x)).toEqual([1, 4, 5, 6, 9]);
    // a flat bucket gives one point; the last point, already kept, is not repeated
    expect(thin(pts([2, 2, 2, 2, 0, 7]), 4).map((p) => p.x)).toEqual([0, 4, 5]);
    // the default keeps at most about 600 points
    expect(thin(pts(Array.from({ length: 600 }, (_, i) => i % 7))).length).toBe(600);
    expect(thin(pts(Array.from({ length: 601 }, (_, i) => i % 7))).length).toBeLessThanOrEqual(602);
  });

  it("autoDomain: [0, 1] without finite values; from min(0, lowest) to the higher of the 99.5th percentile and each first value", () => {
    const series = (points: { x: number; y: number }[]) => ({ label: "s", color: "#000", points });
    expect(autoDomain([])).toEqual([0, 1]);
    expect(autoDomain([series(pts([Number.NaN, Infinity]))])).toEqual([0, 1]);
    // negative values pull the bottom below 0
    // (3 values: the "99.5th percentile" is the middle one, 0.5; steps of 0.2)
    const [lo, hi] = autoDomain([series(pts([-0.3, 0.5, 0.9]))]);
    expect(lo).toBeCloseTo(-0.4, 12);
    expect(hi).toBeCloseTo(0.6, 12);
    // 1000 values of 1 with a spike of 50: the 99.5th percentile is 1
    const spiky = pts(Array.from({ length: 1000 }, (_, i) => (i === 10 ? 50 : 1)));
    expect(autoDomain([series(spiky)])).toEqual([0, 1]);
    // unsorted values: the lowest and the percentile are found by value, not by position
    const [ulo, uhi] = autoDomain([series(pts([0.9, -0.3, 0.5]))]);
    expect(ulo).toBeCloseTo(-0.4, 12);
    expect(uhi).toBeCloseTo(1, 12);
    // a series without any finite value adds no first value
    expect(autoDomain([series(pts([Number.NaN])), series(pts([0.3, 0.9, 0.5]))])).toEqual([0, 0.5]);
    // a first value above the percentile sets the top (non-finite leading values skipped)
    expect(autoDomain([series(pts([Number.NaN, 3, ...Array(999).fill(1)])), series(pts([0.5]))])).toEqual([0, 3]);
  });
});

describe("gridFor", () => {
  it("defaults to 120 × 120 cells over the box widened by 5% of its size", () => {
    const g = gridFor(new Float32Array([0, 0, 10, 20]));
    expect([g.cols, g.rows, g.centers.length]).toEqual([120, 120, 120 * 120 * 2]);
    expect([g.xMin, g.xMax, g.yMin, g.yMax]).toEqual([-0.5, 10.5, -1, 21]);
    expect(g.centers[0]).toBeCloseTo(-0.5 + 11 / 240, 5);
    expect(g.centers[1]).toBeCloseTo(-1 + 22 / 240, 5);
  });

  it("without points spans [−1, 1]²; a zero-width side is widened by the margin of 1; a trailing odd value is ignored", () => {
    const empty = gridFor([], 1, 1, 0.5);
    expect([empty.xMin, empty.xMax, empty.yMin, empty.yMax]).toEqual([-2, 2, -2, 2]);
    const point = gridFor([1, 2, 7], 1, 1, 0.25);
    expect([point.xMin, point.xMax, point.yMin, point.yMax]).toEqual([0.75, 1.25, 1.75, 2.25]);
    expect(Array.from(point.centers)).toEqual([1, 2]);
  });

  it("orders centers row by row from the bottom, columns left to right", () => {
    const g = gridFor([0, 0, 3, 2], 3, 2, 0);
    expect(Array.from(g.centers)).toEqual([0.5, 0.5, 1.5, 0.5, 2.5, 0.5, 0.5, 1.5, 1.5, 1.5, 2.5, 1.5]);
  });
});

describe("lineChart axes", () => {
  it("without data, both axes span [0, 1]: ticks 0, 0.2, …, 1 on each", () => {
    const svg = lineChart({
      x: 0,
      y: 0,
      width: 400,
      height: 300,
      title: "t",
      xLabel: "epoch",
      yLabel: "loss",
      series: [{ label: "a", color: "#000", points: [] }],
    });
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    const ticks = labels.filter((l) => /^[0-9.]+$/.test(l));
    expect(ticks.sort()).toEqual(["0", "0", "0.2", "0.2", "0.4", "0.4", "0.6", "0.6", "0.8", "0.8", "1", "1"]);
  });

  it("the x axis spans the epochs drawn: 0 … 10 in steps of 2, or the one epoch of a single point", () => {
    const xTicks = (xs: number[]) => {
      const svg = lineChart({
        x: 0,
        y: 0,
        width: 400,
        height: 300,
        title: "t",
        xLabel: "epoch",
        yLabel: "acc",
        yDomain: [0, 1],
        series: [{ label: "a", color: "#000", points: xs.map((x) => ({ x, y: 0.5 })) }],
      });
      // x tick labels are the centred ones
      return [...svg.matchAll(/<text [^>]*text-anchor="middle" fill[^>]*>([^<]*)<\/text>/g)]
        .map((m) => m[1])
        .filter((l) => /^[0-9.]+$/.test(l));
    };
    expect(xTicks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual(["0", "2", "4", "6", "8", "10"]);
    expect(xTicks([5])).toEqual(["5"]);
    // the range comes from the values, in any order, leaving out non-finite ones
    expect(xTicks([10, 0, 5])).toEqual(["0", "2", "4", "6", "8", "10"]);
    expect(xTicks([0, 10, Infinity, Number.NaN])).toEqual(["0", "2", "4", "6", "8", "10"]);
  });
});
