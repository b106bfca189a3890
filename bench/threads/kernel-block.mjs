// A timed block of one public kernel on 1.6e7 values (64 MB per operand), for the paired benchmarks
// (bench/threads/speedup.mjs, bench/mnist/paired.mjs): l2Penalty; addPenaltyGrad (λ1 = λ2 = 1e-6,
// into the same gradient call after call); dropout (rate 0.2, a new stream each call, no mask kept).

export const KERNEL_SIZE = 16_000_000;
export const KERNELS = ["l2Penalty", "addPenaltyGrad", "dropout"];

/**
 * Kernel `name` of the package `lib` on operands in `instance`: `block()` makes `calls` calls and
 * returns ms per call; `resultBytes()` the last result's bytes (the sum, or the buffer written).
 */
export function kernelBlock(lib, instance, name, calls) {
  if (!KERNELS.includes(name)) throw new RangeError(`kernel must be one of ${KERNELS.join(", ")}`);
  const filled = (scale) => {
    const buffer = lib.allocF32(KERNEL_SIZE, instance);
    const view = buffer.view();
    for (let i = 0; i < view.length; i++) view[i] = scale * (((i * 7919) % 2001) - 1000);
    return buffer;
  };
  const x = filled(1e-3);
  const grad = name === "addPenaltyGrad" ? filled(1e-4) : null;
  const out = name === "dropout" ? lib.allocF32(KERNEL_SIZE, instance) : null;
  const written = grad ?? out;
  let stream = 0;
  let sum = 0;
  const call = {
    l2Penalty: () => {
      sum = lib.l2Penalty(x);
    },
    addPenaltyGrad: () => lib.addPenaltyGrad(grad, x, { l1: 1e-6, l2: 1e-6 }),
    dropout: () => lib.dropout(x, { rate: 0.2, seed: 1, stream: stream++, mask: false, out }),
  }[name];
  return {
    resultBytes: () => [Buffer.from(written ? written.view().slice().buffer : new Float64Array([sum]).buffer)],
    async block() {
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) call();
      return (performance.now() - t0) / calls;
    },
  };
}
