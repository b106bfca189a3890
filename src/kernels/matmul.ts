// The matrix products of a dense layer, each routed to the kernel form that vectorises its long
// dimension (see assembly/matmul.ts). Operands are Matrix/F32Buffer in one instance; nothing copied.
// Every call is cut into parts on whole rows or columns of its output (`Instance.run`): each output
// element is computed by one part in the one fixed order, so the bits never depend on the cut.
import type { F32Buffer } from "../wasm/buffer.js";
import type { Instance, KernelExports } from "../wasm/instance.js";
import type { Matrix } from "../wasm/matrix.js";
import { partCount, partition, type Range } from "../wasm/partition.js";

/** Outputs narrower than this use the dot-product form (vectorised over the inner dimension). */
const NARROW = 16;

/**
 * The fewest multiply-adds worth a part of their own: ~10 µs here, where a hand-off to an awake worker
 * costs 1–3 µs (2²⁰ kept the MNIST model's 512×10 layer on the calling thread alone: 1–3 % of a step).
 */
const MIN_PART_WORK = 1 << 18;

/**
 * The fewest elements of a transpose or a column sum worth a part of their own: a pass over memory
 * in L2, ~10 µs here, where a hand-off to an awake worker costs 1–3 µs.
 */
const MIN_PART_ELEMENTS_PASS = 1 << 14;

/** Part boundaries: row pairs (the register block of the row kernels), 16 columns (a panel). */
const ROW_ALIGN = 2;
const COLUMN_ALIGN = 16;

/** True when an output with `cols` columns and inner dimension `inner` is better built from dots. */
export const preferDots = (inner: number, cols: number): boolean => cols < NARROW && inner >= NARROW;

/**
 * The transposed copies a dense layer with W k×n needs: Wᵀ for the forms that read it (the dot form
 * of the forward, the row form of dX), dWᵀ when its gradient is accumulated transposed (narrow outputs).
 */
export function transposedScratch(k: number, n: number): { weights: boolean; gradients: boolean } {
  const narrow = preferDots(k, n);
  return { weights: narrow || !preferDots(n, k), gradients: narrow };
}

/** How many floats denseGrads needs in its `scratch` for a batch of `rows` (the transposed operand). */
export const gradScratchSize = (rows: number, k: number, n: number): number => rows * (preferDots(k, n) ? n : k);

/**
 * [start, end) ranges of `total` units (rows or columns) of `align`, each unit costing `unitWork`:
 * up to PARTS_PER_THREAD per thread, taken one at a time, so that a thread that gets its core late
 * takes fewer rows instead of holding up the call. Cutting a product finer costs little: every part
 * of a row cut streams all of B, but per row it ran as fast at 16 rows as at 128 here.
 */
function parts(inst: Instance, total: number, align: number, unitWork: number, minWork = MIN_PART_WORK): Range[] {
  const minPart = Math.ceil(minWork / Math.max(unitWork, 1));
  return partition(total, partCount(inst.threads, total, minPart), align, minPart);
}

/** out (n×m) = aᵀ for a m×n, in parts of out rows. */
export function transpose(out: F32Buffer, a: F32Buffer, m: number, n: number): void {
  const inst = a.instance;
  inst.run(
    "transpose",
    parts(inst, n, COLUMN_ALIGN, m, MIN_PART_ELEMENTS_PASS).map(([j0, j1]) => [out.ptr, a.ptr, m, n, j0, j1] as const),
  );
}

/**
 * out (m×n) = a·b (+ bias) (ReLU), b k×n; `dots`: b given transposed (n×k). A part of out rows reads
 * all of b, a band of out columns all of a, so the row form is cut the way that reads less: into
 * bands where out is wider than tall (a batch of 128 through 512-wide layers: each thread then reads
 * its half of W instead of all of it, and a part taken from a late thread reads no W twice; 2-thread
 * MNIST steps 0.96–0.98× the time on a busy host, 1.00× on a quiet one). Bands start at multiples
 * of 16 (a panel), so every column is computed in the same form as in one call: the same bits.
 */
