// The training report as one standalone SVG string (no dependencies, no I/O): per run, data-loss and
// accuracy curves (train vs validation) over epochs and the decision boundary with the training points.
import { el, px, text } from "./svg.js";
import { lineChart, type Point } from "./line-chart.js";
import { boundaryPanel, type DecisionBoundary } from "./boundary.js";
import { FONT, MUTED_TEXT, SERIES } from "./theme.js";

/** One epoch of history; the model's EpochLog has these fields (validation ones only on logged epochs). */
export interface HistoryPoint {
  epoch: number;
  dataLoss: number;
  acc: number;
  valLoss?: number;
  valAcc?: number;
}

export interface RunReport {
  name: string;
  /** One line describing the configuration, e.g. the layers and optimizer. */
  description: string;
  history: readonly HistoryPoint[];
  boundary: DecisionBoundary;
  /** Final figures shown next to the run's name. */
  final?: { trainAcc: number; valAcc: number; valLoss: number; wallS: number };
}

export interface ReportOptions {
  title?: string;
  /** A line under the title (e.g. machine and date); the builder itself adds no clock or environment facts. */
  subtitle?: string;
}

const WIDTH = 1280;
const HEADER = 64;
const RUN_HEADER = 50;
const PANEL_H = 300;
const PANELS = { loss: { x: 0, w: 440 }, acc: { x: 440, w: 440 }, boundary: { x: 880, w: 400 } };

function series(history: readonly HistoryPoint[], pick: (h: HistoryPoint) => number | undefined): Point[] {
  const points: Point[] = [];
  for (const h of history) {
    const v = pick(h);
    if (v !== undefined && Number.isFinite(v)) points.push({ x: h.epoch, y: v });
  }
  return points;
}

function runRow(run: RunReport, top: number): string {
  const f = run.final;
  const figures = f
    ? `train acc ${f.trainAcc.toFixed(3)} · val acc ${f.valAcc.toFixed(3)} · val loss ${f.valLoss.toFixed(3)} · ${f.wallS.toFixed(1)} s`
    : "";
  const panelTop = top + RUN_HEADER;
  const train = (pick: (h: HistoryPoint) => number | undefined) => ({
    ...SERIES.train,
    points: series(run.history, pick),
  });
  const validation = (pick: (h: HistoryPoint) => number | undefined) => ({
    ...SERIES.validation,
    points: series(run.history, pick),
  });
  return el(
    "g",
    { class: "run", "data-run": run.name },
    el("line", { x1: 16, x2: WIDTH - 16, y1: px(top + 4), y2: px(top + 4), stroke: "#ccc" }),
    text(run.name, { x: 20, y: px(top + 24), "font-size": 16, "font-weight": 700 }),
    text(figures, { x: WIDTH - 20, y: px(top + 24), "text-anchor": "end", "font-size": 13 }),
    text(run.description, { x: 20, y: px(top + 42), fill: MUTED_TEXT }),
    lineChart({
      x: PANELS.loss.x,
      y: panelTop,
      width: PANELS.loss.w,
      height: PANEL_H,
      title: "Data loss (cross-entropy)",
      xLabel: "epoch",
      yLabel: "loss",
      series: [train((h) => h.dataLoss), validation((h) => h.valLoss)],
    }),
    lineChart({
      x: PANELS.acc.x,
      y: panelTop,
      width: PANELS.acc.w,
      height: PANEL_H,
      title: "Accuracy",
      xLabel: "epoch",
      yLabel: "accuracy",
      series: [train((h) => h.acc), validation((h) => h.valAcc)],
      yDomain: [0, 1],
      legend: "bottom",
    }),
    boundaryPanel({
      x: PANELS.boundary.x,
      y: panelTop,
      width: PANELS.boundary.w,
      height: PANEL_H,
      title: "Decision boundary (training points)",
      boundary: run.boundary,
    }),
  );
}

/** Builds the whole report. Train curves are measured in training mode (dropout on), validation in inference mode. */
export function buildReport(runs: readonly RunReport[], options: ReportOptions = {}): string {
  const height = HEADER + runs.length * (RUN_HEADER + PANEL_H) + 16;
  const rows = runs.map((run, i) => runRow(run, HEADER + i * (RUN_HEADER + PANEL_H)));
  return `${el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      width: WIDTH,
      height,
      viewBox: `0 0 ${WIDTH} ${height}`,
      "font-family": FONT,
      "font-size": 12,
    },
    el("rect", { width: WIDTH, height, fill: "#fff" }),
    text(options.title ?? "regwasm training report", { x: 20, y: 30, "font-size": 20, "font-weight": 700 }),
    text(
      options.subtitle ??
        "Train curves: training mode (dropout on), per epoch. Validation: inference mode, on the logged epochs.",
      { x: 20, y: 50, fill: MUTED_TEXT },
    ),
    ...rows,
  )}\n`;
}
