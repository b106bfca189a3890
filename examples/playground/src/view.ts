// The results of one Train press: the regularized run and its unregularized twin on the same charts,
// one chart per question (does validation follow training? how large is the gap? what happened to the
// weights? how much of the loss is the penalty?), the two decision boundaries side by side at the same
// scale, a table of final figures and, for a preset, whether its claims held. Redraws at most once per frame.
import { drawBoundary, type BoundaryView } from "./boundary.js";
import { drawChart, type Series } from "./chart.js";
import { drawHistogram, zeroFraction } from "./histogram.js";
import { claimSentence, type Preset } from "./presets.js";
import type { FinalMetrics, FromWorker, Snapshot, TrainConfig } from "./protocol.js";
import { RUN_COLORS } from "./theme.js";

/** "L2 5e-4 · dropout 0.1 · input noise σ 0.1", or "no regularization". */
export function describeRegularization(c: TrainConfig): string {
  const parts = [
    c.l1 ? `L1 ${c.l1}${c.l1Method === "proximal" ? " (proximal)" : ""}` : "",
    c.l2 ? `L2 ${c.l2}` : "",
    c.dropout ? `dropout ${c.dropout}` : "",
    c.inputNoise ? `input noise σ ${c.inputNoise}` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : "no regularization";
}

export interface RunState {
  /** "with L2 0.01" / "without". */
  label: string;
  config: TrainConfig;
  color: string;
  snapshots: Snapshot[];
  weights: Float32Array | null;
  board: BoundaryView | null;
  metrics: FinalMetrics | null;
  error: string | null;
}

const fixed = (digits: number) => (v: number) => (Number.isFinite(v) ? v.toFixed(digits) : "–");
const percent = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.01 ? 1 : 0)}%`;
/** The summary table's rows, the question first. */
const FIGURES: { key: keyof FinalMetrics; label: string; format: (v: number) => string }[] = [
  { key: "gap", label: "gap (validation − training loss)", format: fixed(3) },
  { key: "valDataLoss", label: "validation loss", format: fixed(3) },
  { key: "trainDataLoss", label: "training loss", format: fixed(3) },
  { key: "valAcc", label: "validation accuracy", format: fixed(3) },
  { key: "trainAcc", label: "training accuracy", format: fixed(3) },
  { key: "zeros", label: "hidden weights exactly 0", format: percent },
  { key: "regLoss", label: "regularization loss", format: fixed(4) },
  { key: "seconds", label: "wall time (s)", format: fixed(1) },
];

/** The charts: name, title, and the accessible description of the canvas. */
const CHARTS = [
  ["loss", "Loss over epochs", "training and validation loss of each run"],
  ["gap", "Generalization gap: validation − training loss", "the gap of each run over epochs"],
  ["acc", "Accuracy over epochs", "training and validation accuracy of each run"],
  [
    "weights",
    "Hidden-layer weights: histogram of |w| (log scale)",
    "share of the hidden layer's weights per magnitude bin",
  ],
  ["share", "Regularization loss, as a share of the total loss", "the penalty's share of the training loss"],
] as const;
type ChartName = (typeof CHARTS)[number][0];

function legendItem(color: string, dashed: boolean, label: string): string {
  return `<li><span class="swatch${dashed ? " dashed" : ""}" style="--color:${color}"></span>${label}</li>`;
}

export class Comparison {
  readonly root: HTMLElement;
  readonly runs: RunState[];
  private readonly status: HTMLElement;
  private readonly canvases = new Map<ChartName, HTMLCanvasElement>();
  private readonly boards: HTMLCanvasElement[] = [];
  private frame = 0;
  showValidation = true;

  constructor(
    configs: TrainConfig[],
    private readonly preset: Preset | null,
  ) {
    this.runs = configs.map((config, i) => ({
      label:
        configs.length === 1
          ? describeRegularization(config)
          : i === 0
            ? `with ${describeRegularization(config)}`
            : "without",
      config,
      color: RUN_COLORS[i],
      snapshots: [],
      weights: null,
      board: null,
      metrics: null,
      error: null,
    }));
    const runs = this.runs;
    const lineLegend = runs
      .flatMap((r) => [
        legendItem(r.color, false, `${r.label}: training`),
        legendItem(r.color, true, `${r.label}: validation`),
      ])
      .join("");
    const runLegend = runs.map((r) => legendItem(r.color, false, r.label)).join("");
    const legends: Record<ChartName, string> = {
      loss: lineLegend,
      gap: runLegend,
      acc: lineLegend,
      weights: runLegend,
      share: runs
        .filter((r) => hasRegularization(r.config))
        .map((r) => legendItem(r.color, false, r.label))
        .join(""),
    };
    this.root = document.createElement("div");
    this.root.className = "comparison";
    this.root.dataset.state = "running";
    this.root.innerHTML = `
      <section class="summary" aria-labelledby="summary-title">
        <header><h2 id="summary-title"></h2><p class="status" role="status">starting…</p></header>
        <table class="figures">
          <thead><tr><th scope="col">after training</th>${runs.map((r, i) => `<th scope="col" data-run="${i}"><span class="swatch" style="--color:${r.color}"></span>${r.label}</th>`).join("")}</tr></thead>
          <tbody>${FIGURES.map((f) => `<tr data-figure="${f.key}"><th scope="row">${f.label}</th>${runs.map((_, i) => `<td data-run="${i}" data-metric="${f.key}">–</td>`).join("")}</tr>`).join("")}</tbody>
        </table>
        <ul class="claims"></ul>
      </section>
      <section class="boards" aria-label="decision boundaries" style="--runs:${runs.length}">
        ${runs.map((r, i) => `<figure><figcaption><span class="swatch" style="--color:${r.color}"></span>${r.label}</figcaption><canvas class="boundary" data-run="${i}" role="img" aria-label="decision boundary, ${r.label}"></canvas></figure>`).join("")}
      </section>
      <section class="charts" aria-label="charts">
        ${CHARTS.map(([name, title, description]) => `<figure data-chart="${name}"><figcaption><h3>${title}</h3><ul class="legend">${legends[name]}</ul>${name === "weights" ? `<p class="note" data-note="zeros"></p>` : ""}</figcaption><canvas class="chart" role="img" aria-label="${description}"></canvas></figure>`).join("")}
      </section>`;
    this.root.querySelector("h2")!.textContent =
      runs.length === 2 ? `${runs[0].label} vs without regularization` : runs[0].label;
    this.status = this.root.querySelector(".status")!;
    for (const [name] of CHARTS) this.canvases.set(name, this.root.querySelector(`[data-chart="${name}"] canvas`)!);
    this.boards.push(...this.root.querySelectorAll<HTMLCanvasElement>("canvas.boundary"));
  }

  get finished(): boolean {
    return this.runs.every((r) => r.metrics !== null || r.error !== null);
  }

  handle(run: number, message: FromWorker): void {
    const r = this.runs[run];
    switch (message.type) {
      case "start":
        r.board = { ...message, classes: r.config.classes, probabilities: null };
        break;
      case "progress":
        r.snapshots.push(...message.snapshots);
        r.weights = message.weights;
        if (r.board) r.board.probabilities = message.probabilities;
        break;
      case "done":
        r.metrics = message.metrics;
        r.weights = message.weights;
        this.showFigures(run, message.metrics);
        break;
      case "error":
        r.error = message.message;
        break;
    }
    this.updateStatus();
    if (this.finished) this.finish();
    this.scheduleDraw();
  }

  private updateStatus(): void {
    const errors = this.runs.filter((r) => r.error !== null);
    if (errors.length) {
      this.root.dataset.state = "error";
      this.status.textContent = errors.map((r) => `${r.label}: error: ${r.error}`).join(" · ");
      return;
    }
    const epochs = (r: RunState) => r.metrics?.epochs ?? (r.snapshots.at(-1)?.epoch ?? -1) + 1;
    if (!this.finished) {
      this.status.textContent = this.runs.map((r) => `${r.label}: epoch ${epochs(r)} / ${r.config.epochs}`).join(" · ");
      return;
    }
    const stopped = this.runs.some((r) => r.metrics!.stopped);
    this.status.textContent = stopped
      ? `stopped after ${this.runs.map(epochs).join(" and ")} epochs`
      : `finished after ${this.runs[0].config.epochs} epochs`;
  }

  private showFigures(run: number, metrics: FinalMetrics): void {
    for (const f of FIGURES) {
      const cell = this.root.querySelector<HTMLElement>(`td[data-run="${run}"][data-metric="${f.key}"]`)!;
      cell.textContent = f.format(metrics[f.key] as number);
      cell.dataset.value = String(metrics[f.key]);
    }
  }

  /** All runs ended: the preset's claims, checked on what this run measured. */
  private finish(): void {
    if (this.root.dataset.state === "error") return;
    this.root.dataset.state = "done";
    const list = this.root.querySelector(".claims")!;
    const [regularized, plain] = this.runs.map((r) => r.metrics!);
    if (!this.preset || !plain) return;
    if (regularized.stopped || plain.stopped) {
      list.innerHTML = `<li class="skipped">Stopped early: the preset's claims are about complete runs.</li>`;
      return;
    }
    for (const claim of this.preset.claims) {
      const holds = claim.holds(regularized, plain);
      const item = document.createElement("li");
      item.dataset.metric = claim.metric;
      item.dataset.holds = String(holds);
      item.textContent = `${holds ? "✓ Held in this run:" : "✗ Not in this run:"} ${claimSentence(claim)}`;
      list.append(item);
      this.root.querySelector(`tr[data-figure="${claim.metric}"]`)?.classList.add("claimed");
    }
  }

  scheduleDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw(): void {
    this.runs.forEach((r, i) => {
      if (r.board) drawBoundary(this.boards[i], r.board, this.showValidation);
    });
    const xMax = this.runs[0].config.epochs;
    const curve = (r: RunState, pick: (s: Snapshot) => number, dashed: boolean, label: string): Series => ({
      label,
      color: r.color,
      dashed,
      points: r.snapshots.map((s) => [s.epoch, pick(s)]),
    });
    const trainAndValidation = (train: (s: Snapshot) => number, validation: (s: Snapshot) => number) =>
      this.runs.flatMap((r) => [curve(r, train, false, "training"), curve(r, validation, true, "validation")]);
    drawChart(
      this.canvases.get("loss")!,
      trainAndValidation(
        (s) => s.trainLoss,
        (s) => s.valLoss,
      ),
      { xMax },
    );
    drawChart(
      this.canvases.get("gap")!,
      this.runs.map((r) => curve(r, (s) => s.valLoss - s.trainLoss, false, "gap")),
      { xMax },
    );
    drawChart(
      this.canvases.get("acc")!,
      trainAndValidation(
        (s) => s.trainAcc,
        (s) => s.valAcc,
      ),
      {
        xMax,
        yRange: [0, 1],
        format: (v) => v.toFixed(1),
      },
    );
    drawChart(
      this.canvases.get("share")!,
      this.runs.filter((r) => hasRegularization(r.config)).map((r) => curve(r, (s) => s.regShare, false, "share")),
      { xMax, yRange: [0, 1], format: (v) => `${Math.round(v * 100)}%` },
    );
    const withWeights = this.runs.filter((r) => r.weights !== null);
    drawHistogram(
      this.canvases.get("weights")!,
      withWeights.map((r) => ({ color: r.color, weights: r.weights! })),
    );
    const zeros = this.root.querySelector<HTMLElement>('[data-note="zeros"]')!;
    zeros.textContent = withWeights.length
      ? `Exactly 0: ${withWeights.map((r) => `${percent(zeroFraction(r.weights!))} ${r.label}`).join(" · ")}`
      : "";
  }
}

export function hasRegularization(c: TrainConfig): boolean {
  return c.l1 > 0 || c.l2 > 0 || c.dropout > 0 || c.inputNoise > 0;
}
