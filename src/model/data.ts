// A model's data on its way into WASM memory: checked first (types, shapes, labels read once, views
// of WASM memory copied out before an allocation can detach them), then placed, freed on failure.
import { describe, F32_MAX } from "../validate.js";
import { allocF32, allocU32, typedArrayType, type U32Buffer } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import { Matrix, rowSlice } from "../wasm/matrix.js";
import { gatherRows } from "../kernels/gather.js";

/** Class labels: one integer per row. */
export type Labels = Uint32Array | Int32Array | number[];

/** What the data must fit: the model's input width, class count and instance. */
export interface DataShape {
  readonly inputSize: number;
  readonly classes: number;
  readonly instance: Instance;
}

/** Data that passed the checks, with the values to copy (labels as read once). */
export interface Checked {
  x: ArrayLike<number>;
  labels: Float64Array | null;
  rows: number;
}

/** Data in WASM memory: rows × inputSize values and their labels (null for predict). */
export interface OnDevice {
  x: Matrix;
  y: U32Buffer | null;
  free(): void;
}

/**
 * Checks x (rows × inputSize) and y (class labels) without touching WASM memory, reading each
 * value once: labels are copied, then the copy is checked (an accessor cannot answer differently
 * later), and x is copied when it is a view of WASM memory, which an allocation may detach.
 */
export function checkData(
  shape: DataShape,
  x: ArrayLike<number>,
  y: Labels | null,
  xName: string,
  yName: string,
): Checked {
  const xType = typedArrayType(x);
  if (!(xType === "Float32Array" || xType === "Float64Array" || Array.isArray(x)))
    throw new TypeError(`${xName} must be a Float32Array (rows × ${shape.inputSize}), got ${describe(x)}`);
  const values = (x as Float32Array).buffer === shape.instance.heap.memory.buffer ? Float32Array.from(x) : x;
  if (y === null) {
    if (x.length === 0 || x.length % shape.inputSize !== 0)
      throw new RangeError(
        `${xName} must hold rows × ${shape.inputSize} values (a positive multiple of ${shape.inputSize}), got ${x.length}`,
      );
    return { x: values, labels: null, rows: x.length / shape.inputSize };
  }
  const yType = typedArrayType(y);
  if (!(yType === "Uint32Array" || yType === "Int32Array" || Array.isArray(y)))
    throw new TypeError(`${yName} must be a Uint32Array, Int32Array or number[] of class labels, got ${describe(y)}`);
  const rows = y.length;
  if (rows === 0) throw new RangeError(`${yName} must not be empty`);
  if (x.length !== rows * shape.inputSize)
    throw new RangeError(
      `${xName} must hold ${yName}.length × ${shape.inputSize} = ${rows * shape.inputSize} values, got ${x.length}`,
    );
  const labels = Float64Array.from(y as ArrayLike<number>);
  for (let i = 0; i < rows; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= shape.classes) {
      throw new RangeError(`${yName}[${i}] must be an integer class label in [0, ${shape.classes - 1}], got ${label}`);
    }
  }
  return { x: values, labels, rows };
}

/** Copies checked data into WASM memory (freed again if an allocation fails). */
export function placeData(shape: DataShape, { x, labels, rows }: Checked): OnDevice {
  const xBuf = allocF32(x.length, shape.instance);
  let yBuf: U32Buffer | null = null;
  try {
    xBuf.view().set(x);
    if (labels) {
      yBuf = allocU32(rows, shape.instance);
      yBuf.view().set(labels);
    }
  } catch (error) {
    xBuf.free();
    throw error;
  }
  return {
    x: new Matrix(xBuf, rows, shape.inputSize),
    y: yBuf,
    free: () => {
      xBuf.free();
      yBuf?.free();
    },
  };
}

/**
 * Training data must be finite in f32, as it is placed: the first NaN, ±∞ or value beyond f32's range
 * (which would become ±∞) is named before anything is placed.
 */
export function checkFiniteValues(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(Math.abs(v) <= F32_MAX))
      throw new RangeError(`${name}[${i}] must be finite (training data, at most 3.4e38 in size: f32), got ${v}`);
  }
}

/**
 * Checked data split into its first `headRows` rows and the rest (validationSplit: the last rows, as
 * Keras takes them, before any shuffling). Typed arrays are split as views, arrays copied.
 */
export function splitRows(data: Checked, headRows: number, inputSize: number): [Checked, Checked] {
  const cut = headRows * inputSize;
  const x = data.x as Float32Array | Float64Array | number[];
  const [headX, tailX] = Array.isArray(x) ? [x.slice(0, cut), x.slice(cut)] : [x.subarray(0, cut), x.subarray(cut)];
  const labels = data.labels;
  return [
    { x: headX, labels: labels ? labels.subarray(0, headRows) : null, rows: headRows },
    { x: tailX, labels: labels ? labels.subarray(headRows) : null, rows: data.rows - headRows },
  ];
}

/** Buffers for one shuffled batch, filled from placed data by index. */
export interface BatchBuffers {
  /** Rows order[start … start + count − 1] of data as one batch (valid until the next call). */
  gather(data: OnDevice, order: U32Buffer, start: number, count: number): OnDevice;
  free(): void;
}

/** Buffers for batches of up to `rows` rows (labels included). */
export function placeBatch(shape: DataShape, rows: number): BatchBuffers {
  const x = allocF32(rows * shape.inputSize, shape.instance);
  let y: U32Buffer;
  try {
    y = allocU32(rows, shape.instance);
  } catch (error) {
    x.free();
    throw error;
  }
  const all = new Matrix(x, rows, shape.inputSize);
  const free = () => {
    x.free();
    y.free();
  };
  return {
    gather(data, order, start, count) {
      gatherRows(x, data.x.data, order, start, count, shape.inputSize);
      if (data.y) gatherRows(y, data.y, order, start, count, 1);
      return { x: rowSlice(all, 0, count), y: data.y ? y : null, free };
    },
    free,
  };
}