function product(
  out: number,
  a: number,
  b: number,
  bias: number,
  m: number,
  k: number,
  n: number,
  relu: boolean,
  dots: boolean,
  inst: Instance,
): void {
  const reluFlag = relu ? 1 : 0;
  if (!dots && n > m) {
    const bands = parts(inst, n, COLUMN_ALIGN, m * k).map(
      ([j0, j1]): Parameters<KernelExports["matmulRowsBand"]> => [
        out + 4 * j0,
        a,
        b + 4 * j0,
        bias ? bias + 4 * j0 : 0,
        m,
        k,
        j1 - j0,
        n,
        reluFlag,
      ],
    );
    inst.run("matmulRowsBand", bands);
    return;
  }
  const ranges = parts(inst, m, ROW_ALIGN, k * n).map(
    ([i0, i1]): Parameters<KernelExports["matmulRows"]> => [
      out + 4 * i0 * n,
      a + 4 * i0 * k,
      b,
      bias,
      i1 - i0,
      k,
      n,
      reluFlag,
    ],
  );
  inst.run(dots ? "matmulDots" : "matmulRows", ranges);
}

/** out = x·W + b (then ReLU when relu). W is k×n; `wt()` returns Wᵀ (n×k), asked for only when preferDots(k, n). */
export function affineForward(
  out: Matrix,
  x: Matrix,
  w: F32Buffer,
  b: F32Buffer,
  wt: () => F32Buffer,
  relu: boolean,
): void {
  const { rows: m, cols: k } = x;
  const n = out.cols;
  const dots = preferDots(k, n);
  product(out.ptr, x.ptr, dots ? wt().ptr : w.ptr, b.ptr, m, k, n, relu, dots, x.instance);
}

/** sums += Σ_rows z (z m×n), masking z in place by [y > 0] first when y is given; in parts of columns. */
function columnSums(sums: F32Buffer, z: Matrix, y: Matrix | null): void {
  const { rows: m, cols: n } = z;
  const inst = z.instance;
  inst.run(
    "colSums",
    parts(inst, n, COLUMN_ALIGN, m, MIN_PART_ELEMENTS_PASS).map(
      ([j0, j1]) => [sums.ptr, z.ptr, y ? y.ptr : 0, m, n, j0, j1] as const,
    ),
  );
}

/** out (p×q) += (or, unless accumulate, =) atᵀ-product: at (p×m) is Aᵀ, b m×q; in parts of out rows. */
function productTN(out: F32Buffer, at: F32Buffer, b: Matrix, p: number, accumulate: boolean): void {
  const { rows: m, cols: q } = b;
  const inst = b.instance;
  inst.run(
    "matmulTN",
    parts(inst, p, ROW_ALIGN, m * q).map(
      ([p0, p1]) => [out.ptr + 4 * p0 * q, at.ptr + 4 * p0 * m, b.ptr, m, p1 - p0, q, accumulate ? 1 : 0] as const,
    ),
  );
}

/**
 * dW += xᵀ·dZ (k×n) and db += Σ_rows dZ, where dZ = dOut, or dOut ⊙ [reluOut > 0] when reluOut is
 * given (the ReLU backward of a fused Dense + ReLU; dOut is overwritten with dZ). Wide outputs
 * accumulate into dw from xᵀ; narrow ones accumulate dWᵀ += dZᵀ·x into dwt instead (given for narrow
 * layers; the caller transposes it into dW once the batch is complete). Unless `accumulate`, dW (or
 * dWᵀ) is overwritten instead: a batch's first chunk, which then needs no zeroed dW (writing it in
 * the product's parts keeps each part's lines on its thread; zeroing it first on the calling thread
 * cost a 2-thread MNIST step 3–7 %). db is always added to. `scratch` holds the transposed operand
 * (gradScratchSize floats).
 */
export function denseGrads(
  dw: F32Buffer,
  db: F32Buffer,
  x: Matrix,
  dOut: Matrix,
  reluOut: Matrix | null,
  dwt: F32Buffer | null,
  scratch: F32Buffer,
  accumulate: boolean,
): void {
  const { rows: m, cols: k } = x;
  const n = dOut.cols;
  columnSums(db, dOut, reluOut);
  if (preferDots(k, n)) {
    transpose(scratch, dOut.data, m, n);
    productTN(dwt!, scratch, x, n, accumulate);
  } else {
    transpose(scratch, x.data, m, k);
    productTN(dw, scratch, dOut, k, accumulate);
  }
}

/** dx = dz·Wᵀ (m×k) for W k×n; `wt()` returns Wᵀ, asked for only by the wide form. */
export function inputGrad(dx: Matrix, dz: Matrix, w: F32Buffer, wt: () => F32Buffer): void {
  const { rows: m, cols: n } = dz;
  const k = dx.cols;
  const dots = preferDots(n, k);
  product(dx.ptr, dz.ptr, dots ? w.ptr : wt().ptr, 0, m, n, k, false, dots, dz.instance);
}
