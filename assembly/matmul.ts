// Matrix products for dense layers, row-major f32. Three forms, picked by the caller from the shape:
//   matmulRows  out = A·B (+ bias) (ReLU)  vectorised over the output columns: wide outputs
//               (matmulRowsBand: the same on a band of out's columns, for cuts by column)
//   matmulDots  out = A·Btᵀ (+ bias) (ReLU) vectorised over the inner dimension: skinny outputs
//   matmulTN    out += Aᵀ·B                 vectorised over B's columns: weight gradients
// Every output element is summed in one fixed order that the scalar build reproduces (products
// and sums rounded separately, no FMA), so both builds give the same bits; how the work is cut into
// blocks, panels or parts (threads) never changes that order. The relaxed-SIMD build alone fuses
// each product into its sum (f32x4.relaxed_madd): faster, not bit-reproducible across machines.

import { reluX4, reluScalar } from "./activation";

/** acc + x·y: a rounded product then a rounded sum, or one fused step in the relaxed-SIMD build. */
// @ts-ignore: decorator
@inline function mulAdd(acc: v128, x: v128, y: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(x, y, acc);
  return f32x4.add(acc, f32x4.mul(x, y));
}

/** Rows per register block of matmulRows' 16-column panels. */
const ROWS_MR: i32 = 2;
/** Rows of B per pass of the column panels (the inner dimension in blocks). */
const KC: usize = 256;
/** Vectors (4 columns each) per register block of matmulRows: its panel width. */
const ROWS_NV: i32 = 4;

/**
 * The register block of every product: mr output rows (stride oRow from o) × nv vectors of 4 columns,
 * acc[r][v] = start + Σ_{t < len} A_r[t] · B_t[v], t ascending, each product and sum rounded (one
 * fused step in the relaxed build). A_r[t] is the f32 at a + r·aRow + t·aStep; B_t[v] the 4 floats at
 * b + t·bStep + 16·v; start is the row of `init` (init + r·initRow; bias rows: initRow 0), or 0 when
 * init is 0. mr, nv and relu are constants after inlining; mr·nv accumulators + nv operands + a splat
 * stay within V8's 15 allocatable xmm registers.
 */
