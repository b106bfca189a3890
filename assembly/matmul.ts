// Matrix products for dense layers, row-major f32. Three forms, picked by the caller from the shape:
//   matmulRows  out = A·B (+ bias) (ReLU)  vectorised over the output columns: wide outputs
//   matmulDots  out = A·Btᵀ (+ bias) (ReLU) vectorised over the inner dimension: skinny outputs
//   matmulTN    out += Aᵀ·B                 vectorised over B's columns: weight gradients
// Every output element is summed in one fixed order that the scalar build reproduces (products
// and sums rounded separately, no FMA), so both builds give the same bits.

import { reluX4, reluScalar } from "./activation";

/** Rows of A and B per tile in matmulTN: a tile of B (≤ 128 × 2 KiB) stays in L2. */
const TILE: usize = 128;

// ---------------------------------------------------------------------------------------------
// matmulRows: out[i, j] = bias[j] + Σ_k A[i, k]·B[k, j], k ascending.

/**
 * Columns 0…n16 of `rows` (1 or 2, a constant after inlining) output rows, 16 at a time: two rows
 * share every load of B and bias (8 accumulators + 4 B vectors + 2 splats fit the 16 registers).
 */
// @ts-ignore: decorator
@inline function rowsWide(oRow: usize, aRow: usize, bPtr: usize, biasPtr: usize, k: usize, n16: usize, rowBytes: usize, relu: i32, rows: i32): void {
  const zero = f32x4.splat(0);
  const aRow1 = aRow + (k << 2), oRow1 = oRow + rowBytes;
  let j: usize = 0;
  if (j < n16) do {
    let c0 = zero, c1 = zero, c2 = zero, c3 = zero;
    if (biasPtr) {
      const bp = biasPtr + (j << 2);
      c0 = v128.load(bp); c1 = v128.load(bp, 16); c2 = v128.load(bp, 32); c3 = v128.load(bp, 48);
    }
    let d0 = c0, d1 = c1, d2 = c2, d3 = c3;
    let bp = bPtr + (j << 2);
    let kk: usize = 0;
    if (kk < k) do {
      const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32), b3 = v128.load(bp, 48);
      const s = f32x4.splat(load<f32>(aRow + (kk << 2)));
      c0 = f32x4.add(c0, f32x4.mul(s, b0));
      c1 = f32x4.add(c1, f32x4.mul(s, b1));
      c2 = f32x4.add(c2, f32x4.mul(s, b2));
      c3 = f32x4.add(c3, f32x4.mul(s, b3));
      if (rows > 1) {
        const t = f32x4.splat(load<f32>(aRow1 + (kk << 2)));
        d0 = f32x4.add(d0, f32x4.mul(t, b0));
        d1 = f32x4.add(d1, f32x4.mul(t, b1));
        d2 = f32x4.add(d2, f32x4.mul(t, b2));
        d3 = f32x4.add(d3, f32x4.mul(t, b3));
      }
      bp += rowBytes;
      kk++;
    } while (kk < k);
    const op = oRow + (j << 2);
    if (relu) { c0 = reluX4(c0, zero); c1 = reluX4(c1, zero); c2 = reluX4(c2, zero); c3 = reluX4(c3, zero); }
    v128.store(op, c0); v128.store(op, c1, 16); v128.store(op, c2, 32); v128.store(op, c3, 48);
    if (rows > 1) {
      const op1 = oRow1 + (j << 2);
      if (relu) { d0 = reluX4(d0, zero); d1 = reluX4(d1, zero); d2 = reluX4(d2, zero); d3 = reluX4(d3, zero); }
      v128.store(op1, d0); v128.store(op1, d1, 16); v128.store(op1, d2, 32); v128.store(op1, d3, 48);
    }
    j += 16;
  } while (j < n16);
}

