// Training progress on stderr: a live one-line bar when stderr is a terminal, otherwise a plain line
// every tenth of the run (so logs and CI output stay readable). The epoch lines carry what fit() logs:
// loss and accuracy on the training data measured during the epoch (training mode, so with dropout
// when the model has it, and before that epoch's update). They differ from the table, which measures
// the trained model in inference mode; the line that ends each run therefore shows the table's figures.
import { formatAcc, formatLoss } from "./report/table.js";

export interface ProgressStats {
  loss: number;
  acc: number;
  valAcc?: number;
}

/** The trained model's figures (the table's), shown when a run ends. */
export interface FinalStats {
  trainAcc: number;
  trainLoss: number;
  valAcc: number;
  valLoss: number;
  /** Epochs trained: fewer than total when the run was stopped. */
  epochs: number;
  /** The table's time (seconds in fit()); default: seconds since this Progress was made. */
  wallS?: number;
}

export interface ProgressOptions {
  label: string;
  total: number;
  /** Whether the model has dropout (the epoch figures are then measured with it on). */
  dropout?: boolean;
  /** Where lines go; default process.stderr. */
  stream?: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Override terminal detection (default: stream.isTTY). */
  tty?: boolean;
  /** Clock in ms (tests inject one). */
  now?: () => number;
}

const REDRAW_MS = 100;

export class Progress {
  private readonly stream: NonNullable<ProgressOptions["stream"]>;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly start: number;
  private lastDraw = -Infinity;
  private nextPlainEpoch: number;
  private valAcc: number | undefined;
  /** Whether a live bar is on screen (finish ends its line). */
  private drawn = false;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.tty = options.tty ?? Boolean(this.stream.isTTY);
    this.now = options.now ?? (() => performance.now());
    this.start = this.now();
    this.nextPlainEpoch = 0;
  }

  /** Call after every epoch (1-based `epoch` counts epochs done); cheap when nothing is drawn. */
  update(epoch: number, stats: ProgressStats): void {
    if (stats.valAcc !== undefined) this.valAcc = stats.valAcc;
    const last = epoch >= this.options.total;
    if (this.tty) {
      const t = this.now();
      if (!last && t - this.lastDraw < REDRAW_MS) return;
      this.lastDraw = t;
      this.drawn = true;
      this.stream.write(`\r${this.line(epoch, stats, true)}\x1b[K`);
    } else if (epoch >= this.nextPlainEpoch || last) {
      this.nextPlainEpoch = epoch + Math.max(1, Math.ceil(this.options.total / 10));
      this.stream.write(`${this.line(epoch, stats, false)}\n`);
    }
  }

  /** Ends the live line (a terminal keeps the final bar), then prints the trained model's figures if given. */
  finish(final?: FinalStats): void {
    if (this.drawn) this.stream.write("\n");
    this.drawn = false;
    if (!final) return;
    const { label, total } = this.options;
    const seconds = (final.wallS ?? (this.now() - this.start) / 1000).toFixed(1);
    const end =
      final.epochs < total ? `stopped at epoch ${final.epochs}/${total}` : `done ${final.epochs}/${total} epochs`;
    this.stream.write(
      `${label}: ${end}, trained model (dropout off): train acc ${formatAcc(final.trainAcc)}  train loss ${formatLoss(final.trainLoss)}  val acc ${formatAcc(final.valAcc)}  val loss ${formatLoss(final.valLoss)}  ${seconds}s\n`,
    );
  }

  private line(epoch: number, s: ProgressStats, bar: boolean): string {
    const { label, total } = this.options;
    const fraction = Math.min(1, epoch / total);
    const seconds = (this.now() - this.start) / 1000;
    const mode = this.options.dropout ? "dropout on, before update" : "before update";
    const valAcc = this.valAcc === undefined ? "  –  " : this.valAcc.toFixed(3);
    const figures = `epoch ${epoch}/${total}  train (${mode}) loss ${s.loss.toFixed(3)} acc ${s.acc.toFixed(3)}  val acc ${valAcc}  ${seconds.toFixed(1)}s`;
    if (!bar) return `${label}: ${figures}`;
    const columns = this.stream.columns ?? 100;
    const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
    const room = columns - 1 - label.length - percent.length - figures.length - 6;
    // no room for a bar of 10 cells: label, percentage and figures only, cut to the terminal's width
    if (room < 10) return `${label} ${percent}  ${figures}`.slice(0, columns - 1);
    const width = Math.min(30, room);
    const filled = Math.round(fraction * width);
    return `${label} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${percent}  ${figures}`;
  }
}