// @ts-ignore: decorator
@inline function block(o: usize, oRow: usize, init: usize, initRow: usize, a: usize, aRow: usize, aStep: usize, b: usize, bStep: usize, len: usize, relu: i32, mr: i32, nv: i32): void {
  const zero = f32x4.splat(0);
  let c00 = zero, c01 = zero, c02 = zero, c03 = zero;
  let c10 = zero, c11 = zero, c12 = zero, c13 = zero;
  let c20 = zero, c21 = zero, c22 = zero, c23 = zero;
  let c30 = zero, c31 = zero, c32 = zero, c33 = zero;
  let c40 = zero, c41 = zero, c42 = zero, c43 = zero;
  let c50 = zero, c51 = zero, c52 = zero, c53 = zero;
  if (init) {
    { const p0 = init; c00 = v128.load(p0); if (nv > 1) c01 = v128.load(p0, 16); if (nv > 2) c02 = v128.load(p0, 32); if (nv > 3) c03 = v128.load(p0, 48); }
    if (mr > 1) { const p1 = init + 1 * initRow; c10 = v128.load(p1); if (nv > 1) c11 = v128.load(p1, 16); if (nv > 2) c12 = v128.load(p1, 32); if (nv > 3) c13 = v128.load(p1, 48); }
    if (mr > 2) { const p2 = init + 2 * initRow; c20 = v128.load(p2); if (nv > 1) c21 = v128.load(p2, 16); if (nv > 2) c22 = v128.load(p2, 32); if (nv > 3) c23 = v128.load(p2, 48); }
    if (mr > 3) { const p3 = init + 3 * initRow; c30 = v128.load(p3); if (nv > 1) c31 = v128.load(p3, 16); if (nv > 2) c32 = v128.load(p3, 32); if (nv > 3) c33 = v128.load(p3, 48); }
    if (mr > 4) { const p4 = init + 4 * initRow; c40 = v128.load(p4); if (nv > 1) c41 = v128.load(p4, 16); if (nv > 2) c42 = v128.load(p4, 32); if (nv > 3) c43 = v128.load(p4, 48); }
    if (mr > 5) { const p5 = init + 5 * initRow; c50 = v128.load(p5); if (nv > 1) c51 = v128.load(p5, 16); if (nv > 2) c52 = v128.load(p5, 32); if (nv > 3) c53 = v128.load(p5, 48); }
  }
  let ap = a, bp = b;
  let t: usize = 0;
  if (t < len) do {
    const b0 = v128.load(bp);
    const b1 = nv > 1 ? v128.load(bp, 16) : zero;
    const b2 = nv > 2 ? v128.load(bp, 32) : zero;
    const b3 = nv > 3 ? v128.load(bp, 48) : zero;
    { const s0 = v128.load32_splat(ap); c00 = mulAdd(c00, s0, b0); if (nv > 1) c01 = mulAdd(c01, s0, b1); if (nv > 2) c02 = mulAdd(c02, s0, b2); if (nv > 3) c03 = mulAdd(c03, s0, b3); }
    if (mr > 1) { const s1 = v128.load32_splat(ap + 1 * aRow); c10 = mulAdd(c10, s1, b0); if (nv > 1) c11 = mulAdd(c11, s1, b1); if (nv > 2) c12 = mulAdd(c12, s1, b2); if (nv > 3) c13 = mulAdd(c13, s1, b3); }
    if (mr > 2) { const s2 = v128.load32_splat(ap + 2 * aRow); c20 = mulAdd(c20, s2, b0); if (nv > 1) c21 = mulAdd(c21, s2, b1); if (nv > 2) c22 = mulAdd(c22, s2, b2); if (nv > 3) c23 = mulAdd(c23, s2, b3); }
    if (mr > 3) { const s3 = v128.load32_splat(ap + 3 * aRow); c30 = mulAdd(c30, s3, b0); if (nv > 1) c31 = mulAdd(c31, s3, b1); if (nv > 2) c32 = mulAdd(c32, s3, b2); if (nv > 3) c33 = mulAdd(c33, s3, b3); }
    if (mr > 4) { const s4 = v128.load32_splat(ap + 4 * aRow); c40 = mulAdd(c40, s4, b0); if (nv > 1) c41 = mulAdd(c41, s4, b1); if (nv > 2) c42 = mulAdd(c42, s4, b2); if (nv > 3) c43 = mulAdd(c43, s4, b3); }
    if (mr > 5) { const s5 = v128.load32_splat(ap + 5 * aRow); c50 = mulAdd(c50, s5, b0); if (nv > 1) c51 = mulAdd(c51, s5, b1); if (nv > 2) c52 = mulAdd(c52, s5, b2); if (nv > 3) c53 = mulAdd(c53, s5, b3); }
    ap += aStep;
    bp += bStep;
    t++;
  } while (t < len);
  if (relu) {
    { c00 = reluX4(c00, zero); if (nv > 1) c01 = reluX4(c01, zero); if (nv > 2) c02 = reluX4(c02, zero); if (nv > 3) c03 = reluX4(c03, zero); }
    if (mr > 1) { c10 = reluX4(c10, zero); if (nv > 1) c11 = reluX4(c11, zero); if (nv > 2) c12 = reluX4(c12, zero); if (nv > 3) c13 = reluX4(c13, zero); }
    if (mr > 2) { c20 = reluX4(c20, zero); if (nv > 1) c21 = reluX4(c21, zero); if (nv > 2) c22 = reluX4(c22, zero); if (nv > 3) c23 = reluX4(c23, zero); }
    if (mr > 3) { c30 = reluX4(c30, zero); if (nv > 1) c31 = reluX4(c31, zero); if (nv > 2) c32 = reluX4(c32, zero); if (nv > 3) c33 = reluX4(c33, zero); }
    if (mr > 4) { c40 = reluX4(c40, zero); if (nv > 1) c41 = reluX4(c41, zero); if (nv > 2) c42 = reluX4(c42, zero); if (nv > 3) c43 = reluX4(c43, zero); }
    if (mr > 5) { c50 = reluX4(c50, zero); if (nv > 1) c51 = reluX4(c51, zero); if (nv > 2) c52 = reluX4(c52, zero); if (nv > 3) c53 = reluX4(c53, zero); }
  }
  { const q0 = o; v128.store(q0, c00); if (nv > 1) v128.store(q0, c01, 16); if (nv > 2) v128.store(q0, c02, 32); if (nv > 3) v128.store(q0, c03, 48); }
  if (mr > 1) { const q1 = o + 1 * oRow; v128.store(q1, c10); if (nv > 1) v128.store(q1, c11, 16); if (nv > 2) v128.store(q1, c12, 32); if (nv > 3) v128.store(q1, c13, 48); }
  if (mr > 2) { const q2 = o + 2 * oRow; v128.store(q2, c20); if (nv > 1) v128.store(q2, c21, 16); if (nv > 2) v128.store(q2, c22, 32); if (nv > 3) v128.store(q2, c23, 48); }
  if (mr > 3) { const q3 = o + 3 * oRow; v128.store(q3, c30); if (nv > 1) v128.store(q3, c31, 16); if (nv > 2) v128.store(q3, c32, 32); if (nv > 3) v128.store(q3, c33, 48); }
  if (mr > 4) { const q4 = o + 4 * oRow; v128.store(q4, c40); if (nv > 1) v128.store(q4, c41, 16); if (nv > 2) v128.store(q4, c42, 32); if (nv > 3) v128.store(q4, c43, 48); }
  if (mr > 5) { const q5 = o + 5 * oRow; v128.store(q5, c50); if (nv > 1) v128.store(q5, c51, 16); if (nv > 2) v128.store(q5, c52, 32); if (nv > 3) v128.store(q5, c53, 48); }
}

