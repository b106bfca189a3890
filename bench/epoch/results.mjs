// Markdown output for bench/RESULTS-epoch.md: a table builder and an append-only section writer
// (earlier measurements stay, so the file is a log of runs on named machines).
import { appendFileSync, existsSync, writeFileSync } from "node:fs";

export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const PREAMBLE = `# Epoch benchmark: the dropout-chapter model, regwasm vs TF.js layers vs plain JS

Written by \`node bench/epoch/run.mjs\` and, for 1 thread against several, \`node bench/threads/speedup.mjs\`
(see the header of each file); newest sections at the bottom.
Times are per full-batch training epoch (forward, loss, backward, regularization, Adam step), or per batch where a threads section says so.
`;

/** Appends a dated section; creates the file with a preamble first if needed. */
export function appendSection(path, { title, facts, body }) {
  if (!existsSync(path)) writeFileSync(path, PREAMBLE);
  appendFileSync(path, `\n## ${title}\n\n${facts.map((f) => `- ${f}`).join("\n")}\n\n${body}\n`);
}
