#!/usr/bin/env node
// Writes regwasm's raw random words (u32, little-endian) to stdout for statistical batteries
// (e.g. `node scripts/rng-stream.mjs --order streams | dieharder -g 200 -a`). Needs `npm run build`.
//
//   --order sequential  stream 0, counters 0, 1, 2, …; after 2^32 words moves on to stream 1, …
//   --order streams     what dropout does: streams 0, 1, 2, … of one seed, counters 0..K-1 of each
//   --order seeds       seeds base, base+1, …, stream 0, counters 0..K-1 of each
//   --seed S            base seed (default 0; for `seeds`, the first seed)
//   --k K               words per stream/seed in the `streams` and `seeds` orders (default 1024)
//   --words N           stop after N words (default: endless, until the reader closes the pipe)
import { parseArgs } from "node:util";
import { once } from "node:events";
import { init, randomUint32 } from "../dist/index.js";

const { values } = parseArgs({
  options: {
    order: { type: "string", default: "sequential" },
    seed: { type: "string", default: "0" },
    k: { type: "string", default: "1024" },
    words: { type: "string" },
  },
});
const order = values.order;
const baseSeed = Number(values.seed);
const k = Number(values.k);
const limit = values.words === undefined ? Infinity : Number(values.words);
if (!["sequential", "streams", "seeds"].includes(order))
  throw new RangeError(`--order must be sequential, streams or seeds, got ${order}`);
if (!Number.isSafeInteger(baseSeed) || baseSeed < 0)
  throw new RangeError(`--seed must be a non-negative integer, got ${values.seed}`);
if (!Number.isInteger(k) || k < 1 || k > 2 ** 32)
  throw new RangeError(`--k must be an integer in [1, 2^32], got ${values.k}`);
if (!(limit >= 0)) throw new RangeError(`--words must be a non-negative number, got ${values.words}`);

const CHUNK = 1 << 20; // words per write (4 MiB): large enough that per-call overhead vanishes
const STREAM_WORDS = 2 ** 32;

// A position in the (seed, stream, counter) space, advanced in the chosen order.
let seed = baseSeed,
  stream = 0,
  counter = 0;
const blockWords = order === "sequential" ? STREAM_WORDS : k;

/** Fills out with the next words in order, crossing stream/seed boundaries as needed. */
function fill(out) {
  let filled = 0;
  while (filled < out.length) {
    const take = Math.min(out.length - filled, blockWords - counter);
    randomUint32(out.subarray(filled, filled + take), { seed, stream, offset: counter });
    filled += take;
    counter += take;
    if (counter === blockWords) {
      counter = 0;
      if (order === "seeds") seed++;
      else stream++; // sequential after 2^32 words; streams after K
    }
  }
}

let written = 0; // words handed to stdout (the reader may not have consumed the last chunk or two)
process.stdout.on("error", (err) => {
  if (err.code !== "EPIPE") throw err;
  process.stderr.write(`rng-stream: ${written} words written (${order}, seed ${baseSeed}, k ${k})\n`);
  process.exit(0); // the battery has read all it wants
});

await init();
while (written < limit) {
  const n = Math.min(CHUNK, limit - written);
  const words = new Uint32Array(n); // fresh each time: a pending write may still hold the previous one
  fill(words);
  written += n;
  // Little-endian bytes on x86/ARM hosts (typed arrays use host order), as dieharder -g 200 expects.
  if (!process.stdout.write(new Uint8Array(words.buffer))) await once(process.stdout, "drain");
}
