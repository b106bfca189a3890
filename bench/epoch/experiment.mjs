// What the epoch benchmark trains: the CLI's dropout chapter itself (the shared object from the built
// package, not a copy), so the benchmark measures the model `npm start` trains.
export { DROPOUT_CHAPTER as EXPERIMENT } from "../../dist/index.js";
