// The training report (no dependencies, no I/O), as one standalone SVG or as an HTML page. First, for
// each regularized run whose unregularized twin was trained too, the two on the same axes: loss and
// accuracy (training solid, validation dashed) and the generalization gap. Then per run: data-loss and
// accuracy curves (train vs validation) over epochs and the decision boundary with the training points.
// The SVG scales to the window's width (viewBox); the HTML page reflows its panels on narrow screens.
import { el, escapeXml, px, text } from "./svg.js";
import { lineChart, type Series } from "./line-chart.js";
import { boundaryPanel, type DecisionBoundary } from "./boundary.js";
import { FONT, MUTED_TEXT, RUNS, SERIES } from "./theme.js";
import { gapPoints, series, trainingPoints } from "./comparison.js";

/** One epoch of history; the model's EpochLog has these fields (validation ones only on logged epochs). */
export interface HistoryPoint {
  epoch: number;
  dataLoss: number;
  acc: number;
  valLoss?: number;
  valAcc?: number;
}

/** The training data in inference mode (dropout off) on an epoch with validation. */
export interface TrainPoint {
  epoch: number;
  loss: number;
  acc: number;
}

export interface RunReport {
  name: string;
  /** One line describing the configuration, e.g. the layers and optimizer. */
  description: string;
  history: readonly HistoryPoint[];
  /** For the comparisons: training curves measured like the validation ones; without it, history's (dropout on). */
  trainCurve?: readonly TrainPoint[];
  boundary: DecisionBoundary;
  /** Final figures shown next to the run's name; trainLoss: data loss on the training data, dropout off. */
  final?: { trainAcc: number; valAcc: number; valLoss: number; wallS: number; trainLoss?: number };
}

/** Two runs of `runs` to draw on the same axes: one with regularization, one the same without. */
export interface Comparison {
  regularized: number;
  unregularized: number;
}

export interface ReportOptions {
  title?: string;
  /** A line under the title (e.g. machine and date); the builder itself adds no clock or environment facts. */
  subtitle?: string;
  comparisons?: readonly Comparison[];
}

/** A chart of a row, drawn at any position (the SVG's rows) or at the origin of its own <svg> (the HTML page). */
interface Panel {
  width: number;
  height: number;
  draw(x: number, y: number): string;
}

interface Row {
  kind: "comparison" | "run";
  name: string;
  figures: string;
  description: string;
  panels: Panel[];
}

const WIDTH = 1280;
const HEADER = 64;
const ROW_HEADER = 50;
const PANEL_H = 300;
const PANEL_W = [440, 440, 400];

function chartPanel(
  width: number,
  options: Omit<Parameters<typeof lineChart>[0], "x" | "y" | "width" | "height" | "xLabel">,
): Panel {
  return {
    width,
    height: PANEL_H,
    draw: (x, y) => lineChart({ ...options, x, y, width, height: PANEL_H, xLabel: "epoch" }),
  };
}

function runRow(run: RunReport): Row {
  const f = run.final;
  const train = (pick: (h: HistoryPoint) => number | undefined): Series => ({
    ...SERIES.train,
    points: series(run.history, pick),
  });
  const validation = (pick: (h: HistoryPoint) => number | undefined): Series => ({
    ...SERIES.validation,
    points: series(run.history, pick),
  });
  return {
    kind: "run",
    name: run.name,
    figures: f
      ? `train acc ${f.trainAcc.toFixed(3)} · val acc ${f.valAcc.toFixed(3)} · val loss ${f.valLoss.toFixed(3)} · ${f.wallS.toFixed(1)} s`
      : "",
    description: run.description,
    panels: [
      chartPanel(PANEL_W[0], {
        title: "Data loss (cross-entropy)",
        yLabel: "loss",
        series: [train((h) => h.dataLoss), validation((h) => h.valLoss)],
      }),
      chartPanel(PANEL_W[1], {
        title: "Accuracy",
        yLabel: "accuracy",
        series: [train((h) => h.acc), validation((h) => h.valAcc)],
        yDomain: [0, 1],
        legend: "bottom",
      }),
      {
        width: PANEL_W[2],
        height: PANEL_H,
        draw: (x, y) =>
          boundaryPanel({
            x,
            y,
            width: PANEL_W[2],
            height: PANEL_H,
            title: "Decision boundary (training points)",
            boundary: run.boundary,
          }),
      },
    ],
  };
}

