// A model's data on its way into WASM memory: checked first (types, shapes, targets read once, views
// of WASM memory copied out before an allocation can detach them), then placed, freed on failure.
// The targets are what the model's loss takes: class labels, or rows × outputs values.
import type { Loss } from "../losses/loss.js";
import { describe, F32_MAX } from "../validate.js";
import { allocF32, allocU32, type F32Buffer, typedArrayType, type U32Buffer } from "../wasm/buffer.js";
import type { Instance } from "../wasm/instance.js";
import { Matrix, rowSlice } from "../wasm/matrix.js";
import { gatherRows } from "../kernels/gather.js";

/** Class labels: one integer per row. */
export type Labels = Uint32Array | Int32Array | number[];

/**
 * What y holds, as the model's loss says (Loss.targetKind): class labels (softmax cross-entropy), or
 * target values, rows × outputs row-major in a Float32Array, Float64Array or number[] (binary
 * cross-entropy, mean squared or absolute error).
 */
export type Targets = Labels | Float32Array | Float64Array;

/** What the data must fit: the model's input width, output width (classes), instance and loss. */
export interface DataShape {
  readonly inputSize: number;
  readonly classes: number;
  readonly instance: Instance;
  /** Says which targets y holds (targetKind) and their range. */
  readonly loss: Loss;
}

/** Data that passed the checks, with the values to copy (targets as read once). */
export interface Checked {
  x: ArrayLike<number>;
  labels: Float64Array | null;
  /** Value targets, rows × classes (f32, as they will be placed). */
  values?: Float32Array | null;
  rows: number;
}

/** Data in WASM memory: rows × inputSize values and their targets (null for predict). */
export interface OnDevice {
  x: Matrix;
  y: U32Buffer | F32Buffer | null;
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
  y: Targets | null,
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
  if (shape.loss.targetKind === "values") return checkValueTargets(shape, values, y, xName, yName);
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

/**
 * Checks value targets: a Float32Array, Float64Array or number[] of rows × outputs values, each
 * finite and within the loss's range, read once into the f32 copy that will be placed.
 */
function checkValueTargets(shape: DataShape, x: ArrayLike<number>, y: Targets, xName: string, yName: string): Checked {
  const { classes: outputs, loss } = shape;
  const yType = typedArrayType(y);
  if (!(yType === "Float32Array" || yType === "Float64Array" || Array.isArray(y)))
    throw new TypeError(
      `${yName} must be a Float32Array of rows × ${outputs} target values (the loss ${loss.type} takes values, not class labels), got ${describe(y)}`,
    );
  if (y.length === 0 || y.length % outputs !== 0)
    throw new RangeError(
      `${yName} must hold rows × ${outputs} target values (a positive multiple of the ${outputs} outputs), got ${y.length}`,
    );
  const rows = y.length / outputs;
  if (x.length !== rows * shape.inputSize)
    throw new RangeError(
      `${xName} must hold ${yName}.length / ${outputs} × ${shape.inputSize} = ${rows * shape.inputSize} values, got ${x.length}`,
    );
  const values = Float32Array.from(y as ArrayLike<number>);
  const range = loss.targetRange;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    // the f32 copy: a value beyond the f32 range became ±∞
    if (!Number.isFinite(v))
      throw new RangeError(`${yName}[${i}] must be a finite target value (at most 3.4e38 in size: f32), got ${y[i]}`);
    if (range && !(v >= range[0] && v <= range[1]))
      throw new RangeError(`${yName}[${i}] must be in [${range[0]}, ${range[1]}] (targets of ${loss.type}), got ${v}`);
  }
  return { x, labels: null, values, rows };
}

/** Copies checked data into WASM memory (freed again if an allocation fails). */
export function placeData(shape: DataShape, { x, labels, values, rows }: Checked): OnDevice {
  const xBuf = allocF32(x.length, shape.instance);
  let yBuf: U32Buffer | F32Buffer | null = null;
  try {
    xBuf.view().set(x);
    if (labels) {
      yBuf = allocU32(rows, shape.instance);
      yBuf.view().set(labels);
    } else if (values) {
      yBuf = allocF32(values.length, shape.instance);
      yBuf.view().set(values);
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
  const { labels, values } = data;
  const headValues = headRows * (values ? values.length / data.rows : 0);
  return [
    {
      x: headX,
      labels: labels ? labels.subarray(0, headRows) : null,
      values: values ? values.subarray(0, headValues) : null,
      rows: headRows,
    },
    {
      x: tailX,
      labels: labels ? labels.subarray(headRows) : null,
      values: values ? values.subarray(headValues) : null,
      rows: data.rows - headRows,
    },
  ];
}

/** Buffers for one shuffled batch, filled from placed data by index. */
export interface BatchBuffers {
  /** Rows order[start … start + count − 1] of data as one batch (valid until the next call). */
  gather(data: OnDevice, order: U32Buffer, start: number, count: number): OnDevice;
  free(): void;
}

/** Buffers for batches of up to `rows` rows (targets included: one label, or `classes` values, per row). */
export function placeBatch(shape: DataShape, rows: number): BatchBuffers {
  const x = allocF32(rows * shape.inputSize, shape.instance);
  const values = shape.loss.targetKind === "values";
  const yWidth = values ? shape.classes : 1;
  let y: U32Buffer | F32Buffer;
  try {
    y = values ? allocF32(rows * yWidth, shape.instance) : allocU32(rows, shape.instance);
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
      if (data.y) gatherRows(y, data.y, order, start, count, yWidth);
      return { x: rowSlice(all, 0, count), y: data.y ? y : null, free };
    },
    free,
  };
}
