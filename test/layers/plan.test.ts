// The fusion plan: which activation layers run inside the layer before them, decided by the layers
// module from the layers themselves; a layer carries no fusion state from one model to the next.
import { describe, expect, it } from "vitest";
import { Dense, Dropout, init, ReLU, Sequential } from "../../src/index.js";
import { planStages } from "../../src/layers/plan.js";

await init();

describe("planStages", () => {
  it("fuses a ReLU into the Dense before it, and nowhere else", () => {
    const [d1, r1, drop, d2, r2, r3, d3] = [
      new Dense(2, 4),
      new ReLU(),
      new Dropout(0.1),
      new Dense(4, 4),
      new ReLU(),
      new ReLU(),
      new Dense(4, 3),
    ];
    const stages = planStages([r1, d1, r2, drop, r3, d2, r3, d3]);
    expect(stages.map((s) => [s.layer, s.fused])).toEqual([
      [r1, null], // nothing before it to fuse into
      [d1, "relu"],
      [drop, null],
      [r3, null], // after Dropout: runs on its own
      [d2, "relu"],
      [d3, null],
    ]);
    expect(planStages([d1, d2, d3]).every((s) => s.fused === null)).toBe(true);
  });

  it("a Dense that was fused in one model is plain in the next", () => {
    const x = Float32Array.from({ length: 20 }, (_, i) => Math.sin(i));
    const first = new Dense(2, 6, { seed: 4 });
    const head = new Dense(6, 3, { seed: 5 });
    const fusedModel = new Sequential([first, new ReLU(), head]);
    fusedModel.predict(x);
    const plainModel = new Sequential([first, head]);
    const got = plainModel.predict(x);
    // float64 reference without any ReLU: softmax((x·W1 + b1)·W2 + b2)
    const w1 = first.weights.view(),
      w2 = head.weights.view();
    for (let r = 0; r < 10; r++) {
      const h = Array.from({ length: 6 }, (_, j) => x[2 * r] * w1[j] + x[2 * r + 1] * w1[6 + j]);
      const z = Array.from({ length: 3 }, (_, c) => h.reduce((s, hj, j) => s + hj * w2[j * 3 + c], 0));
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let c = 0; c < 3; c++) expect(got[r * 3 + c]).toBeCloseTo(e[c] / sum, 6);
    }
    // and some hidden pre-activations are negative, so a leftover ReLU would have changed the result
    expect(Array.from(w1).some((v) => v < 0)).toBe(true);
    fusedModel.free();
  });
});
