// The words of one random stream in counter order, generated a block at a time: an initializer that
// rejects draws cannot know in advance how many it needs, and memory stays bounded for any size.
import { randomUint32Unchecked, toStreamArgs } from "../../kernels/random.js";
import { allocU32 } from "../../wasm/buffer.js";
import type { RandomSource } from "./initializer.js";

/** Words per kernel call: enough that the call's cost vanishes per word, few enough to stay in cache. */
export const WORD_BLOCK = 8192;
const COUNTERS = 2 ** 32;

/**
 * Runs `draw` with `next()` returning u(0), u(1), u(2), … of the stream on successive calls. The
 * words pass through one block of the instance's memory, returned when `draw` ends or throws (a
 * plain array would go through the instance's copy window, which stays allocated).
 */
export function readWords(random: RandomSource, draw: (next: () => number) => void): void {
  const { seed, stream, instance } = random;
  const buffer = allocU32(WORD_BLOCK, instance);
  const block = new Uint32Array(WORD_BLOCK);
  let nextStart = 0; // counter of the next block's first word
  let used = WORD_BLOCK;
  const next = (): number => {
    if (used === WORD_BLOCK) {
      // unreachable for a layer that fits in wasm32 (the rejecting draws take ≈1.4 words per value)
      if (nextStart + WORD_BLOCK > COUNTERS) throw new RangeError("an initializer used up its random stream");
      randomUint32Unchecked(instance, buffer, toStreamArgs(seed, stream, nextStart));
      block.set(buffer.view()); // a copy: a view of WASM memory must not outlive the next allocation
      nextStart += WORD_BLOCK;
      used = 0;
    }
    return block[used++];
  };
  try {
    draw(next);
  } finally {
    buffer.free();
  }
}