function comparisonRow(reg: RunReport, plain: RunReport): Row {
  const runs = [
    { run: reg, ...RUNS.regularized },
    { run: plain, ...RUNS.unregularized },
  ];
  const both = (pick: "loss" | "acc") =>
    runs.flatMap(({ run, label, color }) => [
      { label: `${label}: training`, color, points: trainingPoints(run, pick) },
      {
        label: `${label}: validation`,
        color,
        dash: SERIES.validation.dash,
        points: series(run.history, (h) => (pick === "loss" ? h.valLoss : h.valAcc)),
      },
    ]);
  const finalGap = (r: RunReport) =>
    r.final?.trainLoss === undefined ? undefined : r.final.valLoss - r.final.trainLoss;
  const pair = (label: string, a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? [] : [`${label} ${a.toFixed(3)} vs ${b.toFixed(3)}`];
  return {
    kind: "comparison",
    name: `${reg.name} vs ${plain.name}`,
    figures: [
      ...pair("gap", finalGap(reg), finalGap(plain)),
      ...pair("val loss", reg.final?.valLoss, plain.final?.valLoss),
      ...pair("val acc", reg.final?.valAcc, plain.final?.valAcc),
    ].join(" · "),
    description: `Same axes: ${RUNS.regularized.label} = ${reg.name}, ${RUNS.unregularized.label} = ${plain.name}. Training curves with dropout off, as validation.`,
    panels: [
      chartPanel(PANEL_W[0], {
        title: "Data loss, with vs without regularization",
        yLabel: "loss",
        series: both("loss"),
      }),
      chartPanel(PANEL_W[1], {
        title: "Generalization gap: validation − training loss",
        yLabel: "gap",
        series: runs.map(({ run, label, color }) => ({ label, color, points: gapPoints(run) })),
      }),
      chartPanel(PANEL_W[2], {
        title: "Accuracy, with vs without regularization",
        yLabel: "accuracy",
        series: both("acc"),
        yDomain: [0, 1],
        legend: "bottom",
      }),
    ],
  };
}

function rows(runs: readonly RunReport[], options: ReportOptions): Row[] {
  return [
    ...(options.comparisons ?? []).map((c) => comparisonRow(runs[c.regularized], runs[c.unregularized])),
    ...runs.map(runRow),
  ];
}

const TITLE = "regwasm training report";
const SUBTITLE =
  "Train curves of each run: training mode (dropout on), per epoch. Validation: inference mode, on the logged epochs.";

/** Builds the whole report as one SVG, as wide as the window (up to 1280 px) at any width. */
export function buildReport(runs: readonly RunReport[], options: ReportOptions = {}): string {
  const all = rows(runs, options);
  const height = HEADER + all.length * (ROW_HEADER + PANEL_H) + 16;
  const drawn = all.map((row, i) => {
    const top = HEADER + i * (ROW_HEADER + PANEL_H);
    let x = 0;
    const panels = row.panels.map((p) => {
      const g = p.draw(x, top + ROW_HEADER);
      x += p.width;
      return g;
    });
    return el(
      "g",
      { class: row.kind, "data-run": row.name },
      el("line", { x1: 16, x2: WIDTH - 16, y1: px(top + 4), y2: px(top + 4), stroke: "#ccc" }),
      text(row.name, { x: 20, y: px(top + 24), "font-size": 16, "font-weight": 700 }),
      text(row.figures, { x: WIDTH - 20, y: px(top + 24), "text-anchor": "end", "font-size": 13 }),
      text(row.description, { x: 20, y: px(top + 42), fill: MUTED_TEXT }),
      ...panels,
    );
  });
  return `${el(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      // scales with the window: as wide as it is up to the natural width, the height following the viewBox
      width: "100%",
      viewBox: `0 0 ${WIDTH} ${height}`,
      style: `max-width:${WIDTH}px;height:auto`,
      "font-family": FONT,
      "font-size": 12,
    },
    el("rect", { width: WIDTH, height, fill: "#fff" }),
    text(options.title ?? TITLE, { x: 20, y: 30, "font-size": 20, "font-weight": 700 }),
    text(options.subtitle ?? SUBTITLE, { x: 20, y: 50, fill: MUTED_TEXT }),
    ...drawn,
  )}\n`;
}

/** The same report as an HTML page: each chart its own scalable SVG, side by side where they fit, stacked on a phone. */
export function buildHtmlReport(runs: readonly RunReport[], options: ReportOptions = {}): string {
  const sections = rows(runs, options).map((row) => {
    const panels = row.panels.map((p) =>
      el(
        "svg",
        {
          xmlns: "http://www.w3.org/2000/svg",
          viewBox: `0 0 ${p.width} ${p.height}`,
          style: `max-width:${p.width}px`,
          "font-family": FONT,
          "font-size": 12,
        },
        p.draw(0, 0),
      ),
    );
    return `<section class="${row.kind}"><h2>${escapeXml(row.name)}</h2><p class="figures">${escapeXml(row.figures)}</p><p class="description">${escapeXml(row.description)}</p><div class="panels">${panels.join("")}</div></section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(options.title ?? TITLE)}</title>
<style>
body { font-family: ${FONT}; margin: 0 auto; max-width: ${WIDTH + 40}px; padding: 12px 16px; color: #1d2230; }
h1 { font-size: 20px; margin: 4px 0; }
h2 { font-size: 16px; margin: 0; }
p { margin: 2px 0; color: ${MUTED_TEXT}; font-size: 13px; }
p.figures { color: #1d2230; }
section { border-top: 1px solid #ccc; padding: 10px 0 6px; }
.panels { display: flex; flex-wrap: wrap; gap: 0; }
.panels svg { flex: 1 1 340px; width: 100%; height: auto; }
</style>
</head>
<body>
<h1>${escapeXml(options.title ?? TITLE)}</h1>
<p>${escapeXml(options.subtitle ?? SUBTITLE)}</p>
${sections.join("\n")}
</body>
</html>
`;
}
