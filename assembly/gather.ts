// Gathers rows of 32-bit words by index: a shuffled mini-batch assembled from a data set that stays
// in WASM memory, one batch at a time, instead of permuting the whole set every epoch.

/**
 * dst row r = src row idx[r] for r < count; rows are `width` words (f32 features or u32 labels).
 * The caller guarantees every index is a row of src and dst does not overlap src.
 */
export function gatherRows(dstPtr: usize, srcPtr: usize, idxPtr: usize, count: usize, width: usize): void {
  const rowBytes = width << 2;
  if (width == 1) {
    for (let r: usize = 0; r < count; r++) {
      const i = <usize>load<u32>(idxPtr + (r << 2));
      store<u32>(dstPtr + (r << 2), load<u32>(srcPtr + (i << 2)));
    }
    return;
  }
  for (let r: usize = 0; r < count; r++) {
    const i = <usize>load<u32>(idxPtr + (r << 2));
    memory.copy(dstPtr + r * rowBytes, srcPtr + i * rowBytes, rowBytes);
  }
}