// ---------------------------------------------------------------------------------------------
// matmulRows and matmulTN: out[i, j] = start[i, j] + Σ_k A[i, k]·B[k, j], k ascending, where start
// is the bias row (matmulRows), 0 (no bias), or out itself (matmulTN, accumulating).

/** Rows 0…m of the columns j…j+4·nv: mr rows at a time, then one at a time (mr, nv constants). */
// @ts-ignore: decorator
@inline function rowsPanel(outPtr: usize, aPtr: usize, bPtr: usize, initPtr: usize, initRow: usize, m: usize, k: usize, j: usize, rowBytes: usize, aBytes: usize, relu: i32, mr: i32, nv: i32): void {
  const col = j << 2;
  const init = initPtr ? initPtr + col : 0;
  const step = <usize>mr;
  let i: usize = 0;
  if (i + step <= m) do {
    block(outPtr + i * rowBytes + col, rowBytes, init + i * initRow, initRow, aPtr + i * aBytes, aBytes, 4, bPtr + col, rowBytes, k, relu, mr, nv);
    i += step;
  } while (i + step <= m);
  for (; i < m; i++) block(outPtr + i * rowBytes + col, rowBytes, init + i * initRow, initRow, aPtr + i * aBytes, aBytes, 4, bPtr + col, rowBytes, k, relu, 1, nv);
}

/** Inner lengths up to which rowsForm sweeps row pairs across all panels instead of panels down all rows. */
const SHORT_K: usize = 64;

