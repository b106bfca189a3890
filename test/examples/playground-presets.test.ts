// The playground's presets keep their word: each claim the page states ("held on 10 of 10 seeds")
// is re-measured here with the page's own training code (examples/playground/src/run.ts), on the
// same seeds, and fails when it holds on fewer. `regwasm` is resolved to src/, as the playground's
// server bundles it.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { init } from "../../src/index.js";

vi.mock("regwasm", () => import("../../src/index.js"));

const { PRESETS, DEFAULT_PRESET, claimSentence, presetMatching, unregularized } = await import(
  "../../examples/playground/src/presets.js"
);
const { trainRun } = await import("../../examples/playground/src/run.js");
type Snapshot = import("../../examples/playground/src/protocol.js").Snapshot;

beforeAll(async () => {
  await init();
});

describe.each(PRESETS.map((p) => [p.id, p] as const))("preset %s", (_, preset) => {
  it("holds each claim on as many seeds as it states", async () => {
    const seeds = Math.max(...preset.claims.map((c) => c.seeds));
    const held = preset.claims.map(() => 0);
    for (let seed = 0; seed < seeds; seed++) {
      const regularized = await trainRun({ ...preset.config, seed });
      const plain = await trainRun(unregularized({ ...preset.config, seed }));
      preset.claims.forEach((claim, i) => {
        if (seed < claim.seeds && claim.holds(regularized.metrics, plain.metrics)) held[i]++;
      });
    }
    preset.claims.forEach((claim, i) => {
      expect(held[i], claimSentence(claim)).toBeGreaterThanOrEqual(claim.held);
    });
  });
});

describe("the opening preset", () => {
  it("overfits without regularization: validation loss ends well above its minimum while training loss falls", async () => {
    const snapshots: Snapshot[] = [];
    await trainRun(unregularized(DEFAULT_PRESET.config), { onSnapshot: (s) => snapshots.push(s) });
    const last = snapshots.at(-1)!;
    const lowest = Math.min(...snapshots.map((s) => s.valLoss));
    expect(last.valLoss).toBeGreaterThan(1.5 * lowest);
    expect(last.trainLoss).toBeLessThan(Math.min(...snapshots.slice(0, -1).map((s) => s.trainLoss)) + 1e-3);
    expect(last.epoch).toBe(DEFAULT_PRESET.config.epochs - 1);
  });

  // the presets with random layers: their masks and noise come from streams that an extra forward pass must not advance
  it.each([
    ["dropout", PRESETS.find((p) => p.config.dropout > 0)!],
    ["input noise", PRESETS.find((p) => p.config.inputNoise > 0)!],
  ])(
    "trains to the same figures whether or not the page takes snapshots (they run in inference mode): %s",
    async (_, preset) => {
      const config = { ...preset.config, epochs: 60 };
      let snapshots = 0;
      const watched = await trainRun(config, { onSnapshot: () => snapshots++ });
      const unwatched = await trainRun(config);
      expect(snapshots).toBe(60);
      expect({ ...watched.metrics, seconds: 0 }).toEqual({ ...unwatched.metrics, seconds: 0 });
      expect(watched.weights).toEqual(unwatched.weights);
    },
  );

  it("is recognized from its config, and a changed field makes it a custom run", () => {
    for (const p of PRESETS) expect(presetMatching({ ...p.config, seed: 7 })).toBe(p);
    expect(presetMatching({ ...DEFAULT_PRESET.config, hidden: 255 })).toBeNull();
    expect(presetMatching({ ...PRESETS.find((p) => p.id === "input-noise")!.config, inputNoise: 0.06 })).toBeNull();
  });
});
