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

const COLUMNS: { title: string; cell: (r: TableRow) => string }[] = [
  { title: "run", cell: (r) => r.name },
  { title: "train acc", cell: (r) => r.trainAcc.toFixed(3) },
  { title: "train loss", cell: (r) => r.trainLoss.toFixed(3) },
  { title: "val acc", cell: (r) => r.valAcc.toFixed(3) },
  { title: "val loss", cell: (r) => r.valLoss.toFixed(3) },
  { title: "data loss", cell: (r) => r.dataLoss.toFixed(3) },
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
