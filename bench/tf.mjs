// TensorFlow.js, the peer: its wasm backend (loading its .wasm from the package's own dist/) and its
// cpu backend. Tensors belong to the backend that was active when they were made, so every TF.js
// row switches backend before it runs and makes its inputs while that backend is active.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setWasmPaths, version_wasm } from "@tensorflow/tfjs-backend-wasm";

const require = createRequire(import.meta.url);
setWasmPaths(`${join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist")}/`);

// production mode: no console banners (it changes only logging)
tf.enableProdMode();

export { tf };

/** Makes `name` ("wasm" or "cpu") the active backend. */
export async function useBackend(name) {
  if (tf.getBackend() === name) return;
  if (!(await tf.setBackend(name))) throw new Error(`TF.js backend ${name} failed to initialise`);
  await tf.ready();
}

// both backends ready before anything asks TF.js about its state
await useBackend("cpu");
await useBackend("wasm");

export const versions = () => ({
  core: tf.version_core,
  wasm: version_wasm,
  cpu: require("@tensorflow/tfjs-backend-cpu/package.json").version,
});
