// The kernel module: pointers, counts and scalars in; nothing allocated, no state kept.
export { l1Penalty, l2Penalty, penalty } from "./penalty";
export { addPenaltyGrad } from "./gradient";
export { randomUint32 } from "./random";
export { dropout, dropoutBackward } from "./dropout";

/** First byte after the module's static data: the JS-side allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}
export { matmulRows, matmulRowsBand, matmulDots, matmulTN, colSums, transpose } from "./matmul";
export { reluForward, reluBackward, sigmoidForward, sigmoidBackward, tanhForward, tanhBackward } from "./activation";
export { softmaxCrossEntropy, softmaxForward, softmaxBackward } from "./softmax";
export { binaryCrossEntropy, meanSquaredError, meanAbsoluteError } from "./loss";
export { adamUpdate, adamUpdateInChunks, sgdUpdate } from "./optimizer";
export { allFinite } from "./finite";
export { gatherRows } from "./gather";
export { scratchBytes, useScratch } from "./scratch";
export { penaltyBlocks, addPenaltyGradBlocks, addBlockTotals } from "./block-sums";
export { softmaxCrossEntropySmoothed, binaryCrossEntropySmoothed } from "./label-smoothing";
export { softThreshold, clampNonNegative, columnSquares, rowSquares, scaleColumns, scaleRows } from "./projection";
export { dropoutMask, applyNoiseMask } from "./noise-mask";
export { randomNormal, gaussianNoise, gaussianDropout } from "./normal";
export { seluForward, seluBackward } from "./selu";
export { addInto } from "./add-into";
