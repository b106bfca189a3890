// Model files in Chromium: toBytes()/fromBytes() round-trip exactly, and save/load, which need Node's
// file system, reject with an error that points to them (importing the package pulls in no node:fs).
import { expect, it } from "vitest";
import { Adam, Dense, init, ReLU, Sequential } from "../../src/index.js";

const x = new Float32Array([0.5, -0.25, 0.125, 1, -1, 0.75]);
const y = new Uint32Array([0, 1, 2]);

it("toBytes() / fromBytes() restore the weights and Adam's state: training resumes bit for bit", async () => {
  await init();
  const build = () => new Sequential([new Dense(2, 16, { seed: 1 }), new ReLU(), new Dense(16, 3, { seed: 2 })]);
  const straight = build();
  await straight.fit(x, y, { epochs: 5, optimizer: new Adam({ learningRate: 0.05 }) });
  const first = build();
  await first.fit(x, y, { epochs: 2, optimizer: new Adam({ learningRate: 0.05 }) });
  const loaded = Sequential.fromBytes(first.toBytes().buffer as ArrayBuffer);
  await loaded.fit(x, y, { epochs: 3 });
  const bits = (m: Sequential) => m.params().map((p) => Array.from(new Uint32Array(p.value.view().slice().buffer)));
  expect(bits(loaded)).toEqual(bits(straight));
  expect(loaded.toBytes()).toEqual(straight.toBytes());
  for (const m of [straight, first, loaded]) m.free();
});

it("save and load reject, pointing to toBytes and fromBytes", async () => {
  await init();
  const model = new Sequential([new Dense(2, 3, { seed: 1 })]);
  await expect(model.save("m.json")).rejects.toThrow(
    /model\.save\(path\) needs Node's file system, which this runtime lacks: use model\.toBytes\(\)/,
  );
  await expect(Sequential.load("m.json")).rejects.toThrow(
    /Sequential\.load\(path\) needs Node's file system, which this runtime lacks: .*Sequential\.fromBytes\(bytes\)/,
  );
  model.free();
});
