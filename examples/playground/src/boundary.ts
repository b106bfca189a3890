// The decision boundary: each grid cell colored by the predicted class, paler where the model is
// unsure, with the training points (filled) and validation points (hollow) on top.
import { prepare } from "./canvas.js";
import { classColor, rgb } from "./theme.js";
import type { Extent, Points } from "./protocol.js";

export interface BoundaryView {
  extent: Extent;
  gridSize: number;
  classes: number;
  train: Points;
  validation: Points;
  /** gridSize² × classes, row 0 at the top; null before the first progress message. */
  probabilities: Float32Array | null;
}

const image = document.createElement("canvas");

function drawCells(ctx: CanvasRenderingContext2D, v: BoundaryView, size: number): void {
  if (!v.probabilities) return;
  const n = v.gridSize;
  image.width = n;
  image.height = n;
  const ictx = image.getContext("2d")!;
  const pixels = ictx.createImageData(n, n);
  const colors = Array.from({ length: v.classes }, (_, c) => rgb(classColor(c)));
  for (let cell = 0; cell < n * n; cell++) {
    let best = 0;
    for (let c = 1; c < v.classes; c++)
      if (v.probabilities[cell * v.classes + c] > v.probabilities[cell * v.classes + best]) best = c;
    // blend the class color into white: 0.18 where unsure (p = 1/classes) up to 0.5 where certain
    const confidence = (v.probabilities[cell * v.classes + best] - 1 / v.classes) / (1 - 1 / v.classes);
    const alpha = 0.18 + 0.32 * Math.max(0, confidence);
    const [r, g, b] = colors[best];
    pixels.data.set([255 + (r - 255) * alpha, 255 + (g - 255) * alpha, 255 + (b - 255) * alpha, 255], cell * 4);
  }
  ictx.putImageData(pixels, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(image, 0, 0, size, size);
}

function drawPoints(
  ctx: CanvasRenderingContext2D,
  points: Points,
  v: BoundaryView,
  size: number,
  hollow: boolean,
): void {
  const scale = size / (v.extent.max - v.extent.min);
  for (let i = 0; i < points.y.length; i++) {
    const x = (points.x[2 * i] - v.extent.min) * scale;
    const y = (v.extent.max - points.x[2 * i + 1]) * scale;
    ctx.beginPath();
    ctx.arc(x, y, hollow ? 2.6 : 2.4, 0, 2 * Math.PI);
    if (hollow) {
      ctx.strokeStyle = classColor(points.y[i]);
      ctx.lineWidth = 1.2;
      ctx.stroke();
    } else {
      ctx.fillStyle = classColor(points.y[i]);
      ctx.fill();
      ctx.strokeStyle = "rgba(255,255,255,0.85)";
      ctx.lineWidth = 0.6;
      ctx.stroke();
    }
  }
}

export function drawBoundary(canvas: HTMLCanvasElement, v: BoundaryView, showValidation: boolean): void {
  const { ctx, width, height } = prepare(canvas);
  const size = Math.min(width, height);
  ctx.fillStyle = "#f7f8fa";
  ctx.fillRect(0, 0, size, size);
  drawCells(ctx, v, size);
  drawPoints(ctx, v.train, v, size, false);
  if (showValidation) drawPoints(ctx, v.validation, v, size, true);
}
