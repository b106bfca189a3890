// The spiral data sets, from regwasm's own generator so that every implementation trains on the same
// numbers (the generator is deterministic for a seed; it runs on regwasm's WASM random stream).
import { init, spiralData } from "../../dist/index.js";
import { DROPOUT_CHAPTER as C } from "./config.mjs";

export async function loadData() {
  await init();
  return {
    train: spiralData(C.samples, C.classes, { seed: C.seed }),
    validation: spiralData(C.validationSamples, C.classes, { seed: C.validationSeed }),
  };
}
