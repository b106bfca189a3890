// dst += src, element by element: the row groups' partial gradients added into the batch's, one
// group after another (src/wasm/row-groups.ts).

export function addInto(dstPtr: usize, srcPtr: usize, n: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const n4 = n & ~3;
    if (i < n4) do {
      const o = i << 2;
      v128.store(dstPtr + o, f32x4.add(v128.load(dstPtr + o), v128.load(srcPtr + o)));
      i += 4;
    } while (i < n4);
  }
  for (; i < n; i++) {
    const o = i << 2;
    store<f32>(dstPtr + o, load<f32>(dstPtr + o) + load<f32>(srcPtr + o));
  }
}
