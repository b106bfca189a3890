// regwasm: neural-network regularization with WebAssembly SIMD kernels. Re-exports only.
export { init, simd, simdSupported, instantiate, type InitOptions, type Instance } from "./wasm/instance.js";
export { allocF32, allocU32, F32Buffer, U32Buffer, type F32Data, type U32Data } from "./buffer.js";
export { l1Penalty, l2Penalty, penalty, type PenaltyOptions } from "./penalty.js";
export { addPenaltyGrad, type PenaltyGradOptions } from "./gradient.js";
export { randomUint32, type StreamOptions } from "./random.js";
export { dropout, dropoutBackward, maskWords, type DropoutOptions, type DropoutResult, type DropoutBackwardOptions } from "./dropout.js";
