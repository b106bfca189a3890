#!/usr/bin/env node
// Writes regwasm's random words (u32, little-endian) to stdout for statistical batteries
// (e.g. `node scripts/rng-stream.mjs --order streams | dieharder -g 200 -a`). Needs `npm run build`.
//
//   --kind words        the raw words u(i), as randomUint32 returns them (default)
//   --kind uniforms     dropout's uniforms v(c), one per element, which its keep rule compares with
//                       the threshold: bit 31 − k of v(c) is bit c & 31 of u(32·(c >> 5) + k), so
//                       each block of 32 raw words is written bit-transposed
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
    kind: { type: "string", default: "words" },
    order: { type: "string", default: "sequential" },
    seed: { type: "string", default: "0" },
    k: { type: "string", default: "1024" },
    words: { type: "string" },
  },
});
const order = values.order;
const kind = values.kind;
if (!["words", "uniforms"].includes(kind)) throw new RangeError(`--kind must be words or uniforms, got ${kind}`);
const baseSeed = Number(values.seed);
const k = Number(values.k);
const limit = values.words === undefined ? Infinity : Number(values.words);
if (!["sequential", "streams", "seeds"].includes(order))
  throw new RangeError(`--order must be sequential, streams or seeds, got ${order}`);
if (!Number.isSafeInteger(baseSeed) || baseSeed < 0)
  throw new RangeError(`--seed must be a non-negative integer, got ${values.seed}`);
if (!Number.isInteger(k) || k < 1 || k > 2 ** 32)
  throw new RangeError(`--k must be an integer in [1, 2^32], got ${values.k}`);
if (kind === "uniforms" && k % 32 !== 0)
  throw new RangeError(`--k must be a multiple of 32 with --kind uniforms, got ${k}`);
if (kind === "uniforms" && limit % 32 !== 0 && limit !== Infinity)
  throw new RangeError(`--words must be a multiple of 32 with --kind uniforms, got ${values.words}`);
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

/**
 * Transposes each 32×32 bit block of words in place so that afterwards bit 31 − k of word j is bit j
 * of the block's word k: the block-swap transpose of Hacker's Delight (transpose32, rows = words,
 * columns most significant bit first), then the words in reverse order.
 */
function transposeBlocks(words) {
  for (let b = 0; b < words.length; b += 32) {
    let m = 0x0000ffff;
    for (let j = 16; j !== 0; j >>>= 1, m = (m ^ (m << j)) >>> 0) {
      for (let k = 0; k < 32; k = (k + j + 1) & ~j) {
        const t = (words[b + k] ^ (words[b + k + j] >>> j)) & m;
        words[b + k] ^= t;
        words[b + k + j] ^= t << j;
      }
    }
    words.subarray(b, b + 32).reverse();
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
  if (kind === "uniforms") transposeBlocks(words);
  written += n;
  // Little-endian bytes on x86/ARM hosts (typed arrays use host order), as dieharder -g 200 expects.
  if (!process.stdout.write(new Uint8Array(words.buffer))) await once(process.stdout, "drain");
}
