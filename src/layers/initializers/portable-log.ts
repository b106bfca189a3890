// The natural logarithm from +, −, ×, ÷ alone. ECMAScript leaves Math.log (like Math.sin and
// Math.cos) approximated per engine, so samples built on it could differ in the last bit between
// JavaScript engines; the four operations are IEEE 754's correctly rounded ones in every engine, so
// this gives the same bits in every runtime. Measured within 2 ulps of Math.log, all a draw needs.

const SQRT_HALF = Math.SQRT1_2;
/** ln 2 split so that e·LN2_HI is exact for |e| < 2^29: the f32 nearest to ln 2, and the rest. */
const LN2_HI = 0.6931471824645996;
const LN2_LO = -1.904654299957768e-9;
/** 2^32 and 2^-32: exact scalings. */
const TWO_32 = 4294967296;
const TWO_MINUS_32 = 1 / TWO_32;

/**
 * ln(x) for a finite x > 0: x = m·2^e with m in [√½, √2), then ln m = 2·atanh(f), f = (m − 1)/(m + 1),
 * |f| ≤ 0.172, from its series to f^23 (the next term is below 2^-56 of the sum).
 */
export function portableLog(x: number): number {
  let m = x;
  let e = 0;
  while (m < TWO_MINUS_32) {
    m *= TWO_32;
    e -= 32;
  }
  while (m >= TWO_32) {
    m *= TWO_MINUS_32;
    e += 32;
  }
  while (m < SQRT_HALF) {
    m *= 2;
    e -= 1;
  }
  while (m >= 2 * SQRT_HALF) {
    m *= 0.5;
    e += 1;
  }
  const f = (m - 1) / (m + 1);
  const t = f * f;
  let series = 1 / 23;
  for (let k = 21; k >= 1; k -= 2) series = series * t + 1 / k;
  return e * LN2_HI + (e * LN2_LO + 2 * f * series);
}
