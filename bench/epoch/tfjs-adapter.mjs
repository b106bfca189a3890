// Wraps the TF.js layers model (backend "wasm" or "cpu") in the benchmark's implementation interface.
import { experimentSeeds } from "../../dist/index.js";
import { createTfjsModel, useBackend } from "./tfjs-model.mjs";

export async function create(config, backend) {
  await useBackend(backend);
  return createTfjsModel(config, experimentSeeds(config.seed));
}