/** Rows i…i+mr−1 of every 4-column vector of out (the multiple-of-4 prefix), 16 columns at a time. */
// @ts-ignore: decorator
@inline function rowsSweep(outPtr: usize, aPtr: usize, bPtr: usize, initPtr: usize, initRow: usize, i: usize, k: usize, n: usize, rowBytes: usize, aBytes: usize, relu: i32, mr: i32): void {
  const wide = <usize>(ROWS_NV << 2), n4 = n & ~3;
  const o = outPtr + i * rowBytes, a = aPtr + i * aBytes;
  const init = initPtr ? initPtr + i * initRow : 0;
  let j: usize = 0;
  for (; j + wide <= n; j += wide) block(o + (j << 2), rowBytes, init ? init + (j << 2) : 0, initRow, a, aBytes, 4, bPtr + (j << 2), rowBytes, k, relu, mr, ROWS_NV);
  for (; j < n4; j += 4) block(o + (j << 2), rowBytes, init ? init + (j << 2) : 0, initRow, a, aBytes, 4, bPtr + (j << 2), rowBytes, k, relu, mr, 1);
}

/**
 * out (m×n) = start + A (m×k) · B (k×n), then ReLU when relu ≠ 0, where the rows of out and B lie ld
 * floats apart (ld = n, or more for a band of wider matrices); start row i at initPtr + i·initRow
 * (initRow 0: a bias row), or 0 when initPtr is 0. B in blocks of KC rows; in each, column panels
 * outer, so that one panel of B (KC × 64 bytes) serves every row pair from cache, or, for a block of at
 * most SHORT_K rows, row pairs outer, each sweeping every panel; 2 rows × 16 columns per register block.
 */
// @ts-ignore: decorator
@inline function rowsForm(outPtr: usize, aPtr: usize, bPtr: usize, initPtr: usize, initRow: usize, m: usize, k: usize, n: usize, ld: usize, relu: i32): void {
  const rowBytes = ld << 2, aBytes = k << 2;
  let j: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const wide = <usize>(ROWS_NV << 2), n4 = n & ~3;
    // KC rows of B at a time: the running sums pass through out (f32, exact) between blocks
    let k0: usize = 0;
    do {
      const kc = min(KC, k - k0);
      const first = k0 == 0, last = k0 + kc >= k;
      const init = first ? initPtr : outPtr, initR = first ? initRow : rowBytes, r = last ? relu : 0;
      const a = aPtr + (k0 << 2), b = bPtr + k0 * rowBytes;
      j = 0;
      if (kc <= SHORT_K) {
        // a short inner dimension: B's kc rows stay in L2, and each row pair sweeps every panel, so
        // that out (which the weight gradients read and write whole) streams in order
        let i: usize = 0;
        for (; i + <usize>ROWS_MR <= m; i += <usize>ROWS_MR) rowsSweep(outPtr, a, b, init, initR, i, kc, n, rowBytes, aBytes, r, ROWS_MR);
        for (; i < m; i++) rowsSweep(outPtr, a, b, init, initR, i, kc, n, rowBytes, aBytes, r, 1);
        j = n4;
      } else {
        for (; j + wide <= n; j += wide) rowsPanel(outPtr, a, b, init, initR, m, kc, j, rowBytes, aBytes, r, ROWS_MR, ROWS_NV);
        for (; j < n4; j += 4) rowsPanel(outPtr, a, b, init, initR, m, kc, j, rowBytes, aBytes, r, 4, 1);
      }
      k0 += kc;
    } while (k0 < k);
  }
  for (; j < n; j++) {
    for (let i: usize = 0; i < m; i++) {
      const aRow = aPtr + i * aBytes;
      let s: f32 = initPtr ? load<f32>(initPtr + i * initRow + (j << 2)) : 0;
      let bp = bPtr + (j << 2);
      for (let kk: usize = 0; kk < k; kk++) {
        s += load<f32>(aRow + (kk << 2)) * load<f32>(bp);
        bp += rowBytes;
      }
      store<f32>(outPtr + i * rowBytes + (j << 2), relu ? reluScalar(s) : s);
    }
  }
}

/**
 * out (m×n) = A (m×k) · B (k×n), plus bias (n) when biasPtr ≠ 0, then ReLU (x < 0 ? 0 : x) when relu ≠ 0.
 * Best when n is large. A row range is a valid call (out and A offset by whole rows).
 */
