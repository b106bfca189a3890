// Memory and reuse across models: replaced optimizers and rejected JSON return their WASM memory,
// and layers moved into a new model are wired afresh.
import { beforeAll, describe, expect, it } from "vitest";
import { Adam, Dense, Dropout, ReLU, SGD, Sequential, init, spiralData } from "../../src/index.js";
import { defaultInstance } from "../../src/wasm/instance.js";

beforeAll(() => init());
const live = () => defaultInstance().heap.allocations;
const tinyModel = () => new Sequential([new Dense(2, 8, { seed: 1 }), new ReLU(), new Dense(8, 3, { seed: 2 })]);

describe("lifecycle", () => {
  it("fit with a new optimizer frees the replaced one's state; free() then returns everything", async () => {
    const data = spiralData(10, 3, { seed: 0 });
    const before = live();
    const model = tinyModel();
    await model.fit(data.x, data.y, { epochs: 2, optimizer: new Adam(), batchSize: 7 });
    const afterFirst = live();
    for (let k = 0; k < 20; k++) await model.fit(data.x, data.y, { epochs: 2, optimizer: new Adam(), batchSize: 7 });
    expect(live()).toBe(afterFirst);
    model.free();
    expect(live()).toBe(before);
  });

  it("fromJSON that rejects its input leaves no allocation behind", async () => {
    const data = spiralData(10, 3, { seed: 0 });
    const model = tinyModel();
    await model.fit(data.x, data.y, { epochs: 1, optimizer: new SGD({ learningRate: 0.1, momentum: 0.9 }) });
    const json = model.toJSON();
    model.free();
    const before = live();
    const badWeights = structuredClone(json);
    (badWeights.layers[2] as unknown as { weights: number[] }).weights = [1, 2];
    expect(() => Sequential.fromJSON(badWeights)).toThrow(/json\.layers\[2\]: .*weights/);
    const badState = structuredClone(json);
    (badState.optimizer!.state[0] as unknown as string[][])[0][0] = "a";
    expect(() => Sequential.fromJSON(badState)).toThrow(/finite numbers/);
    expect(live()).toBe(before);
  });

  it("a Dense and a ReLU reused in a model where they are not adjacent are not left fused", () => {
    const data = spiralData(5, 3, { seed: 3 });
    const [d1, relu, d2] = [new Dense(2, 4, { seed: 5 }), new ReLU(), new Dense(4, 3, { seed: 6 })];
    new Sequential([d1, relu, d2]); // fuses d1 with relu
    const reused = new Sequential([d1, new Dropout(0), relu, d2]).predict(data.x);
    const fresh = new Sequential([
      new Dense(2, 4, { seed: 5 }),
      new Dropout(0),
      new ReLU(),
      new Dense(4, 3, { seed: 6 }),
    ]).predict(data.x);
    expect(Array.from(reused)).toEqual(Array.from(fresh));
  });
});
