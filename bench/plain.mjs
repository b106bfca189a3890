// What a user writes by hand in plain JavaScript: one loop per operation over Float32Arrays, sums in
// doubles, sign by comparison, dropout from Math.random with a Float32Array mask holding 0 or 1/keep
// (the NNFS "binary mask / keep" form, which backward multiplies by). These are the "plain JS" rows.

export function l1Penalty(x) {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]);
  return sum;
}

export function l2Penalty(x) {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] * x[i];
  return sum;
}

export function penalty(x, l1, l2) {
  let abs = 0,
    sq = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    abs += Math.abs(v);
    sq += v * v;
  }
  return l1 * abs + l2 * sq;
}

/** grad += λ1·sign(x) + 2λ2·x, fused with the penalty in the same loop (the best case for plain JS). */
export function addPenaltyGrad(grad, x, l1, l2) {
  let abs = 0,
    sq = 0;
  for (let i = 0; i < x.length; i++) {
    const w = x[i];
    grad[i] += l1 * (w < 0 ? -1 : 1) + 2 * l2 * w;
    abs += Math.abs(w);
    sq += w * w;
  }
  return l1 * abs + l2 * sq;
}

export function dropoutWithMask(x, rate, out, mask) {
  const keep = 1 - rate,
    scale = 1 / keep;
  for (let i = 0; i < x.length; i++) {
    const m = Math.random() < keep ? scale : 0;
    mask[i] = m;
    out[i] = x[i] * m;
  }
  return out;
}

export function dropout(x, rate, out) {
  const keep = 1 - rate,
    scale = 1 / keep;
  for (let i = 0; i < x.length; i++) out[i] = Math.random() < keep ? x[i] * scale : 0;
  return out;
}

export function dropoutBackward(dy, mask, out) {
  for (let i = 0; i < dy.length; i++) out[i] = dy[i] * mask[i];
  return out;
}

export function randomUint32(out) {
  for (let i = 0; i < out.length; i++) out[i] = (Math.random() * 4294967296) >>> 0;
  return out;
}
