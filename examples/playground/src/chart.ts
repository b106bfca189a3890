// A small line chart on a canvas: epochs on x (fixed to the run's length, so progress is visible),
// one or more series on y, light grid and tick labels. Title and legend are HTML around the canvas
// (see view.ts), so they can wrap and never collide with the plot.
import { prepare } from "./canvas.js";
import { AXIS_COLOR, DASH, FONT, GRID_COLOR } from "./theme.js";

export interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  /** [x, y] pairs in x order. */
  points: [number, number][];
}

export interface ChartOptions {
  xMax: number;
  /** Fixed y range (accuracy: [0, 1]); default: from min(0, lowest) to the highest value, rounded out. */
  yRange?: [number, number];
  format?: (v: number) => string;
}

/** A text box on the canvas, in CSS pixels. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A "nice" step (1, 2 or 5 × 10^k) giving about `count` ticks over span. */
export function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

export const defaultFormat = (v: number): string =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(2)).toString();

/** The tick labels' boxes, stored as JSON in canvas.dataset.ticks for the layout test. */
export function recordTicks(canvas: HTMLCanvasElement, boxes: Box[]): void {
  canvas.dataset.ticks = JSON.stringify(boxes.map((b) => [b.x, b.y, b.w, b.h].map((v) => Math.round(v * 10) / 10)));
}

/** Y ticks with their grid lines and x ticks; returns the tick labels' boxes. */
export function drawAxes(
  ctx: CanvasRenderingContext2D,
  plot: { left: number; top: number; width: number; height: number },
  y: { min: number; max: number; format: (v: number) => string },
  x: { ticks: { at: number; label: string }[] },
): Box[] {
  const boxes: Box[] = [];
  const py = (v: number) => plot.top + (1 - (v - y.min) / (y.max - y.min)) * plot.height;
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  // fewer y ticks on short charts, so labels keep their own line
  const yStep = niceStep(y.max - y.min, plot.height < 110 ? 2 : 4);
  for (let v = Math.ceil(y.min / yStep - 1e-9) * yStep; v <= y.max + yStep * 1e-9; v += yStep) {
    ctx.strokeStyle = GRID_COLOR;
    ctx.beginPath();
    ctx.moveTo(plot.left, Math.round(py(v)) + 0.5);
    ctx.lineTo(plot.left + plot.width, Math.round(py(v)) + 0.5);
    ctx.stroke();
    const label = y.format(Math.abs(v) < yStep * 1e-9 ? 0 : v);
    const w = ctx.measureText(label).width;
    ctx.fillStyle = AXIS_COLOR;
    ctx.fillText(label, plot.left - 6, py(v));
    boxes.push({ x: plot.left - 6 - w, y: py(v) - 7, w, h: 14 });
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of x.ticks) {
    const w = ctx.measureText(t.label).width;
    ctx.fillStyle = AXIS_COLOR;
    ctx.fillText(t.label, t.at, plot.top + plot.height + 6);
    boxes.push({ x: t.at - w / 2, y: plot.top + plot.height + 6, w, h: 14 });
  }
  ctx.strokeStyle = AXIS_COLOR;
  ctx.beginPath();
  ctx.moveTo(plot.left + 0.5, plot.top);
  ctx.lineTo(plot.left + 0.5, plot.top + plot.height + 0.5);
  ctx.lineTo(plot.left + plot.width, plot.top + plot.height + 0.5);
  ctx.stroke();
  return boxes;
}

/** X ticks over [0, xMax]: as many nice steps as fit, at least 56 px apart (labels up to 5 digits). */
export function xTicks(xMax: number, plotLeft: number, plotWidth: number): { at: number; label: string }[] {
  const step = niceStep(xMax, Math.max(1, Math.min(5, Math.floor(plotWidth / 56))));
  const ticks: { at: number; label: string }[] = [];
  for (let x = 0; x <= xMax + step * 1e-9; x += step)
    ticks.push({ at: plotLeft + (x / xMax) * plotWidth, label: String(Math.round(x)) });
  return ticks;
}

export function drawChart(canvas: HTMLCanvasElement, series: Series[], options: ChartOptions): void {
  const { ctx, width, height } = prepare(canvas);
  const format = options.format ?? defaultFormat;
  // right: room for half of the last x label ("20000")
  const pad = { left: 44, right: 20, top: 8, bottom: 24 };
  const plot = {
    left: pad.left,
    top: pad.top,
    width: width - pad.left - pad.right,
    height: height - pad.top - pad.bottom,
  };
  let [yMin, yMax] = options.yRange ?? [0, 0];
  if (!options.yRange) {
    for (const s of series)
      for (const [, v] of s.points)
        if (Number.isFinite(v)) {
          yMax = Math.max(yMax, v);
          yMin = Math.min(yMin, v);
        }
    if (yMax - yMin <= 0) yMax = yMin + 1;
    const step = niceStep(yMax - yMin, 4);
    yMax = Math.ceil((yMax + (yMax - yMin) * 0.02) / step) * step;
    yMin = Math.floor(yMin / step) * step;
  }
  const xMax = Math.max(1, options.xMax);
  const px = (x: number) => plot.left + (x / xMax) * plot.width;
  const py = (y: number) => plot.top + (1 - (Math.min(Math.max(y, yMin), yMax) - yMin) / (yMax - yMin)) * plot.height;
  const boxes = drawAxes(ctx, plot, { min: yMin, max: yMax, format }, { ticks: xTicks(xMax, plot.left, plot.width) });
  if (yMin < 0) {
    // the zero line, darker than the grid: a gap below it means validation beats training
    ctx.strokeStyle = AXIS_COLOR;
    ctx.beginPath();
    ctx.moveTo(plot.left, Math.round(py(0)) + 0.5);
    ctx.lineTo(plot.left + plot.width, Math.round(py(0)) + 0.5);
    ctx.stroke();
  }
  for (const s of series) {
    if (s.points.length === 0) continue;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.75;
    ctx.setLineDash(s.dashed ? DASH : []);
    ctx.beginPath();
    s.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(px(x), py(y)) : ctx.lineTo(px(x), py(y))));
    ctx.stroke();
  }
  ctx.setLineDash([]);
  recordTicks(canvas, boxes);
}
