// One training run on the page: its decision boundary, live loss / accuracy / regularization-loss
// charts and the final figures. Fed by the worker's messages; redraws at most once per frame.
import type { EpochLog } from "regwasm";
import type { FinalMetrics, FromWorker, TrainConfig } from "./protocol.js";
import { drawBoundary, type BoundaryView } from "./boundary.js";
import { drawChart, type Series } from "./chart.js";
import { REG_COLOR, TRAIN_COLOR, VALIDATION_COLOR } from "./theme.js";

const fixed = (digits: number) => (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);
const METRICS: { key: keyof FinalMetrics; label: string; format: (v: number | undefined) => string; main?: boolean }[] =
  [
    { key: "valAcc", label: "validation accuracy", format: fixed(3), main: true },
    { key: "trainAcc", label: "train accuracy", format: fixed(3) },
    { key: "valDataLoss", label: "validation loss", format: fixed(3) },
    { key: "trainDataLoss", label: "train data loss", format: fixed(3) },
    { key: "regLoss", label: "reg. loss", format: fixed(4) },
    { key: "seconds", label: "wall time (s)", format: fixed(1) },
  ];

/** "L2 5e-4 · dropout 0.1" for the panel title. */
export function describeRegularization(c: TrainConfig): string {
  const parts = [c.l1 ? `L1 ${c.l1}` : "", c.l2 ? `L2 ${c.l2}` : "", c.dropout ? `dropout ${c.dropout}` : ""].filter(
    Boolean,
  );
  return parts.length ? parts.join(" · ") : "no regularization";
}

export class RunPanel {
  readonly root: HTMLElement;
  private readonly status: HTMLElement;
  private readonly boundaryCanvas: HTMLCanvasElement;
  private readonly charts: { loss: HTMLCanvasElement; acc: HTMLCanvasElement; reg: HTMLCanvasElement };
  private view: BoundaryView | null = null;
  private readonly logs: EpochLog[] = [];
  private frame = 0;
  /** Largest data loss (train or validation) and regularization loss so far, for shared scales. */
  private maxLoss = 0;
  private maxReg = 0;
  /** Panels whose charts share y scales with this one (compare mode), including this one. */
  peers: RunPanel[] = [this];
  showValidation = true;

  constructor(
    readonly title: string,
    readonly config: TrainConfig,
  ) {
    this.root = document.createElement("section");
    this.root.className = "panel";
    this.root.dataset.state = "running";
    this.root.innerHTML = `
      <header><h2></h2><span class="status">starting…</span></header>
      <canvas class="boundary" aria-label="decision boundary"></canvas>
      <dl class="metrics">${METRICS.map((m) => `<div class="${m.main ? "main" : ""}"><dt>${m.label}</dt><dd data-metric="${m.key}">–</dd></div>`).join("")}</dl>
      <div class="charts">
        <canvas class="chart" data-chart="loss"></canvas>
        <canvas class="chart" data-chart="acc"></canvas>
        <canvas class="chart small" data-chart="reg"></canvas>
      </div>`;
    this.root.querySelector("h2")!.textContent = title;
    this.status = this.root.querySelector(".status")!;
    this.boundaryCanvas = this.root.querySelector(".boundary")!;
    const chart = (name: string) => this.root.querySelector<HTMLCanvasElement>(`[data-chart="${name}"]`)!;
    this.charts = { loss: chart("loss"), acc: chart("acc"), reg: chart("reg") };
  }

  handle(message: FromWorker): void {
    switch (message.type) {
      case "start":
        this.view = { ...message, classes: this.config.classes, probabilities: null };
        this.root.dataset.build = message.simd ? "simd" : "scalar";
        break;
      case "progress":
        this.logs.push(...message.logs);
        for (const l of message.logs) {
          this.maxLoss = Math.max(this.maxLoss, l.dataLoss, l.valLoss ?? 0);
          this.maxReg = Math.max(this.maxReg, l.regLoss);
        }
        if (this.view) this.view.probabilities = message.probabilities;
        this.status.textContent = `epoch ${this.logs.length} / ${this.config.epochs}`;
        for (const peer of this.peers) if (peer !== this) peer.scheduleDraw();
        break;
      case "done":
        this.finish(message.metrics);
        break;
      case "error":
        this.root.dataset.state = "error";
        this.status.textContent = `error: ${message.message}`;
        break;
    }
    this.scheduleDraw();
  }

  private finish(metrics: FinalMetrics): void {
    for (const m of METRICS) {
      const dd = this.root.querySelector<HTMLElement>(`[data-metric="${m.key}"]`)!;
      dd.textContent = m.format(metrics[m.key] as number);
      dd.dataset.value = String(metrics[m.key]);
    }
    this.root.dataset.state = "done";
    this.status.textContent = `${metrics.stopped ? "stopped" : "finished"} after ${metrics.epochs} epochs`;
  }

  scheduleDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw(): void {
    if (this.view) drawBoundary(this.boundaryCanvas, this.view, this.showValidation);
    const train = (pick: (l: EpochLog) => number) => this.logs.map((l) => [l.epoch, pick(l)] as [number, number]);
    const val = (pick: (l: EpochLog) => number | undefined) =>
      this.logs.filter((l) => pick(l) !== undefined).map((l) => [l.epoch, pick(l)!] as [number, number]);
    const xMax = this.config.epochs;
    const lossSeries: Series[] = [
      { label: "train", color: TRAIN_COLOR, points: thin(train((l) => l.dataLoss)) },
      { label: "validation", color: VALIDATION_COLOR, dashed: true, points: val((l) => l.valLoss) },
    ];
    const yAtLeast = (pick: (p: RunPanel) => number) => Math.max(...this.peers.map(pick));
    drawChart(this.charts.loss, lossSeries, {
      title: "data loss (cross-entropy)",
      xMax,
      yAtLeast: yAtLeast((p) => p.maxLoss),
    });
    const accSeries: Series[] = [
      { label: "train", color: TRAIN_COLOR, points: thin(train((l) => l.acc)) },
      { label: "validation", color: VALIDATION_COLOR, dashed: true, points: val((l) => l.valAcc) },
    ];
    drawChart(this.charts.acc, accSeries, { title: "accuracy", xMax, yRange: [0, 1], format: (v) => v.toFixed(2) });
    drawChart(this.charts.reg, [{ label: "reg", color: REG_COLOR, points: thin(train((l) => l.regLoss)) }], {
      title: "regularization loss",
      xMax,
      yAtLeast: yAtLeast((p) => p.maxReg),
      format: (v) => (v === 0 ? "0" : v < 0.01 ? v.toExponential(0) : Number(v.toPrecision(2)).toString()),
    });
  }
}

/** At most ~800 points per curve (every k-th epoch, always keeping the last). */
function thin(points: [number, number][]): [number, number][] {
  const k = Math.ceil(points.length / 800);
  if (k <= 1) return points;
  return points.filter((_, i) => i % k === 0 || i === points.length - 1);
}
