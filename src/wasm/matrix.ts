// A row-major matrix living in WASM memory: an F32Buffer plus its shape. Layers pass these to each
// other, so activations never leave WASM memory.
import { allocF32, bufferView, type F32Buffer } from "./buffer.js";
import type { Instance } from "./instance.js";

export class Matrix {
  constructor(
    readonly data: F32Buffer,
    readonly rows: number,
    readonly cols: number,
  ) {
    if (data.length !== rows * cols)
      throw new RangeError(`matrix data must hold rows × cols = ${rows * cols} values, got ${data.length}`);
    Object.freeze(this); // kernels trust the shape
  }

  get ptr(): number {
    return this.data.ptr;
  }

  get instance(): Instance {
    return this.data.instance;
  }

  /** A copy of the values, out of WASM memory. */
  toArray(): Float32Array {
    return this.data.view().slice();
  }
}

/** Allocates a zeroed rows × cols matrix in WASM memory. */
export function allocMatrix(rows: number, cols: number, instance: Instance): Matrix {
  return new Matrix(allocF32(rows * cols, instance), rows, cols);
}

/**
 * Rows [start, start + rows) of m without copying (a mini-batch of a dataset in WASM memory).
 * The returned buffer aliases m's memory: never free() it.
 */
export function rowSlice(m: Matrix, start: number, rows: number): Matrix {
  if (start === 0 && rows === m.rows) return m;
  const view = bufferView(m.instance, m.ptr + start * m.cols * 4, rows * m.cols);
  return new Matrix(view, rows, m.cols);
}
