// A line chart panel: axes with nice ticks, light grid, one <path class="curve"> per series, legend.
import { el, px, text } from "./svg.js";
import { linearScale, niceDomain, niceTicks, tickLabel } from "./scale.js";
import { AXIS_COLOR, GRID_COLOR, MUTED_TEXT } from "./theme.js";

export interface Point {
  x: number;
  y: number;
}

export interface Series {
  label: string;
  color: string;
  /** stroke-dasharray, e.g. "6 3"; solid when absent. */
  dash?: string;
  points: Point[];
}

export interface LineChartOptions {
  /** Top-left corner and outer size of the panel, in px. */
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Fixed y range (e.g. [0, 1] for accuracy); default: from 0 (or the minimum) to a robust maximum, widened to nice ticks. */
  yDomain?: [number, number];
  /** Corner of the plot area for the legend, away from where the curves go. Default "top". */
  legend?: "top" | "bottom";
}

// right: room for half of the last x label ("10000"), which is centered on the axis end
const MARGIN = { top: 26, right: 22, bottom: 36, left: 50 };

/**
 * Keeps at most about `maxPoints` points: per bucket the lowest and the highest point, in x order,
 * so that the envelope of a noisy curve survives the thinning.
 */
export function thin(points: Point[], maxPoints = 600): Point[] {
  if (points.length <= maxPoints) return points;
  const bucket = Math.ceil(points.length / (maxPoints / 2));
  const kept: Point[] = [];
  for (let start = 0; start < points.length; start += bucket) {
    let lo = start,
      hi = start;
    const end = Math.min(points.length, start + bucket);
    for (let i = start; i < end; i++) {
      if (points[i].y < points[lo].y) lo = i;
      if (points[i].y > points[hi].y) hi = i;
    }
    if (lo === hi) kept.push(points[lo]);
    else kept.push(points[Math.min(lo, hi)], points[Math.max(lo, hi)]);
  }
  const last = points[points.length - 1];
  if (kept[kept.length - 1] !== last) kept.push(last);
  return kept;
}

function dataRange(values: number[]): [number, number] {
  let min = Infinity,
    max = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? [min, max] : [0, 1];
}

/**
 * The y range for data without a fixed one: from min(0, lowest value) up to the 99.5th percentile or
 * each series' first value, whichever is higher. Isolated spikes (Adam at a high learning rate makes
 * some) then get clipped at the frame instead of squashing the curves to the bottom of the panel.
 */
export function autoDomain(series: Series[]): [number, number] {
  const ys = series
    .flatMap((s) => s.points.map((p) => p.y))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (ys.length === 0) return [0, 1];
  const robustMax = ys[Math.floor((ys.length - 1) * 0.995)];
  const firsts = series.map((s) => s.points.find((p) => Number.isFinite(p.y))?.y ?? -Infinity);
  return niceDomain(Math.min(0, ys[0]), Math.max(robustMax, ...firsts));
}

