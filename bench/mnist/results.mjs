// bench/RESULTS-mnist.md: dated sections appended after a preamble (earlier runs stay, so the file is
// a log of measurements on named machines).
import { appendFileSync, existsSync, writeFileSync } from "node:fs";

export { markdownTable } from "../epoch/results.mjs";

const PREAMBLE = `# MNIST benchmark: the Keras MLP example, regwasm vs TF.js layers (wasm and cpu backends)

Written by \`npm run bench:mnist\` (see the header of bench/mnist/run.mjs); newest sections at the bottom.
"s/epoch" is one training epoch (60,000 rows in batches of 128: forward, loss, backward, L2, Adam),
without the test evaluation, which is timed apart. Every framework starts from regwasm's initial
weights and visits the rows in regwasm's shuffled order.
`;

/** Appends a dated section; creates the file with the preamble first if needed. */
export function appendSection(path, { title, facts, body }) {
  if (!existsSync(path)) writeFileSync(path, PREAMBLE);
  appendFileSync(path, `\n## ${title}\n\n${facts.map((f) => `- ${f}`).join("\n")}\n\n${body}\n`);
}
