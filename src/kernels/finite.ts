// The finiteness check (assembly/finite.ts) on buffers already in WASM memory. Internal: the training
// loop calls it on every gradient before an update is applied.
import type { F32Buffer } from "../wasm/buffer.js";

/** Whether every value of buf is finite (no NaN, no ±∞). */
export function allFinite(buf: F32Buffer): boolean {
  return buf.instance.kernels.allFinite(buf.ptr, buf.length) === 1;
}