/** Columns j0…n of one output row: 4 at a time, then one at a time (the whole row in the scalar build). */
// @ts-ignore: decorator
@inline function rowTail(oRow: usize, aRow: usize, bPtr: usize, biasPtr: usize, k: usize, n: usize, j0: usize, rowBytes: usize, relu: i32): void {
  let j = j0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    const n4 = n & ~3;
    for (; j < n4; j += 4) {
      let c0 = biasPtr ? v128.load(biasPtr + (j << 2)) : zero;
      let bp = bPtr + (j << 2);
      for (let kk: usize = 0; kk < k; kk++) {
        c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(load<f32>(aRow + (kk << 2))), v128.load(bp)));
        bp += rowBytes;
      }
      if (relu) c0 = reluX4(c0, zero);
      v128.store(oRow + (j << 2), c0);
    }
  }
  for (; j < n; j++) {
    let s: f32 = biasPtr ? load<f32>(biasPtr + (j << 2)) : 0;
    let bp = bPtr + (j << 2);
    for (let kk: usize = 0; kk < k; kk++) {
      s += load<f32>(aRow + (kk << 2)) * load<f32>(bp);
      bp += rowBytes;
    }
    store<f32>(oRow + (j << 2), relu ? reluScalar(s) : s);
  }
}

/**
 * out (m×n) = A (m×k) · B (k×n), plus bias (n) when biasPtr ≠ 0, then ReLU (x < 0 ? 0 : x) when relu ≠ 0.
 * Best when n is large: output rows are built two at a time, 16 columns at a time, from splats of A.
 */
