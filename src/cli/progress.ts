// Training progress on stderr: a live one-line bar when stderr is a terminal, otherwise a plain line
// every tenth of the run (so logs and CI output stay readable).

export interface ProgressStats {
  loss: number;
  acc: number;
  valAcc?: number;
}

export interface ProgressOptions {
  label: string;
  total: number;
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
      this.stream.write(`\r${this.line(epoch, stats, true)}\x1b[K`);
    } else if (epoch >= this.nextPlainEpoch || last) {
      this.nextPlainEpoch = epoch + Math.max(1, Math.ceil(this.options.total / 10));
      this.stream.write(`${this.line(epoch, stats, false)}\n`);
    }
  }

  /** Ends the live line (a terminal keeps the final bar). */
  finish(): void {
    if (this.tty) this.stream.write("\n");
  }

  private line(epoch: number, s: ProgressStats, bar: boolean): string {
    const { label, total } = this.options;
    const fraction = Math.min(1, epoch / total);
    const seconds = (this.now() - this.start) / 1000;
    const figures = `epoch ${epoch}/${total}  loss ${s.loss.toFixed(3)}  acc ${s.acc.toFixed(3)}  val acc ${this.valAcc === undefined ? "  –  " : this.valAcc.toFixed(3)}  ${seconds.toFixed(1)}s`;
    if (!bar) return `${label}: ${figures}`;
    const columns = this.stream.columns ?? 100;
    const width = Math.max(10, Math.min(30, columns - label.length - figures.length - 12));
    const filled = Math.round(fraction * width);
    return `${label} [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${figures}`;
  }
}
