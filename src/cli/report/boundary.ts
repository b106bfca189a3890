// The decision-boundary panel: the model's predicted class on a grid over the data's bounding box,
// drawn as colored cells, with the training points on top.
import { el, px, text } from "./svg.js";
import { linearScale, niceTicks, tickLabel } from "./scale.js";
import { AXIS_COLOR, MUTED_TEXT, classColor } from "./theme.js";

export interface Bounds {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export interface Grid extends Bounds {
  cols: number;
  rows: number;
  /** Cell centers, rows × cols × 2 row-major, row 0 at yMin: the inputs to predict on. */
  centers: Float32Array;
}

export interface DecisionBoundary extends Bounds {
  cols: number;
  rows: number;
  /** Predicted class per grid cell, in the order of Grid.centers. */
  cellClasses: ArrayLike<number>;
  /** Training points, n × 2 row-major, and their labels. */
  points: ArrayLike<number>;
  labels: ArrayLike<number>;
  classes: number;
}

/** A cols × rows grid over the bounding box of `points` (n × 2), widened by `margin` of its size on each side. */
export function gridFor(points: ArrayLike<number>, cols = 120, rows = 120, margin = 0.05): Grid {
  let xMin = Infinity,
    xMax = -Infinity,
    yMin = Infinity,
    yMax = -Infinity;
  for (let i = 0; i + 1 < points.length; i += 2) {
    xMin = Math.min(xMin, points[i]);
    xMax = Math.max(xMax, points[i]);
    yMin = Math.min(yMin, points[i + 1]);
    yMax = Math.max(yMax, points[i + 1]);
  }
  if (!(xMin <= xMax)) [xMin, xMax, yMin, yMax] = [-1, 1, -1, 1];
  const padX = (xMax - xMin || 1) * margin,
    padY = (yMax - yMin || 1) * margin;
  xMin -= padX;
  xMax += padX;
  yMin -= padY;
  yMax += padY;
  const centers = new Float32Array(rows * cols * 2);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      centers[(r * cols + c) * 2] = xMin + ((c + 0.5) / cols) * (xMax - xMin);
      centers[(r * cols + c) * 2 + 1] = yMin + ((r + 0.5) / rows) * (yMax - yMin);
    }
  }
  return { xMin, xMax, yMin, yMax, cols, rows, centers };
}

export interface BoundaryPanelOptions {
  x: number;
  y: number;
  /** Outer size of the panel; the plot keeps the data's aspect ratio inside it. */
  width: number;
  height: number;
  title: string;
  boundary: DecisionBoundary;
}

// bottom: the tick labels and, under them, the class legend
const MARGIN = { top: 26, right: 10, bottom: 40, left: 40 };

/** Builds the panel as an SVG <g> string. */
export function boundaryPanel(o: BoundaryPanelOptions): string {
  const b = o.boundary;
  const availW = o.width - MARGIN.left - MARGIN.right,
    availH = o.height - MARGIN.top - MARGIN.bottom;
  const aspect = (b.xMax - b.xMin) / (b.yMax - b.yMin || 1);
  const plotW = Math.min(availW, availH * aspect),
    plotH = plotW / aspect;
  const left = o.x + MARGIN.left + (availW - plotW) / 2,
    top = o.y + MARGIN.top + (availH - plotH) / 2;
  const sx = linearScale([b.xMin, b.xMax], [left, left + plotW]);
  const sy = linearScale([b.yMin, b.yMax], [top + plotH, top]);
  const cellW = plotW / b.cols,
    cellH = plotH / b.rows;
  const parts: string[] = [];

  // Cells: runs of equal class along each row merged into one rectangle, one path per class.
  const cellPaths: string[][] = Array.from({ length: b.classes }, () => []);
  for (let r = 0; r < b.rows; r++) {
    let c = 0;
    while (c < b.cols) {
      const k = b.cellClasses[r * b.cols + c];
      let end = c + 1;
      while (end < b.cols && b.cellClasses[r * b.cols + end] === k) end++;
      if (k >= 0 && k < b.classes) {
        const x0 = left + c * cellW,
          y0 = top + plotH - (r + 1) * cellH;
        cellPaths[k].push(`M${px(x0)} ${px(y0)}h${px((end - c) * cellW)}v${px(cellH)}h${px(-(end - c) * cellW)}z`);
      }
      c = end;
    }
  }
  cellPaths.forEach((d, k) => {
    if (d.length) parts.push(el("path", { class: "cells", d: d.join(""), fill: classColor(k), "fill-opacity": 0.28 }));
  });

  // Points: zero-length subpaths with round caps draw as dots; a wider white pass underneath outlines them.
  const dots: string[][] = Array.from({ length: b.classes }, () => []);
  for (let i = 0; i < b.labels.length; i++) {
    const k = b.labels[i];
    if (k >= 0 && k < b.classes) dots[k].push(`M${px(sx(b.points[2 * i]))} ${px(sy(b.points[2 * i + 1]))}h0`);
  }
  const allDots = dots.map((d) => d.join(""));
  parts.push(
    el("path", {
      class: "points-outline",
      d: allDots.join(""),
      stroke: "#fff",
      "stroke-width": 4.2,
      "stroke-linecap": "round",
      fill: "none",
    }),
  );
  allDots.forEach((d, k) => {
    if (d)
      parts.push(
        el("path", {
          class: "points",
          d,
          stroke: classColor(k),
          "stroke-width": 3,
          "stroke-linecap": "round",
          fill: "none",
        }),
      );
  });

  // Frame, ticks, labels.
  parts.push(
    el("rect", { x: px(left), y: px(top), width: px(plotW), height: px(plotH), fill: "none", stroke: AXIS_COLOR }),
  );
  for (const t of niceTicks(b.xMin, b.xMax, 4)) {
    const x = px(sx(t));
    parts.push(el("line", { x1: x, x2: x, y1: px(top + plotH), y2: px(top + plotH + 4), stroke: AXIS_COLOR }));
    parts.push(text(tickLabel(t), { x, y: px(top + plotH + 16), "text-anchor": "middle", fill: MUTED_TEXT }));
  }
  for (const t of niceTicks(b.yMin, b.yMax, 4)) {
    const y = px(sy(t));
    parts.push(el("line", { x1: px(left - 4), x2: px(left), y1: y, y2: y, stroke: AXIS_COLOR }));
    parts.push(
      text(tickLabel(t), { x: px(left - 6), y, "text-anchor": "end", "dominant-baseline": "middle", fill: MUTED_TEXT }),
    );
  }
  parts.push(text(o.title, { x: px(o.x + o.width / 2), y: px(o.y + 15), "text-anchor": "middle", "font-weight": 600 }));
  // Class legend under the plot.
  const legendY = top + plotH + 30;
  for (let k = 0; k < b.classes; k++) {
    const lx = left + k * 64;
    parts.push(el("rect", { x: px(lx), y: px(legendY - 5), width: 10, height: 10, fill: classColor(k) }));
    parts.push(text(`class ${k}`, { x: px(lx + 14), y: px(legendY), "dominant-baseline": "middle", fill: AXIS_COLOR }));
  }
  return el("g", { class: "decision-boundary" }, ...parts);
}