export function matmulRows(outPtr: usize, aPtr: usize, bPtr: usize, biasPtr: usize, m: usize, k: usize, n: usize, relu: i32): void {
  rowsForm(outPtr, aPtr, bPtr, biasPtr, 0, m, k, n, n, relu);
}

/**
 * matmulRows on a band of n columns of an out and a B whose rows hold ld floats (out, B and the bias
 * offset to the band's first column): each element has the bits of the whole product's, so a product
 * can be cut into column bands that start at multiples of 16 (a panel).
 */
export function matmulRowsBand(outPtr: usize, aPtr: usize, bPtr: usize, biasPtr: usize, m: usize, k: usize, n: usize, ld: usize, relu: i32): void {
  rowsForm(outPtr, aPtr, bPtr, biasPtr, 0, m, k, n, ld, relu);
}

/**
 * out (p×q) += Aᵀ·B for A m×p, given transposed (At p×m, see transpose), and B m×q: each element
 * a running sum over i ascending from its current value, so a batch can also be fed in row chunks
 * (of At's columns and B's rows) with the same bits as one call; with accumulate = 0 the sums start
 * from 0 instead and out is only written (a batch's first chunk: nothing has to zero out first, the
 * same bits as zeroing it, since 0 + x = x). A range of out rows is a valid call
 * (out and At offset by whole rows). In a dense layer: dW += Xᵀ·dZ, or dWᵀ += dZᵀ·X for narrow
 * outputs (the ReLU mask and the bias sums go first, in colSums). Reading At row by row keeps the
 * splatted operand contiguous: A's columns would be strided by p floats (cache-set conflicts at 2ⁿ).
 */
export function matmulTN(outPtr: usize, atPtr: usize, bPtr: usize, m: usize, p: usize, q: usize, accumulate: i32): void {
  // no start row either unless accumulating: rows of a null start would be read at 0 + i·initRow
  rowsForm(outPtr, atPtr, bPtr, accumulate ? outPtr : 0, accumulate ? q << 2 : 0, p, m, q, q, 0);
}

// ---------------------------------------------------------------------------------------------
// matmulDots: out[i, j] = bias[j] + dot(A[i, :], Bt[j, :]). The dot sums 4 lanes (lane l takes
// k ≡ l mod 4 over the multiple-of-4 prefix, ascending), folds (l0 + l1) + (l2 + l3), then adds the
// k tail in order, then the bias.