/** Builds the panel as an SVG <g> string. */
export function lineChart(o: LineChartOptions): string {
  const plot = {
    left: o.x + MARGIN.left,
    top: o.y + MARGIN.top,
    right: o.x + o.width - MARGIN.right,
    bottom: o.y + o.height - MARGIN.bottom,
  };
  const all = o.series.flatMap((s) => s.points);
  const [x0, x1] = dataRange(all.map((p) => p.x));
  const [y0, y1] = o.yDomain ?? autoDomain(o.series);
  const sx = linearScale([x0, x1], [plot.left, plot.right]);
  const sy = linearScale([y0, y1], [plot.bottom, plot.top]);
  const parts: string[] = [];

  for (const t of niceTicks(y0, y1, 5)) {
    const y = px(sy(t));
    parts.push(el("line", { x1: px(plot.left), x2: px(plot.right), y1: y, y2: y, stroke: GRID_COLOR }));
    parts.push(
      text(tickLabel(t), {
        x: px(plot.left - 6),
        y,
        "text-anchor": "end",
        "dominant-baseline": "middle",
        fill: MUTED_TEXT,
      }),
    );
  }
  for (const t of niceTicks(x0, x1, 6)) {
    const x = px(sx(t));
    parts.push(el("line", { x1: x, x2: x, y1: px(plot.bottom), y2: px(plot.bottom + 4), stroke: AXIS_COLOR }));
    parts.push(text(tickLabel(t), { x, y: px(plot.bottom + 16), "text-anchor": "middle", fill: MUTED_TEXT }));
  }
  parts.push(
    el("path", {
      d: `M${px(plot.left)} ${px(plot.top)}V${px(plot.bottom)}H${px(plot.right)}`,
      fill: "none",
      stroke: AXIS_COLOR,
    }),
  );

  for (const s of o.series) {
    const pts = thin(s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
    if (pts.length === 0) continue;
    // Values outside a fixed domain are clamped to the frame rather than drawn outside the panel.
    const clampY = (v: number) => Math.min(plot.bottom, Math.max(plot.top, sy(v)));
    const d = pts.map((p, i) => `${i ? "L" : "M"}${px(sx(p.x))} ${px(clampY(p.y))}`).join("");
    parts.push(
      el("path", {
        class: "curve",
        "data-series": s.label,
        d,
        fill: "none",
        stroke: s.color,
        "stroke-width": 1.5,
        "stroke-dasharray": s.dash,
        "stroke-linejoin": "round",
      }),
    );
  }

  if (all.some((p) => p.y > y1)) {
    parts.push(
      text(`values above ${tickLabel(y1)} drawn at the top edge`, {
        x: px(plot.left + 6),
        y: px(plot.bottom - 6),
        "font-size": 10,
        fill: MUTED_TEXT,
      }),
    );
  }

  // Legend in a top or bottom right corner of the plot area, as wide as its longest label (about
  // 6.6 px per character at 12 px), on a white backing so that curves under it do not hide it.
  const legendW = 28 + Math.max(0, ...o.series.map((s) => s.label.length)) * 6.6;
  const lx = plot.right - legendW - 6;
  const firstLy = o.legend === "bottom" ? plot.bottom - 10 - (o.series.length - 1) * 16 : plot.top + 10;
  parts.push(
    el("rect", {
      class: "legend",
      x: px(lx - 4),
      y: px(firstLy - 9),
      width: px(legendW + 8),
      height: px(o.series.length * 16 + 2),
      fill: "#fff",
      "fill-opacity": 0.85,
    }),
  );
  o.series.forEach((s, i) => {
    const ly = firstLy + i * 16;
    parts.push(
      el("line", {
        x1: px(lx),
        x2: px(lx + 22),
        y1: px(ly),
        y2: px(ly),
        stroke: s.color,
        "stroke-width": 2,
        "stroke-dasharray": s.dash,
      }),
    );
    parts.push(text(s.label, { x: px(lx + 28), y: px(ly), "dominant-baseline": "middle", fill: AXIS_COLOR }));
  });

  parts.push(text(o.title, { x: px(o.x + o.width / 2), y: px(o.y + 15), "text-anchor": "middle", "font-weight": 600 }));
  parts.push(
    text(o.xLabel, {
      x: px((plot.left + plot.right) / 2),
      y: px(o.y + o.height - 4),
      "text-anchor": "middle",
      fill: MUTED_TEXT,
    }),
  );
  const yMid = (plot.top + plot.bottom) / 2;
  parts.push(
    text(o.yLabel, {
      x: px(o.x + 12),
      y: px(yMid),
      "text-anchor": "middle",
      transform: `rotate(-90 ${px(o.x + 12)} ${px(yMid)})`,
      fill: MUTED_TEXT,
    }),
  );
  return el("g", { class: "line-chart" }, ...parts);
}
