// A small line chart on a canvas: epochs on x (fixed to the run's length, so progress is visible),
// one or more series on y, light grid, tick labels and a legend: on the title's line when both fit,
// otherwise on a line of its own under it (narrow panels, compare mode).
import { prepare } from "./canvas.js";
import { AXIS_COLOR, FONT, GRID_COLOR } from "./theme.js";

export interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  /** [epoch, value] pairs in epoch order. */
  points: [number, number][];
}

export interface ChartOptions {
  title: string;
  xMax: number;
  /** Fixed y range (accuracy: [0, 1]); default: 0 to the largest value, rounded up. */
  yRange?: [number, number];
  /** Extend the default range to at least this (compare mode: the same scale in both panels). */
  yAtLeast?: number;
  format?: (v: number) => string;
}

/** A "nice" step (1, 2 or 5 × 10^k) giving about `count` ticks over span. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

/** A text box on the canvas, in CSS pixels. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where the title and the legend went; stored as JSON in canvas.dataset.layout for tests. */
export interface ChartLayout {
  width: number;
  title: Box;
  legend: Box;
}

/** Legend: a 16 px line sample, 6 px, the label; 12 px between entries. */
const SAMPLE = 16,
  SAMPLE_GAP = 6,
  ENTRY_GAP = 12;
/** Text line height and the baseline of the first line. */
const LINE = 16,
  FIRST_BASELINE = 16;

export function drawChart(canvas: HTMLCanvasElement, series: Series[], options: ChartOptions): void {
  const { ctx, width, height } = prepare(canvas);
  const format =
    options.format ?? ((v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(2)).toString()));

  // title and legend first: a legend that does not fit beside the title takes a second line
  ctx.font = `600 ${FONT}`;
  const titleW = ctx.measureText(options.title).width;
  ctx.font = FONT;
  const labelsOf = (withValues: boolean) =>
    series.map((s) => {
      const last = s.points.at(-1);
      return withValues && last ? `${s.label} ${format(last[1])}` : s.label;
    });
  const widthOf = (labels: string[]) =>
    labels.reduce((w, l) => w + SAMPLE + SAMPLE_GAP + ctx.measureText(l).width, 0) + ENTRY_GAP * (labels.length - 1);
  const left = 46,
    right = 20;
  let labels = labelsOf(true);
  // too wide even for a line of its own: names only
  if (widthOf(labels) > width - right) labels = labelsOf(false);
  const legendW = widthOf(labels);
  const besideTitle = left + titleW + ENTRY_GAP * 2 + legendW <= width - right;
  const legendBaseline = besideTitle ? FIRST_BASELINE : FIRST_BASELINE + LINE;
  const pad = { left, right, top: legendBaseline + 10, bottom: 24 };
  const plotW = width - pad.left - pad.right,
    plotH = height - pad.top - pad.bottom;
  let [yMin, yMax] = options.yRange ?? [0, options.yAtLeast ?? 0];
  if (!options.yRange) {
    for (const s of series) for (const [, v] of s.points) if (Number.isFinite(v)) yMax = Math.max(yMax, v);
    if (yMax <= 0) yMax = 1;
    const step = niceStep(yMax, 4);
    yMax = Math.ceil((yMax * 1.02) / step) * step;
  }
  const xMax = Math.max(1, options.xMax);
  const px = (x: number) => pad.left + (x / xMax) * plotW;
  const py = (y: number) => pad.top + (1 - (Math.min(Math.max(y, yMin), yMax) - yMin) / (yMax - yMin)) * plotH;

  ctx.font = FONT;
  ctx.lineWidth = 1;
  // grid and y ticks
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  const yStep = niceStep(yMax - yMin, 4);
  for (let y = yMin; y <= yMax + yStep * 1e-9; y += yStep) {
    ctx.strokeStyle = GRID_COLOR;
    ctx.beginPath();
    ctx.moveTo(pad.left, py(y) + 0.5);
    ctx.lineTo(pad.left + plotW, py(y) + 0.5);
    ctx.stroke();
    ctx.fillStyle = AXIS_COLOR;
    ctx.fillText(format(y), pad.left - 6, py(y));
  }
  // x ticks
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const xStep = niceStep(xMax, 4);
  for (let x = 0; x <= xMax + xStep * 1e-9; x += xStep) {
    ctx.fillStyle = AXIS_COLOR;
    ctx.fillText(String(x), px(x), pad.top + plotH + 6);
  }
  ctx.strokeStyle = AXIS_COLOR;
  ctx.beginPath();
  ctx.moveTo(pad.left + 0.5, pad.top);
  ctx.lineTo(pad.left + 0.5, pad.top + plotH + 0.5);
  ctx.lineTo(pad.left + plotW, pad.top + plotH + 0.5);
  ctx.stroke();

  // series
  for (const s of series) {
    if (s.points.length === 0) continue;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.75;
    ctx.setLineDash(s.dashed ? [5, 3] : []);
    ctx.beginPath();
    s.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(px(x), py(y)) : ctx.lineTo(px(x), py(y))));
    ctx.stroke();
  }
  ctx.setLineDash([]);

  // title, then the legend right-aligned, entries drawn from the right
  ctx.textBaseline = "alphabetic";
  ctx.textAlign = "left";
  ctx.fillStyle = "#1d2230";
  ctx.font = `600 ${FONT}`;
  ctx.fillText(options.title, pad.left, FIRST_BASELINE);
  ctx.font = FONT;
  ctx.textAlign = "right";
  let lx = width - pad.right;
  for (let i = series.length - 1; i >= 0; i--) {
    const s = series[i];
    ctx.fillStyle = AXIS_COLOR;
    ctx.fillText(labels[i], lx, legendBaseline);
    lx -= ctx.measureText(labels[i]).width + SAMPLE_GAP;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dashed ? [4, 2] : []);
    ctx.beginPath();
    ctx.moveTo(lx - SAMPLE, legendBaseline - 4);
    ctx.lineTo(lx, legendBaseline - 4);
    ctx.stroke();
    ctx.setLineDash([]);
    lx -= SAMPLE + ENTRY_GAP;
  }
  const layout: ChartLayout = {
    width,
    title: { x: pad.left, y: FIRST_BASELINE - 12, w: titleW, h: LINE },
    legend: { x: width - pad.right - legendW, y: legendBaseline - 12, w: legendW, h: LINE },
  };
  canvas.dataset.layout = JSON.stringify(layout);
}