// @ts-ignore: decorator
@inline function foldX4(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Scalar twin of one lane-structured dot: 4 partial sums over the multiple-of-4 prefix. */
// @ts-ignore: decorator
@inline function dotScalar(aRow: usize, bRow: usize, k4: usize, k: usize): f32 {
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
  for (let kk: usize = 0; kk < k4; kk += 4) {
    const a = aRow + (kk << 2), b = bRow + (kk << 2);
    s0 += load<f32>(a) * load<f32>(b);
    s1 += load<f32>(a, 4) * load<f32>(b, 4);
    s2 += load<f32>(a, 8) * load<f32>(b, 8);
    s3 += load<f32>(a, 12) * load<f32>(b, 12);
  }
  let s = (s0 + s1) + (s2 + s3);
  for (let kk = k4; kk < k; kk++) s += load<f32>(aRow + (kk << 2)) * load<f32>(bRow + (kk << 2));
  return s;
}

// @ts-ignore: decorator
@inline function dotTail(s: f32, aRow: usize, bRow: usize, k4: usize, k: usize): f32 {
  for (let kk = k4; kk < k; kk++) s += load<f32>(aRow + (kk << 2)) * load<f32>(bRow + (kk << 2));
  return s;
}

// @ts-ignore: decorator
@inline function finish(oRow: usize, j: usize, s: f32, biasPtr: usize, relu: i32): void {
  if (biasPtr) s += load<f32>(biasPtr + (j << 2));
  store<f32>(oRow + (j << 2), relu ? reluScalar(s) : s);
}

/**
 * `cols` (1–4) dot products of `rows` (1–2) A rows with consecutive Bt rows j…, sharing every load
 * (both constants after inlining): up to 8 independent accumulators hide the add latency.
 */
// @ts-ignore: decorator
@inline function dotCols(oRow: usize, aRow: usize, btPtr: usize, j: usize, k: usize, n: usize, biasPtr: usize, relu: i32, cols: i32, rows: i32): void {
  const k4 = k & ~3;
  const rowBytes = k << 2;
  const aRow1 = aRow + rowBytes, oRow1 = oRow + (n << 2);
  const b0 = btPtr + j * rowBytes, b1 = b0 + rowBytes, b2 = b1 + rowBytes, b3 = b2 + rowBytes;
  let kk: usize = 0;
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0;
  let e0 = c0, e1 = c0, e2 = c0, e3 = c0;
  if (kk < k4) do {
    const off = kk << 2;
    const a = v128.load(aRow + off);
    const a1 = rows > 1 ? v128.load(aRow1 + off) : a;
    const w0 = v128.load(b0 + off);
    c0 = mulAdd(c0, a, w0);
    if (rows > 1) e0 = mulAdd(e0, a1, w0);
    if (cols > 1) {
      const w1 = v128.load(b1 + off);
      c1 = mulAdd(c1, a, w1);
      if (rows > 1) e1 = mulAdd(e1, a1, w1);
    }
    if (cols > 2) {
      const w2 = v128.load(b2 + off);
      c2 = mulAdd(c2, a, w2);
      if (rows > 1) e2 = mulAdd(e2, a1, w2);
    }
    if (cols > 3) {
      const w3 = v128.load(b3 + off);
      c3 = mulAdd(c3, a, w3);
      if (rows > 1) e3 = mulAdd(e3, a1, w3);
    }
    kk += 4;
  } while (kk < k4);
  finish(oRow, j, dotTail(foldX4(c0), aRow, b0, k4, k), biasPtr, relu);
  if (cols > 1) finish(oRow, j + 1, dotTail(foldX4(c1), aRow, b1, k4, k), biasPtr, relu);
  if (cols > 2) finish(oRow, j + 2, dotTail(foldX4(c2), aRow, b2, k4, k), biasPtr, relu);
  if (cols > 3) finish(oRow, j + 3, dotTail(foldX4(c3), aRow, b3, k4, k), biasPtr, relu);
  if (rows > 1) {
    finish(oRow1, j, dotTail(foldX4(e0), aRow1, b0, k4, k), biasPtr, relu);
    if (cols > 1) finish(oRow1, j + 1, dotTail(foldX4(e1), aRow1, b1, k4, k), biasPtr, relu);
    if (cols > 2) finish(oRow1, j + 2, dotTail(foldX4(e2), aRow1, b2, k4, k), biasPtr, relu);
    if (cols > 3) finish(oRow1, j + 3, dotTail(foldX4(e3), aRow1, b3, k4, k), biasPtr, relu);
  }
}

/** All columns of `rows` (1–2, constant) output rows, 4 dot products at a time. */
// @ts-ignore: decorator
@inline function dotRows(oRow: usize, aRow: usize, btPtr: usize, k: usize, n: usize, biasPtr: usize, relu: i32, rows: i32): void {
  let j: usize = 0;
  for (; j + 4 <= n; j += 4) dotCols(oRow, aRow, btPtr, j, k, n, biasPtr, relu, 4, rows);
  const rest = n - j;
  if (rest == 3) dotCols(oRow, aRow, btPtr, j, k, n, biasPtr, relu, 3, rows);
  else if (rest == 2) dotCols(oRow, aRow, btPtr, j, k, n, biasPtr, relu, 2, rows);
  else if (rest == 1) dotCols(oRow, aRow, btPtr, j, k, n, biasPtr, relu, 1, rows);
}

/**
 * out (m×n) = A (m×k) · Btᵀ where Bt is n×k (B stored transposed), plus bias, then ReLU if relu ≠ 0.
 * Best when n is small and k large: dot products over contiguous rows, 2 rows × 4 columns per pass.
 */
export function matmulDots(outPtr: usize, aPtr: usize, btPtr: usize, biasPtr: usize, m: usize, k: usize, n: usize, relu: i32): void {
  const k4 = k & ~3;
  const aBytes = k << 2, oBytes = n << 2;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= m; i += 2) dotRows(outPtr + i * oBytes, aPtr + i * aBytes, btPtr, k, n, biasPtr, relu, 2);
    if (i < m) dotRows(outPtr + i * oBytes, aPtr + i * aBytes, btPtr, k, n, biasPtr, relu, 1);
  } else {
    for (; i < m; i++) {
      const aRow = aPtr + i * aBytes, oRow = outPtr + i * oBytes;
      for (let j: usize = 0; j < n; j++) finish(oRow, j, dotScalar(aRow, btPtr + j * aBytes, k4, k), biasPtr, relu);
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** B at address bp, masked by Y > 0 (Y sits at bp + yOff) when `masked`. */
// @ts-ignore: decorator
@inline function loadB(bp: usize, yOff: usize, masked: bool, zero: v128): v128 {
  let b = v128.load(bp);
  if (masked) b = v128.and(b, f32x4.gt(v128.load(bp + yOff), zero));
  return b;
}

// @ts-ignore: decorator
@inline function loadBScalar(bp: usize, yOff: usize, masked: bool): f32 {
  if (!masked) return load<f32>(bp);
  const keep = -(<i32>(load<f32>(bp + yOff) > 0));
  return reinterpret<f32>(load<i32>(bp) & keep);
}

/** Columns j0…j1 of colSums, 4·nv at a time (nv constant, the mask too). */
// @ts-ignore: decorator
@inline function sumColumns(outPtr: usize, aPtr: usize, yOff: usize, m: usize, rowBytes: usize, j: usize, masked: bool, nv: i32): void {
  const op = outPtr + (j << 2);
  const zero = f32x4.splat(0);
  let c0 = v128.load(op), c1 = zero, c2 = zero, c3 = zero;
  if (nv > 1) { c1 = v128.load(op, 16); c2 = v128.load(op, 32); c3 = v128.load(op, 48); }
  let p = aPtr + (j << 2);
  let i: usize = 0;
  if (i < m) do {
    const b0 = loadB(p, yOff, masked, zero);
    c0 = f32x4.add(c0, b0);
    if (masked) v128.store(p, b0);
    if (nv > 1) {
      const b1 = loadB(p + 16, yOff, masked, zero), b2 = loadB(p + 32, yOff, masked, zero), b3 = loadB(p + 48, yOff, masked, zero);
      c1 = f32x4.add(c1, b1); c2 = f32x4.add(c2, b2); c3 = f32x4.add(c3, b3);
      if (masked) { v128.store(p, b1, 16); v128.store(p, b2, 32); v128.store(p, b3, 48); }
    }
    p += rowBytes;
    i++;
  } while (i < m);
  v128.store(op, c0);
  if (nv > 1) { v128.store(op, c1, 16); v128.store(op, c2, 32); v128.store(op, c3, 48); }
}

/**
 * out[j] += Σ_i A'[i, j] (i ascending) for the columns j0…j1 of A (m×n): the bias gradient db += Σ dZ.
 * A' = A ⊙ [Y > 0] written back into A when yPtr ≠ 0 (Y m×n, a ReLU's output: the fused ReLU
 * backward), else A. Columns are independent, so threads can take disjoint column ranges.
 */
export function colSums(outPtr: usize, aPtr: usize, yPtr: usize, m: usize, n: usize, j0: usize, j1: usize): void {
  const rowBytes = n << 2, yOff = yPtr - aPtr;
  let j = j0;
  if (ASC_FEATURE_SIMD) {
    if (yPtr) {
      for (; j + 16 <= j1; j += 16) sumColumns(outPtr, aPtr, yOff, m, rowBytes, j, true, 4);
      for (; j + 4 <= j1; j += 4) sumColumns(outPtr, aPtr, yOff, m, rowBytes, j, true, 1);
    } else {
      for (; j + 16 <= j1; j += 16) sumColumns(outPtr, aPtr, yOff, m, rowBytes, j, false, 4);
      for (; j + 4 <= j1; j += 4) sumColumns(outPtr, aPtr, yOff, m, rowBytes, j, false, 1);
    }
  }
  for (; j < j1; j++) {
    let s = load<f32>(outPtr + (j << 2));
    let p = aPtr + (j << 2);
    for (let i: usize = 0; i < m; i++) {
      const b = loadBScalar(p, yOff, yPtr != 0);
      if (yPtr) store<f32>(p, b);
      s += b;
      p += rowBytes;
    }
    store<f32>(outPtr + (j << 2), s);
  }
}

/** The 4×4 block at A[i…i+4, j…j+4] (row stride aRow) into out[j…j+4, i…i+4] (row stride oRow). */
// @ts-ignore: decorator
@inline function transpose4(o: usize, oRow: usize, a: usize, aRow: usize): void {
  const r0 = v128.load(a), r1 = v128.load(a + aRow), r2 = v128.load(a + 2 * aRow), r3 = v128.load(a + 3 * aRow);
  const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
  v128.store(o, v128.shuffle<i64>(t0, t1, 0, 2));
  v128.store(o + oRow, v128.shuffle<i64>(t0, t1, 1, 3));
  v128.store(o + 2 * oRow, v128.shuffle<i64>(t2, t3, 0, 2));
  v128.store(o + 3 * oRow, v128.shuffle<i64>(t2, t3, 1, 3));
}

/**
 * out (n×m) = Aᵀ for A m×n, the out rows j0…j1 only (out must not overlap A). Strips of 16 out rows
 * are filled by 4×4 blocks walking down A, so each A cache line is read once and the 16 out lines
 * being written stay in L1.
 */
export function transpose(outPtr: usize, aPtr: usize, m: usize, n: usize, j0: usize, j1: usize): void {
  const aRow = n << 2, oRow = m << 2;
  let j = j0;
  if (ASC_FEATURE_SIMD) {
    const m4 = m & ~3;
    for (; j + 16 <= j1; j += 16) {
      for (let i: usize = 0; i < m4; i += 4) {
        const a = aPtr + ((i * n + j) << 2), o = outPtr + ((j * m + i) << 2);
        transpose4(o, oRow, a, aRow);
        transpose4(o + 4 * oRow, oRow, a + 16, aRow);
        transpose4(o + 8 * oRow, oRow, a + 32, aRow);
        transpose4(o + 12 * oRow, oRow, a + 48, aRow);
      }
      for (let jj = j; jj < j + 16; jj++) {
        for (let i = m4; i < m; i++) store<f32>(outPtr + ((jj * m + i) << 2), load<f32>(aPtr + ((i * n + jj) << 2)));
      }
    }
    for (; j + 4 <= j1; j += 4) {
      for (let i: usize = 0; i < m4; i += 4) transpose4(outPtr + ((j * m + i) << 2), oRow, aPtr + ((i * n + j) << 2), aRow);
      for (let jj = j; jj < j + 4; jj++) {
        for (let i = m4; i < m; i++) store<f32>(outPtr + ((jj * m + i) << 2), load<f32>(aPtr + ((i * n + jj) << 2)));
      }
    }
  }
  for (; j < j1; j++) {
    for (let i: usize = 0; i < m; i++) store<f32>(outPtr + ((j * m + i) << 2), load<f32>(aPtr + ((i * n + j) << 2)));
  }
}
