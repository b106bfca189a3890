// The dropout family's kernels give the same bits in the SIMD and the scalar build (Box–Muller,
// expm1 and the broadcast mask run the same f64/f32 operations in both), on lengths around the SIMD
// edges and across copy windows; also in Chromium (this folder runs there too).
import { beforeAll, describe, expect, it } from "vitest";
import { dropout, dropoutBackward, gaussianDropout, gaussianNoise, randomNormal } from "../../src/index.js";
import { seluBackward, seluForward } from "../../src/kernels/activation.js";
import { applyNoiseMaskUnchecked, dropoutMaskUnchecked } from "../../src/kernels/noise-mask.js";
import { noiseLayout } from "../../src/kernels/noise-shape.js";
import { maskWords } from "../../src/kernels/dropout.js";
import { alphaDropoutConstants } from "../../src/layers/alpha-dropout.js";
import { allocU32 } from "../../src/wasm/buffer.js";
import { Matrix } from "../../src/wasm/matrix.js";
import { describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds, onBoth, put } from "./support/builds.js";
import { EDGE_LENGTHS, normalF32 } from "./support/data.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

const LENGTHS = [...EDGE_LENGTHS, 33, 65536 * 2 + 37];
const EDGES = [0, -0, 1e-45, -1e-45, -1e-8, 1e-8, -20, -88, -104, 88, 3.4e38, -3.4e38, NaN, Infinity, -Infinity];

function withEdges(n: number, seed: number): Float32Array {
  const x = normalF32(n, seed);
  for (let i = 0; i < n; i += 5) x[i] = EDGES[(i / 5) % EDGES.length];
  return x;
}

describe("SIMD == scalar for the dropout family", () => {
  for (const n of LENGTHS) {
    it(`n = ${n}: randomNormal, gaussianNoise, gaussianDropout, selu`, () => {
      const x = withEdges(n, n + 1);
      const nanEqual = (a: Float32Array, b: Float32Array) => expect(describeDifference(a, b, true)).toBe("identical");
      const both = (run: (inst: Builds["tested"]) => Float32Array) => {
        const a = run(builds.tested);
        nanEqual(a, run(builds.other));
      };
      both((inst) =>
        randomNormal(put(inst, new Float32Array(n)), { seed: 5, stream: 2, offset: 1 })
          .view()
          .slice(),
      );
      both((inst) => gaussianNoise(put(inst, x), { stddev: 0.7, seed: 5, stream: 2 }).view().slice());
      both((inst) => gaussianDropout(put(inst, x), { rate: 0.3, seed: 5, stream: 2 }).view().slice());
      both((inst) => {
        const m = new Matrix(put(inst, x), 1, n);
        seluForward(m, m);
        return m.toArray();
      });
      both((inst) => {
        const y = new Matrix(put(inst, x), 1, n);
        const dy = new Matrix(put(inst, normalF32(n, 3)), 1, n);
        seluBackward(dy, dy, y);
        return dy.toArray();
      });
    });
  }

  it("dropout with noise shapes (broadcast runs of 1 to 100 elements), forward and backward", () => {
    for (const [shape, noiseShape] of [
      [
        [7, 100, 3],
        [null, 1, null],
      ],
      [
        [7, 3, 100],
        [null, null, 1],
      ],
      [
        [3, 5, 9, 11],
        [1, null, 1, null],
      ],
    ] as const) {
      const n = shape.reduce((a: number, b: number) => a * b, 1);
      const x = withEdges(n, 4);
      onBoth(builds, (inst) => dropout(put(inst, x), { rate: 0.35, seed: 3, noiseShape, shape }).output.view().slice());
      onBoth(builds, (inst) =>
        dropoutBackward(put(inst, x), { rate: 0.35, seed: 3, noiseShape, shape }).view().slice(),
      );
    }
  });

  it("alpha dropout's affine apply (a·x + b kept, a constant dropped), one bit per element and broadcast", () => {
    const { a, b, dropped } = alphaDropoutConstants(0.3);
    for (const [shape, noiseShape] of [
      [[1037], [null]],
      [
        [9, 130],
        [null, 1],
      ],
      [
        [9, 130],
        [1, null],
      ],
    ] as const) {
      const layout = noiseLayout([...shape], [...noiseShape]);
      const n = shape.reduce((p: number, q: number) => p * q, 1);
      const x = withEdges(n, 8);
      onBoth(builds, (inst) => {
        const mask = allocU32(maskWords(layout.noiseLength), inst);
        dropoutMaskUnchecked(inst, mask, layout.noiseLength, 0.3, [7, 0, 2, 5]);
        const out = put(inst, x);
        applyNoiseMaskUnchecked(inst, out, out, mask, layout, a, b, dropped);
        mask.free();
        return out.view().slice();
      });
    }
  });
});