export function matmulRows(outPtr: usize, aPtr: usize, bPtr: usize, biasPtr: usize, m: usize, k: usize, n: usize, relu: i32): void {
  const rowBytes = n << 2, aBytes = k << 2;
  const n16 = ASC_FEATURE_SIMD ? n & ~15 : 0;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 2 <= m; i += 2) {
      const oRow = outPtr + i * rowBytes, aRow = aPtr + i * aBytes;
      rowsWide(oRow, aRow, bPtr, biasPtr, k, n16, rowBytes, relu, 2);
      rowTail(oRow, aRow, bPtr, biasPtr, k, n, n16, rowBytes, relu);
      rowTail(oRow + rowBytes, aRow + aBytes, bPtr, biasPtr, k, n, n16, rowBytes, relu);
    }
  }
  for (; i < m; i++) {
    const oRow = outPtr + i * rowBytes, aRow = aPtr + i * aBytes;
    if (ASC_FEATURE_SIMD) rowsWide(oRow, aRow, bPtr, biasPtr, k, n16, rowBytes, relu, 1);
    rowTail(oRow, aRow, bPtr, biasPtr, k, n, n16, rowBytes, relu);
  }
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
    c0 = f32x4.add(c0, f32x4.mul(a, w0));
    if (rows > 1) e0 = f32x4.add(e0, f32x4.mul(a1, w0));
    if (cols > 1) {
      const w1 = v128.load(b1 + off);
      c1 = f32x4.add(c1, f32x4.mul(a, w1));
      if (rows > 1) e1 = f32x4.add(e1, f32x4.mul(a1, w1));
    }
    if (cols > 2) {
      const w2 = v128.load(b2 + off);
      c2 = f32x4.add(c2, f32x4.mul(a, w2));
      if (rows > 1) e2 = f32x4.add(e2, f32x4.mul(a1, w2));
    }
    if (cols > 3) {
      const w3 = v128.load(b3 + off);
      c3 = f32x4.add(c3, f32x4.mul(a, w3));
      if (rows > 1) e3 = f32x4.add(e3, f32x4.mul(a1, w3));
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
// matmulTN: out[p, q] = Σ_i A[i, p]·B'[i, q] and sum[q] = Σ_i B'[i, q], i ascending (a plain running
// sum per element), where B' = B, or B masked by Y > 0 (the ReLU backward fused in).

/** B at address bp (+ off), masked by Y > 0 when `masked` (Y sits at bp + yOff). */
// @ts-ignore: decorator
@inline function loadB(bp: usize, yOff: usize, off: usize, masked: bool, zero: v128): v128 {
  let b = v128.load(bp + off);
  if (masked) b = v128.and(b, f32x4.gt(v128.load(bp + yOff + off), zero));
  return b;
}

// @ts-ignore: decorator
@inline function loadBScalar(bp: usize, yOff: usize, masked: bool): f32 {
  if (!masked) return load<f32>(bp);
  const keep = -(<i32>(load<f32>(bp + yOff) > 0));
  return reinterpret<f32>(load<i32>(bp) & keep);
}

/**
 * Adds rows i0…i1 of Aᵀ·B into out rows p0…p0+pb, columns q0…q0+4·qv (pb, qv constants after
 * inlining; pb·qv ≤ 8 accumulators so that everything stays in the 16 xmm registers).
 */
// @ts-ignore: decorator
@inline function tnBlock(outPtr: usize, aPtr: usize, bPtr: usize, p: usize, q: usize, i0: usize, i1: usize, p0: usize, q0: usize, pb: i32, qv: i32): void {
  const oBytes = q << 2;
  const o0 = outPtr + p0 * oBytes + (q0 << 2), o1 = o0 + oBytes, o2 = o1 + oBytes, o3 = o2 + oBytes;
  let x00 = v128.load(o0), x01 = x00, x02 = x00, x03 = x00;
  let x10 = x00, x11 = x00, x12 = x00, x13 = x00;
  let x20 = x00, x21 = x00, x30 = x00, x31 = x00;
  if (qv > 1) x01 = v128.load(o0, 16);
  if (qv > 2) { x02 = v128.load(o0, 32); x03 = v128.load(o0, 48); }
  if (pb > 1) { x10 = v128.load(o1); if (qv > 1) x11 = v128.load(o1, 16); if (qv > 2) { x12 = v128.load(o1, 32); x13 = v128.load(o1, 48); } }
  if (pb > 2) { x20 = v128.load(o2); if (qv > 1) x21 = v128.load(o2, 16); }
  if (pb > 3) { x30 = v128.load(o3); if (qv > 1) x31 = v128.load(o3, 16); }
  let ap = aPtr + ((i0 * p + p0) << 2);
  let bp = bPtr + ((i0 * q + q0) << 2);
  const aStride = p << 2, bStride = q << 2;
  let i = i0;
  if (i < i1) do {
    const b0 = v128.load(bp);
    const b1 = qv > 1 ? v128.load(bp, 16) : b0;
    const s0 = f32x4.splat(load<f32>(ap));
    x00 = f32x4.add(x00, f32x4.mul(s0, b0));
    if (qv > 1) x01 = f32x4.add(x01, f32x4.mul(s0, b1));
    if (qv > 2) {
      const b2 = v128.load(bp, 32), b3 = v128.load(bp, 48);
      x02 = f32x4.add(x02, f32x4.mul(s0, b2));
      x03 = f32x4.add(x03, f32x4.mul(s0, b3));
      if (pb > 1) {
        const s1 = f32x4.splat(load<f32>(ap, 4));
        x10 = f32x4.add(x10, f32x4.mul(s1, b0));
        x11 = f32x4.add(x11, f32x4.mul(s1, b1));
        x12 = f32x4.add(x12, f32x4.mul(s1, b2));
        x13 = f32x4.add(x13, f32x4.mul(s1, b3));
      }
    } else {
      if (pb > 1) {
        const s1 = f32x4.splat(load<f32>(ap, 4));
        x10 = f32x4.add(x10, f32x4.mul(s1, b0));
        if (qv > 1) x11 = f32x4.add(x11, f32x4.mul(s1, b1));
      }
      if (pb > 2) {
        const s2 = f32x4.splat(load<f32>(ap, 8));
        x20 = f32x4.add(x20, f32x4.mul(s2, b0));
        if (qv > 1) x21 = f32x4.add(x21, f32x4.mul(s2, b1));
      }
      if (pb > 3) {
        const s3 = f32x4.splat(load<f32>(ap, 12));
        x30 = f32x4.add(x30, f32x4.mul(s3, b0));
        if (qv > 1) x31 = f32x4.add(x31, f32x4.mul(s3, b1));
      }
    }
    ap += aStride;
    bp += bStride;
    i++;
  } while (i < i1);
  v128.store(o0, x00);
  if (qv > 1) v128.store(o0, x01, 16);
  if (qv > 2) { v128.store(o0, x02, 32); v128.store(o0, x03, 48); }
  if (pb > 1) { v128.store(o1, x10); if (qv > 1) v128.store(o1, x11, 16); if (qv > 2) { v128.store(o1, x12, 32); v128.store(o1, x13, 48); } }
  if (pb > 2) { v128.store(o2, x20); if (qv > 1) v128.store(o2, x21, 16); }
  if (pb > 3) { v128.store(o3, x30); if (qv > 1) v128.store(o3, x31, 16); }
}

// @ts-ignore: decorator
@inline function tnScalar(outPtr: usize, aPtr: usize, bPtr: usize, p: usize, q: usize, i0: usize, i1: usize, pp: usize, qq: usize): void {
  const op = outPtr + ((pp * q + qq) << 2);
  let s = load<f32>(op);
  for (let i = i0; i < i1; i++) s += load<f32>(aPtr + ((i * p + pp) << 2)) * load<f32>(bPtr + ((i * q + qq) << 2));
  store<f32>(op, s);
}

/** One p-block of pb rows (constant) over all of q: wide chunks, then 4-wide, then scalar columns. */
// @ts-ignore: decorator
@inline function tnRows(outPtr: usize, aPtr: usize, bPtr: usize, p: usize, q: usize, i0: usize, i1: usize, p0: usize, pb: i32, qv: i32): void {
  const wide = <usize>(qv << 2);
  let q0: usize = 0;
  for (; q0 + wide <= q; q0 += wide) tnBlock(outPtr, aPtr, bPtr, p, q, i0, i1, p0, q0, pb, qv);
  for (; q0 + 4 <= q; q0 += 4) tnBlock(outPtr, aPtr, bPtr, p, q, i0, i1, p0, q0, pb, 1);
  for (; q0 < q; q0++) {
    for (let r: usize = 0; r < <usize>pb; r++) tnScalar(outPtr, aPtr, bPtr, p, q, i0, i1, p0 + r, q0);
  }
}

/** All p-blocks of one row tile. */
// @ts-ignore: decorator
@inline function tnTile(outPtr: usize, aPtr: usize, bPtr: usize, p: usize, q: usize, i0: usize, i1: usize): void {
  if (ASC_FEATURE_SIMD) {
    let p0: usize = 0;
    for (; p0 + 4 <= p; p0 += 4) tnRows(outPtr, aPtr, bPtr, p, q, i0, i1, p0, 4, 2);
    const rest = p - p0;
    if (rest == 3) tnRows(outPtr, aPtr, bPtr, p, q, i0, i1, p0, 3, 2);
    else if (rest == 2) tnRows(outPtr, aPtr, bPtr, p, q, i0, i1, p0, 2, 4);
    else if (rest == 1) tnRows(outPtr, aPtr, bPtr, p, q, i0, i1, p0, 1, 4);
  } else {
    for (let pp: usize = 0; pp < p; pp++) {
      for (let qq: usize = 0; qq < q; qq++) tnScalar(outPtr, aPtr, bPtr, p, q, i0, i1, pp, qq);
    }
  }
}

/**
 * B' = B ⊙ [Y > 0] in place over rows i0…i1, and sum[q] += Σ of those rows of B' when sumPtr ≠ 0.
 * Row by row (streaming through memory; the q sums stay in L1), so the tile is in cache for the products.
 */
// @ts-ignore: decorator
@inline function maskTile(sumPtr: usize, bPtr: usize, yOff: usize, q: usize, i0: usize, i1: usize, masked: bool): void {
  const q16 = q & ~15, q4 = q & ~3;
  for (let i = i0; i < i1; i++) {
    const row = bPtr + ((i * q) << 2);
    let j: usize = 0;
    if (ASC_FEATURE_SIMD) {
      const zero = f32x4.splat(0);
      if (j < q16) do {
        const bp = row + (j << 2), sp = sumPtr + (j << 2);
        const b0 = loadB(bp, yOff, 0, masked, zero), b1 = loadB(bp, yOff, 16, masked, zero);
        const b2 = loadB(bp, yOff, 32, masked, zero), b3 = loadB(bp, yOff, 48, masked, zero);
        if (masked) { v128.store(bp, b0); v128.store(bp, b1, 16); v128.store(bp, b2, 32); v128.store(bp, b3, 48); }
        if (sumPtr) {
          v128.store(sp, f32x4.add(v128.load(sp), b0)); v128.store(sp, f32x4.add(v128.load(sp, 16), b1), 16);
          v128.store(sp, f32x4.add(v128.load(sp, 32), b2), 32); v128.store(sp, f32x4.add(v128.load(sp, 48), b3), 48);
        }
        j += 16;
      } while (j < q16);
      for (; j < q4; j += 4) {
        const bp = row + (j << 2), sp = sumPtr + (j << 2);
        const b0 = loadB(bp, yOff, 0, masked, zero);
        if (masked) v128.store(bp, b0);
        if (sumPtr) v128.store(sp, f32x4.add(v128.load(sp), b0));
      }
    }
    for (; j < q; j++) {
      const bp = row + (j << 2), sp = sumPtr + (j << 2);
      const b = loadBScalar(bp, yOff, masked);
      if (masked) store<f32>(bp, b);
      if (sumPtr) store<f32>(sp, load<f32>(sp) + b);
    }
  }
}

/**
 * out (p×q) += Aᵀ·B' with A m×p, B m×q, and sum (q) += Σ_i B'[i, :] when sumPtr ≠ 0, where
 * B' = B ⊙ [Y > 0] when yPtr ≠ 0 (Y m×q, e.g. a ReLU's output; B is overwritten with B'), else B.
 * Accumulating, so a batch can be fed in row chunks with the same bits as one call. In a dense
 * layer: dW += Xᵀ·dZ and db += Σ dZ with dZ = dA ⊙ [A > 0], in one pass over memory; or
 * dWᵀ += dZᵀ·X. Rows go in tiles of 128: each tile is masked and summed row by row (streaming),
 * then stays in cache for the products.
 */
export function matmulTN(outPtr: usize, sumPtr: usize, aPtr: usize, bPtr: usize, yPtr: usize, m: usize, p: usize, q: usize): void {
  const yOff = yPtr - bPtr;
  for (let i0: usize = 0; i0 < m; i0 += TILE) {
    const i1 = min(i0 + TILE, m);
    if (yPtr) maskTile(sumPtr, bPtr, yOff, q, i0, i1, true);
    else if (sumPtr) maskTile(sumPtr, bPtr, yOff, q, i0, i1, false);
    tnTile(outPtr, aPtr, bPtr, p, q, i0, i1);
  }
}

// ---------------------------------------------------------------------------------------------

/** out (n) += Σ_i A[i, :] over m rows (i ascending): the bias gradient db += Σ dZ. */
export function colSums(outPtr: usize, aPtr: usize, m: usize, n: usize): void {
  const rowBytes = n << 2;
  let j: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const n16 = n & ~15, n4 = n & ~3;
    for (; j < n16; j += 16) {
      const op = outPtr + (j << 2);
      let c0 = v128.load(op), c1 = v128.load(op, 16), c2 = v128.load(op, 32), c3 = v128.load(op, 48);
      let p = aPtr + (j << 2);
      let i: usize = 0;
      if (i < m) do {
        c0 = f32x4.add(c0, v128.load(p)); c1 = f32x4.add(c1, v128.load(p, 16));
        c2 = f32x4.add(c2, v128.load(p, 32)); c3 = f32x4.add(c3, v128.load(p, 48));
        p += rowBytes;
        i++;
      } while (i < m);
      v128.store(op, c0); v128.store(op, c1, 16); v128.store(op, c2, 32); v128.store(op, c3, 48);
    }
    for (; j < n4; j += 4) {
      let c0 = v128.load(outPtr + (j << 2));
      let p = aPtr + (j << 2);
      for (let i: usize = 0; i < m; i++) { c0 = f32x4.add(c0, v128.load(p)); p += rowBytes; }
      v128.store(outPtr + (j << 2), c0);
    }
  }
  for (; j < n; j++) {
    let s = load<f32>(outPtr + (j << 2));
    let p = aPtr + (j << 2);
    for (let i: usize = 0; i < m; i++) { s += load<f32>(p); p += rowBytes; }
    store<f32>(outPtr + (j << 2), s);
  }
}

/** out (n×m) = Aᵀ for A m×n (small weight matrices; out must not overlap A). */
export function transpose(outPtr: usize, aPtr: usize, m: usize, n: usize): void {
  for (let i: usize = 0; i < m; i++) {
    for (let j: usize = 0; j < n; j++) store<f32>(outPtr + ((j * m + i) << 2), load<f32>(aPtr + ((i * n + j) << 2)));
  }
}
