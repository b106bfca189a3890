// The noise-shaped dropout kernels (assembly/noise-mask.ts) after validation: the library's path.
// Both run on the calling thread: the mask is the noise tensor's size (small next to the input),
// and the apply pass is a multiply-add per element.
import { type F32Data, U32Buffer, allocU32 } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import { runWindowed } from "../wasm/window.js";
import type { NoiseLayout } from "./noise-shape.js";
import type { StreamArgs } from "./random.js";

/** Writes the keep words of `n` noise elements into mask (in WASM memory): dropout()'s mask for n elements. */
export function dropoutMaskUnchecked(
  inst: Instance,
  mask: U32Buffer,
  n: number,
  rate: number,
  stream: StreamArgs,
): void {
  const [seedLo, seedHi, streamId, offset] = stream;
  inst.kernels.dropoutMask(mask.ptr, n, rate, seedLo, seedHi, streamId, offset);
}

/**
 * out[i] = bit(noise index of i) ? x[i]·scale + shift : dropped over an input of `layout`; out may be
 * x. Dropout: shift −0 and dropped +0 (x·scale + (−0) is x·scale exactly).
 */
export function applyNoiseMaskUnchecked(
  inst: Instance,
  out: F32Data,
  x: F32Data,
  mask: U32Buffer,
  layout: NoiseLayout,
  scale: number,
  shift: number,
  dropped: number,
): void {
  const dims = layout.dims.length ? layout.dims : [[1, 1] as const];
  const rank = dims.length;
  const dimsBuf = allocU32(3 * rank, inst);
  try {
    runWindowed(
      inst,
      x.length,
      [
        { data: out, read: false, write: true },
        { data: x, read: true, write: false },
      ],
      ([outPtr, xPtr], count, start) => {
        const view = dimsBuf.view();
        let rest = start;
        for (let k = rank - 1; k >= 0; k--) {
          const [size, stride] = dims[k];
          view[3 * k] = size;
          view[3 * k + 1] = stride;
          view[3 * k + 2] = rest % size;
          rest = Math.floor(rest / size);
        }
        inst.kernels.applyNoiseMask(outPtr, xPtr, mask.ptr, dimsBuf.ptr, rank, count, scale, shift, dropped);
      },
    );
  } finally {
    dimsBuf.free();
  }
}

/** A mask in this instance's memory: the given buffer, or a copy of a plain array (free it with release()). */
export function maskInWasm(inst: Instance, mask: Uint32Array | U32Buffer | null, words: number): U32Buffer {
  if (mask instanceof U32Buffer && mask.instance === inst) return mask;
  const buf = allocU32(words, inst);
  if (mask) buf.view().set(mask instanceof U32Buffer ? mask.view() : mask);
  return buf;
}

/** Frees a buffer from maskInWasm unless it is the caller's own. */
export function release(buf: U32Buffer, given: unknown): void {
  if (buf !== given) buf.free();
}
