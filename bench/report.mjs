// Turns measured times into the printed tables, the target checks and bench/RESULTS.md.
import { median } from "./measure.mjs";

const PENALTIES = ["l1Penalty", "l2Penalty", "penalty"];
const DROPOUT = ["dropout", "dropoutNoMask"];

/** The issue's targets (issue 2, section 6): zero-copy regwasm against a reference row, same run. */
export const TARGETS = [
  { n: 1e5, kernels: PENALTIES, vs: "plain", min: 15, what: "≥ 15× plain JS" },
  { n: 1e5, kernels: PENALTIES, vs: "tfwasm", min: 15, what: "≥ 15× TF.js-wasm" },
  { n: 1e5, kernels: DROPOUT, vs: "plain", min: 40, what: "≥ 40× plain JS" },
  { n: 1e5, kernels: DROPOUT, vs: "tfwasm", min: 50, what: "≥ 50× TF.js-wasm" },
  { n: 1.6e7, kernels: PENALTIES, vs: "read", min: 0.85, what: "≥ 85% of the read-only SIMD pass" },
];

/** One row per implementation: ns/element, GB/s, ratios and round-to-round spread. */
export function rowsOf(spec, n, tasks, perRound, samples) {
  const ms = new Map();
  for (const [id, rounds] of perRound) ms.set(id, median(rounds));
  const ratio = (ref, id) => (ms.has(ref) && ms.has(id) ? ms.get(ref) / ms.get(id) : undefined);
  return tasks.map((t) => {
    if (t.skipped) return { kernel: spec.id, id: t.id, label: t.label, skipped: t.skipped };
    const rounds = perRound.get(t.id);
    const nsPerElem = (ms.get(t.id) * 1e6) / n;
    return {
      kernel: spec.id,
      id: t.id,
      label: t.label,
      nsPerElem,
      gbps: spec.bytes / nsPerElem,
      vsPlain: ratio("plain", t.id),
      vsTfWasm: ratio("tfwasm", t.id),
      ofRead: spec.penalty ? ratio("read", t.id) : undefined,
      spread: rounds.length > 1 ? (Math.max(...rounds) - Math.min(...rounds)) / median(rounds) : undefined,
      samples: samples.get(t.id),
    };
  });
}

const fmt = (v, digits) =>
  v === undefined ? "–" : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(Math.min(digits, 1)) : v.toFixed(digits);
const ns = (v) => (v < 0.1 ? v.toFixed(4) : v < 10 ? v.toFixed(3) : v.toFixed(1));

/** The cells of one row, in COLUMNS order. */
function cells(row) {
  if (row.skipped) return [row.label, row.skipped, "–", "–", "–", "–", "–", "0"];
  return [
    row.label,
    ns(row.nsPerElem),
    fmt(row.gbps, 2),
    row.vsPlain === undefined ? "–" : `${fmt(row.vsPlain, 2)}×`,
    row.vsTfWasm === undefined ? "–" : `${fmt(row.vsTfWasm, 2)}×`,
    row.ofRead === undefined ? "–" : `${(row.ofRead * 100).toFixed(0)}%`,
    row.spread === undefined ? "–" : `${(row.spread * 100).toFixed(0)}%`,
    String(row.samples),
  ];
}
const COLUMNS = [
  "implementation",
  "ns/element",
  "GB/s",
  "× plain JS",
  "× TF.js-wasm",
  "% of read pass",
  "spread",
  "samples",
];

/** Fixed-width text table of one size. */
export function textTable(n, groups) {
  const lines = [`\nn = ${n.toLocaleString("en-US")}`];
  const all = groups.flatMap((g) => g.rows.filter((r) => !r.skipped).map(cells));
  const widths = COLUMNS.map((c, j) => Math.max(c.length, ...all.map((r) => r[j].length)));
  widths[0] = Math.max(widths[0], ...groups.flatMap((g) => g.rows.map((r) => r.label.length)));
  const line = (r) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ");
  lines.push(line(COLUMNS));
  for (const g of groups) {
    lines.push(`${g.spec.title}`);
    for (const row of g.rows)
      lines.push(`  ${row.skipped ? `${row.label.padEnd(widths[0])}  ${row.skipped}` : line(cells(row))}`);
  }
  return lines.join("\n");
}

/** Markdown table of one size. */
export function markdownTable(n, groups) {
  const lines = [
    `### n = ${n.toLocaleString("en-US")}`,
    "",
    `| kernel | ${COLUMNS.join(" | ")} |`,
    `|---|${COLUMNS.map((_, j) => (j ? "--:" : "---")).join("|")}|`,
  ];
  for (const g of groups) {
    g.rows.forEach((row, j) => lines.push(`| ${j ? "" : `**${g.spec.id}**`} | ${cells(row).join(" | ")} |`));
  }
  return lines.join("\n");
}

/**
 * PASS / MISS / not measured for every target and kernel. The verdict uses the paired ratio
 * (alternating calls) where one was taken, else the ratio of the table's medians; both are shown.
 */
export function checkTargets(groups) {
  const out = [];
  const show = (vs, v) => (vs === "read" ? `${(v * 100).toFixed(1)}%` : `${v.toFixed(1)}×`);
  for (const target of TARGETS) {
    for (const kernel of target.kernels) {
      const group = groups.find((g) => g.n === target.n && g.spec.id === kernel);
      const zero = group?.rows.find((r) => r.id === "zero");
      const fromTable = target.vs === "plain" ? zero?.vsPlain : target.vs === "tfwasm" ? zero?.vsTfWasm : zero?.ofRead;
      const paired = group?.paired?.[target.vs];
      const value = paired?.ratio ?? fromTable;
      const shown =
        value === undefined
          ? "not measured"
          : `${show(target.vs, value)}${paired ? ` (${paired.pairs} pairs)` : ""}${paired && fromTable !== undefined ? `; table medians ${show(target.vs, fromTable)}` : ""}`;
      const verdict = value === undefined ? "—" : value >= target.min ? "PASS" : "MISS";
      out.push({ n: target.n, kernel, what: target.what, shown, verdict });
    }
  }
  return out;
}
