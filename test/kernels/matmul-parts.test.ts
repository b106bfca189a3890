// The product kernels cut into parts (what threads will run): matmulRows and matmulDots by output
// rows, matmulRowsBand by output columns, matmulTN by output rows, colSums (with its in-place ReLU
// mask) and transpose by columns.
// Any cut, even one that splits the kernels' register blocks and panels, must give the same bits as
// one call; so must the src/kernels/matmul.ts wrappers with more threads than one.
import { beforeAll, describe, expect, it } from "vitest";
import { affineForward, denseGrads, inputGrad, transpose } from "../../src/kernels/matmul.js";
import { allocF32, type Instance } from "../../src/index.js";
import { allocMatrix } from "../../src/wasm/matrix.js";
import { partition, type Range } from "../../src/wasm/partition.js";
import { describeDifference } from "./support/bits.js";
import { type Builds, loadBuilds, put } from "./support/builds.js";
import { uniformF32 as uniform } from "./support/data.js";
import { refTranspose } from "./support/layer-reference.js";

let builds: Builds;
beforeAll(async () => {
  builds = await loadBuilds();
});

const PARTS = [2, 3, 7];

function concat(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((total, x) => total + x.length, 0));
  let at = 0;
  for (const x of arrays) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}
/** Cuts of [0, total): even ones on the wrappers' boundaries (16) and odd ones (any unit). */
function cuts(total: number): Range[][] {
  return PARTS.flatMap((parts) => [partition(total, parts, 1, 1), partition(total, parts, 16, 1)]);
}

/**
 * [m, k, n]: odd rows, panels of 16 plus a 4-wide and a scalar column remainder; inner dimensions in
 * one short block (row pairs sweep the panels), in one long block (panels outer) and in two blocks of
 * 256 (the running sums pass through out).
 */
const SHAPES: [number, number, number][] = [
  [37, 45, 70],
  [9, 20, 33],
  [130, 6, 19],
  [21, 300, 83],
  [11, 100, 35],
];

describe.each(SHAPES)("kernels in parts at m=%i k=%i n=%i", (m, k, n) => {
  const a = uniform(m * k, 11 + m, -2, 2);
  const b = uniform(k * n, 12 + n, -2, 2);
  const bias = uniform(n, 13, -1, 1);
  const dz = uniform(m * n, 14 + k, -2, 2);
  const y = uniform(m * n, 15, -1, 1);

  /** run(inst, ranges) on fresh buffers for one call and for every cut; all must be the same bits. */
  function sameForEveryCut(total: number, run: (inst: Instance, ranges: Range[]) => Float32Array): void {
    for (const inst of [builds.tested, builds.other]) {
      const whole = run(inst, [[0, total]]);
      for (const ranges of cuts(total)) {
        expect(describeDifference(run(inst, ranges), whole), JSON.stringify(ranges)).toBe("identical");
      }
    }
  }

  it.each(["matmulRows", "matmulDots"] as const)("%s by output rows", (form) => {
    for (const relu of [0, 1]) {
      sameForEveryCut(m, (inst, ranges) => {
        const out = allocF32(m * n, inst);
        const x = put(inst, a);
        const w = put(inst, form === "matmulRows" ? b : refTranspose(b, k, n));
        const bp = put(inst, bias).ptr;
        for (const [i0, i1] of ranges)
          inst.kernels[form](out.ptr + 4 * i0 * n, x.ptr + 4 * i0 * k, w.ptr, bp, i1 - i0, k, n, relu);
        return out.view().slice();
      });
    }
  });

  it("matmulRowsBand by column bands: the bits of matmulRows", () => {
    for (const relu of [0, 1]) {
      for (const withBias of [true, false]) {
        const rows = (inst: Instance) => {
          const out = allocF32(m * n, inst);
          const bp = withBias ? put(inst, bias).ptr : 0;
          inst.kernels.matmulRows(out.ptr, put(inst, a).ptr, put(inst, b).ptr, bp, m, k, n, relu);
          return out.view().slice();
        };
        sameForEveryCut(n, (inst, ranges) => {
          const out = allocF32(m * n, inst);
          const x = put(inst, a);
          const w = put(inst, b);
          const bp = withBias ? put(inst, bias).ptr : 0;
          for (const [j0, j1] of ranges)
            inst.kernels.matmulRowsBand(
              out.ptr + 4 * j0,
              x.ptr,
              w.ptr + 4 * j0,
              bp && bp + 4 * j0,
              m,
              k,
              j1 - j0,
              n,
              relu,
            );
          const got = out.view().slice();
          if (ranges.length === 1)
            expect(describeDifference(got, rows(inst)), "one band: matmulRows").toBe("identical");
          return got;
        });
      }
    }
  });

  it("matmulTN by output rows", () => {
    const start = uniform(k * n, 16, -1, 1);
    sameForEveryCut(k, (inst, ranges) => {
      const out = put(inst, start);
      const at = put(inst, refTranspose(a, m, k));
      const z = put(inst, dz);
      for (const [p0, p1] of ranges)
        inst.kernels.matmulTN(out.ptr + 4 * p0 * n, at.ptr + 4 * p0 * m, z.ptr, m, p1 - p0, n, 1);
      return out.view().slice();
    });
  });

  it.each([false, true])("colSums by columns (ReLU mask: %s), sums and masked dZ", (masked) => {
    const start = uniform(n, 17, -1, 1);
    sameForEveryCut(n, (inst, ranges) => {
      const sums = put(inst, start);
      const z = put(inst, dz);
      const yp = masked ? put(inst, y).ptr : 0;
      for (const [j0, j1] of ranges) inst.kernels.colSums(sums.ptr, z.ptr, yp, m, n, j0, j1);
      return concat([sums.view(), z.view()]);
    });
  });

  it("transpose by output rows", () => {
    sameForEveryCut(k, (inst, ranges) => {
      const out = allocF32(m * k, inst);
      const x = put(inst, a);
      for (const [j0, j1] of ranges) inst.kernels.transpose(out.ptr, x.ptr, m, k, j0, j1);
      return out.view().slice();
    });
  });
});

