// gatherRows (assembly/gather.ts): dst row r = src row indices[start + r], against a gather written
// in JS over the same words. Bits are copied, not values: NaN payloads, −0 and subnormals survive, and
// nothing past the count rows of dst is written. Both builds give the same bits.
import { beforeAll, describe, expect, it } from "vitest";
import { allocF32, allocU32, type Instance } from "../../src/index.js";
import { gatherRows } from "../../src/kernels/gather.js";
import { mulberry32Uint32 } from "../support/mulberry32.js";
import { bitsOf, describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds } from "./support/builds.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

/** src: `rows` rows of random words, with a quiet NaN with a payload, −0 and a subnormal among them. */
function sourceWords(rows: number, width: number, seed: number): Uint32Array {
  const next = mulberry32Uint32(seed);
  const words = Uint32Array.from({ length: rows * width }, () => next());
  words[0] = 0x7fc0_1234; // NaN with a payload
  if (words.length > 1) words[1] = 0x8000_0000; // −0
  if (words.length > 2) words[words.length - 1] = 0x0000_0001; // the smallest subnormal
  return words;
}

/** The gather written out: rows indices[start … start + count − 1] of src, one after the other. */
function refGather(src: Uint32Array, indices: Uint32Array, start: number, count: number, width: number): Uint32Array {
  const out = new Uint32Array(count * width);
  for (let r = 0; r < count; r++) {
    const row = indices[start + r];
    for (let k = 0; k < width; k++) out[r * width + k] = src[row * width + k];
  }
  return out;
}

const CANARY = 0xdead_beef;

/** Runs gatherRows on `inst` as the training loop does (f32 features or u32 labels); returns all of dst. */
function gatherOn(
  inst: Instance,
  kind: "f32" | "u32",
  src: Uint32Array,
  indices: Uint32Array,
  start: number,
  count: number,
  width: number,
  dstRows: number,
): Uint32Array {
  const alloc = kind === "f32" ? allocF32 : allocU32;
  const s = alloc(src.length, inst);
  const d = alloc(dstRows * width, inst);
  const idx = allocU32(indices.length, inst);
  bitsView(s).set(src);
  bitsView(d).fill(CANARY);
  idx.view().set(indices);
  gatherRows(d, s, idx, start, count, width);
  const out = bitsView(d).slice();
  for (const b of [s, d, idx]) b.free();
  return out;
}

function bitsView(buf: { view(): Float32Array | Uint32Array }): Uint32Array {
  const v = buf.view();
  return v instanceof Uint32Array ? v : new Uint32Array(v.buffer, v.byteOffset, v.length);
}

describe("gatherRows", () => {
  const cases = [1, 2, 7, 784].flatMap((width) => (["f32", "u32"] as const).map((kind) => [width, kind] as const));
  it.each(cases)("width %i (%s): rows by index, the same bits on both builds", (width, kind) => {
    const rows = 37;
    const src = sourceWords(rows, width, width * 7 + 1);
    // a shuffled order with repeats and the first and last rows, as a batch might take them
    const next = mulberry32Uint32(width);
    const indices = Uint32Array.from({ length: 50 }, () => next() % rows);
    indices[3] = 0;
    indices[4] = rows - 1;
    for (const [start, count] of [
      [0, 50],
      [3, 17],
      [49, 1],
      [10, 0],
    ]) {
      const dstRows = 52; // more rows than count: the ones past count keep the canary
      const want = new Uint32Array(dstRows * width).fill(CANARY);
      want.set(refGather(src, indices, start, count, width));
      const got = gatherOn(builds.tested, kind, src, indices, start, count, width, dstRows);
      expect(describeDifference(got, want), `start ${start}, count ${count}`).toBe("identical");
      const other = gatherOn(builds.other, kind, src, indices, start, count, width, dstRows);
      expect(describeDifference(other, got), `other build, start ${start}, count ${count}`).toBe("identical");
    }
  });

  it("a permutation of all rows gives the data set in that order (the shuffled epoch's batches)", () => {
    const rows = 9,
      width = 3;
    const src = sourceWords(rows, width, 3);
    const order = Uint32Array.from([4, 8, 0, 2, 6, 1, 7, 3, 5]);
    const x = gatherOn(builds.tested, "f32", src, order, 0, rows, width, rows);
    expect(describeDifference(x, refGather(src, order, 0, rows, width))).toBe("identical");
    // and row 4 of the result is src row order[4] = 6, word for word
    expect(Array.from(x.subarray(4 * width, 5 * width))).toEqual(Array.from(src.subarray(6 * width, 7 * width)));
    expect(bitsOf(new Float32Array(x.buffer, 0, 1))[0]).toBe(src[4 * width]);
  });
});
