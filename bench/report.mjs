// Turns measured times into the printed tables, the target checks and bench/RESULTS.md.
import { median } from "./measure.mjs";

const PENALTIES = ["l1Penalty", "l2Penalty", "penalty"];
const SUMS = ["l1Penalty", "l2Penalty"];
const DROPOUT = ["dropout", "dropoutNoMask"];

/**
 * The targets: zero-copy regwasm against a reference row of the same run (plain JS and TF.js at
 * their best, or the physical limit), or, with `of`, against another kernel's zero-copy row.
 */
export const TARGETS = [
  { n: 1e5, kernels: PENALTIES, vs: "plain", min: 15, what: "≥ 15× plain JS" },
  { n: 1e5, kernels: PENALTIES, vs: "tfwasm", min: 15, what: "≥ 15× TF.js-wasm" },
  { n: 1e5, kernels: DROPOUT, vs: "plain", min: 40, what: "≥ 40× plain JS" },
  { n: 1e5, kernels: DROPOUT, vs: "tfwasm", min: 50, what: "≥ 50× TF.js-wasm" },
  { n: 1e5, kernels: SUMS, vs: "read", min: 0.9, what: "≥ 90% of the read-only SIMD pass" },
  { n: 1.6e7, kernels: SUMS, vs: "read", min: 0.9, what: "≥ 90% of the read-only SIMD pass" },
  { n: 1.6e7, kernels: ["penalty"], vs: "read", min: 0.85, what: "≥ 85% of the read-only SIMD pass" },
  {
    n: 1.6e7,
    kernels: ["dropoutBackwardRegen"],
    of: "dropoutBackward",
    min: 1 / 1.5,
    what: "within 1.5× of the stored-mask backward",
  },
];

/**
 * The row the targets judge: zero-copy regwasm on one thread, as the limit passes and the baselines
 * run (the default row runs one thread per core; "zero" stands in when the 1-thread row is not run).
 */
export const TARGET_ROW = "one";

/** The limit row a kernel is measured against: the read-only pass for sums, read+write for elementwise kernels. */
const limitOf = (spec) => (spec.penalty ? "read" : spec.elementwise ? "readwrite" : undefined);

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
      ofLimit: limitOf(spec) ? ratio(limitOf(spec), t.id) : undefined,
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
    row.ofLimit === undefined ? "–" : `${(row.ofLimit * 100).toFixed(0)}%`,
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
  "% of limit",
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
  const percent = (vs) => vs === "read" || vs === undefined;
  const show = (vs, v) => (percent(vs) ? `${(v * 100).toFixed(1)}%` : `${v.toFixed(1)}×`);
  const zeroOf = (n, kernel) => {
    const rows = groups.find((g) => g.n === n && g.spec.id === kernel)?.rows.filter((r) => !r.skipped) ?? [];
    return rows.find((r) => r.id === TARGET_ROW) ?? rows.find((r) => r.id === "zero");
  };
  for (const target of TARGETS) {
    for (const kernel of target.kernels) {
      const group = groups.find((g) => g.n === target.n && g.spec.id === kernel);
      const zero = zeroOf(target.n, kernel);
      let value, shown;
      if (target.of) {
        // another kernel's row: the ratio of the table's medians (the two never ran alternately)
        const other = zeroOf(target.n, target.of);
        value = zero && other ? other.nsPerElem / zero.nsPerElem : undefined;
        shown =
          value === undefined
            ? "not measured"
            : `${(1 / value).toFixed(2)}× its time (${zero.nsPerElem.toFixed(3)} vs ${other.nsPerElem.toFixed(3)} ns/element, table medians)`;
      } else {
        const fromTable =
          target.vs === "plain" ? zero?.vsPlain : target.vs === "tfwasm" ? zero?.vsTfWasm : zero?.ofLimit;
        const paired = group?.paired?.[target.vs];
        value = paired?.ratio ?? fromTable;
        shown =
          value === undefined
            ? "not measured"
            : `${show(target.vs, value)}${paired ? ` (${paired.pairs} pairs)` : ""}${paired && fromTable !== undefined ? `; table medians ${show(target.vs, fromTable)}` : ""}`;
      }
      const verdict = value === undefined ? "—" : value >= target.min ? "PASS" : "MISS";
      out.push({ n: target.n, kernel, what: target.what, shown, verdict });
    }
  }
  return out;
}