describe("the dense-layer wrappers with more threads give the bits of one", () => {
  /** Runs a forward and a backward of a Dense + ReLU layer (wide: n ≥ 16, narrow: n < 16) on inst. */
  function layerStep(inst: Instance, m: number, k: number, n: number): Float32Array {
    const x = allocMatrix(m, k, inst),
      w = put(inst, uniform(k * n, 21, -0.5, 0.5)),
      wt = put(inst, refTranspose(w.view(), k, n)),
      b = put(inst, uniform(n, 22, -0.5, 0.5)),
      out = allocMatrix(m, n, inst),
      dOut = allocMatrix(m, n, inst),
      dx = allocMatrix(m, k, inst),
      dw = allocF32(k * n, inst),
      dwt = allocF32(k * n, inst),
      db = allocF32(n, inst),
      scratch = allocF32(m * Math.max(k, n), inst),
      wCopy = allocF32(k * n, inst);
    x.data.view().set(uniform(m * k, 23, -1, 1));
    dOut.data.view().set(uniform(m * n, 24, -1, 1));
    affineForward(out, x, w, b, () => wt, true);
    denseGrads(dw, db, x, dOut, out, dwt, scratch, false); // overwriting dW (a batch's first chunk)
    denseGrads(dw, db, x, dOut, out, dwt, scratch, true); // then adding to it
    inputGrad(dx, dOut, w, () => wt);
    transpose(wCopy, w, k, n);
    return concat([out.data, dOut.data, dx.data, dw, dwt, db, wCopy].map((buf) => buf.view()));
  }

  it.each([
    // [m, k, n, the forward product's kernel, dX's]
    [400, 256, 80, "matmulRows", "matmulRows"],
    [3000, 512, 10, "matmulDots", "matmulRows"],
    // wider than tall: the forward product in column bands, dX (100 × 64) by rows
    [100, 64, 272, "matmulRowsBand", "matmulRows"],
    // both in bands, with column remainders and inner dimensions over 256
    [64, 300, 283, "matmulRowsBand", "matmulRowsBand"],
  ])("m=%i k=%i n=%i: forward by %s, dX by %s", (m, k, n, forwardKernel, dxKernel) => {
    const inst = builds.tested;
    const live = inst.threads;
    Object.defineProperty(inst, "threads", { value: 1, configurable: true });
    const one = layerStep(inst, m, k, n);
    delete (inst as { threads?: number }).threads;
    for (const threads of PARTS) {
      const most = new Map<string, number>();
      const run = inst.run.bind(inst);
      Object.defineProperty(inst, "threads", { value: threads, configurable: true });
      Object.defineProperty(inst, "run", {
        configurable: true,
        value: (kernel: string, parts: readonly unknown[]) => {
          most.set(kernel, Math.max(most.get(kernel) ?? 0, parts.length));
          run(kernel as never, parts as never);
        },
      });
      try {
        expect(describeDifference(layerStep(inst, m, k, n), one), `${threads} threads`).toBe("identical");
      } finally {
        delete (inst as { threads?: number }).threads;
        delete (inst as { run?: unknown }).run;
      }
      // the products were really cut (the split work is worth parts at these sizes)
      expect(most.get(forwardKernel), "the forward product").toBeGreaterThan(1);
      expect(most.get(dxKernel), "dX").toBeGreaterThan(1);
      expect(most.get("matmulTN")).toBeGreaterThan(1);
    }
    expect(inst.threads).toBe(live);
  });
});
