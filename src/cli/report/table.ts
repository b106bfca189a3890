// The plain-text table of final figures the CLI prints on stdout (one row per run).

export interface TableRow {
  name: string;
  trainAcc: number;
  trainLoss: number;
  valAcc: number;
  valLoss: number;
  dataLoss: number;
  regLoss: number;
  wallS: number;
}

/** Accuracy and loss as the table prints them (the progress line's last figures reuse these). */
export const formatAcc = (v: number): string => v.toFixed(3);
export const formatLoss = (v: number): string => v.toFixed(3);

const COLUMNS: { title: string; cell: (r: TableRow) => string }[] = [
  { title: "run", cell: (r) => r.name },
  { title: "train acc", cell: (r) => formatAcc(r.trainAcc) },
  { title: "train loss", cell: (r) => formatLoss(r.trainLoss) },
  { title: "val acc", cell: (r) => formatAcc(r.valAcc) },
  { title: "val loss", cell: (r) => formatLoss(r.valLoss) },
  { title: "data loss", cell: (r) => formatLoss(r.dataLoss) },
  { title: "reg loss", cell: (r) => r.regLoss.toFixed(4) },
  { title: "time (s)", cell: (r) => r.wallS.toFixed(1) },
];

/** Aligned columns: the run name left-aligned, numbers right-aligned. */
export function formatTable(rows: readonly TableRow[]): string {
  const cells = [COLUMNS.map((c) => c.title), ...rows.map((r) => COLUMNS.map((c) => c.cell(r)))];
  const widths = COLUMNS.map((_, j) => Math.max(...cells.map((row) => row[j].length)));
  const line = (row: string[]) => row.map((v, j) => (j === 0 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join("  ");
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}
