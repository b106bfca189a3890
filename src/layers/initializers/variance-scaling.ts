// Keras's VarianceScaling family (keras.initializers.VarianceScaling, as TF.js's variance-scaling
// initializers): values of variance scale / n, n a fan of the tensor. Glorot, He and LeCun are its
// named cases.
import { checkOneOf, checkOptions, checkPositive } from "../../validate.js";
import { fillTruncatedNormal, fillUniform } from "./distributions.js";
import type { Fans, Initializer } from "./initializer.js";

/** Which fan divides the scale: fanIn, fanOut or their mean (fanAvg). */
export type FanMode = "fanIn" | "fanOut" | "fanAvg";
export type Distribution = "truncatedNormal" | "uniform";

export interface VarianceScalingConfig {
  /** > 0: the variance of the values times the fan. */
  scale: number;
  mode: FanMode;
  distribution: Distribution;
}

const MODES = ["fanIn", "fanOut", "fanAvg"] as const;
const DISTRIBUTIONS = ["truncatedNormal", "uniform"] as const;
const CONFIG_KEYS = ["scale", "mode", "distribution"] as const;

/**
 * The standard deviation of N(0, 1) truncated to (−2, 2): Keras divides the truncated normal's stddev
 * by it so that the values' variance is exactly scale / n (TF.js 4.x does not: its truncated values
 * have 0.774 of that variance).
 */
export const TRUNCATED_STDDEV = 0.87962566103423978;

/** scale / max(1, n), n = fanIn, fanOut or (fanIn + fanOut)/2: the variance of the values. */
export function scaledVariance(fans: Fans, { scale, mode }: Pick<VarianceScalingConfig, "scale" | "mode">): number {
  const n = mode === "fanIn" ? fans.fanIn : mode === "fanOut" ? fans.fanOut : (fans.fanIn + fans.fanOut) / 2;
  return scale / Math.max(1, n);
}

/**
 * The distribution's parameter: for 'uniform' the limit √(3·s) of U(−limit, limit); for
 * 'truncatedNormal' the stddev √s / 0.87962566103423978 of the normal truncated at 2 stddev
 * (s = scaledVariance).
 */
export function varianceScalingParameter(fans: Fans, config: VarianceScalingConfig): number {
  const variance = scaledVariance(fans, config);
  return config.distribution === "uniform" ? Math.sqrt(3 * variance) : Math.sqrt(variance) / TRUNCATED_STDDEV;
}

/**
 * Keras's VarianceScaling(scale, mode, distribution) as an Initializer: uniform values in
 * (−limit, limit), or normal values truncated at 2 stddev (re-drawn, not clipped), each of variance
 * scale / n. Register it under a name to use it in a layer.
 * @example initializerRegistry.register("heUniformFanOut", varianceScaling({ scale: 2, mode: "fanOut", distribution: "uniform" }))
 */
export function varianceScaling(config: VarianceScalingConfig): Initializer {
  checkOptions("config", config, CONFIG_KEYS, "{ scale, mode, distribution }");
  const { scale, mode, distribution } = config;
  checkPositive("config.scale", scale);
  checkOneOf("config.mode", mode, MODES);
  checkOneOf("config.distribution", distribution, DISTRIBUTIONS);
  const frozen = Object.freeze({ scale, mode, distribution });
  const fill = distribution === "uniform" ? fillUniform : fillTruncatedNormal;
  return (out, fans, random) => fill(out, varianceScalingParameter(fans, frozen), random);
}

/** Glorot (Xavier) uniform: scale 1, fanAvg, uniform; limit √(6 / (fanIn + fanOut)). */
export const glorotUniform = varianceScaling({ scale: 1, mode: "fanAvg", distribution: "uniform" });
/** Glorot (Xavier) normal: scale 1, fanAvg, truncated normal; stddev √(2 / (fanIn + fanOut)) / 0.8796…. */
export const glorotNormal = varianceScaling({ scale: 1, mode: "fanAvg", distribution: "truncatedNormal" });
/** He (Kaiming) normal: scale 2, fanIn, truncated normal; stddev √(2 / fanIn) / 0.8796…. */
export const heNormal = varianceScaling({ scale: 2, mode: "fanIn", distribution: "truncatedNormal" });
/** He (Kaiming) uniform: scale 2, fanIn, uniform; limit √(6 / fanIn). */
export const heUniform = varianceScaling({ scale: 2, mode: "fanIn", distribution: "uniform" });
/** LeCun normal: scale 1, fanIn, truncated normal; stddev √(1 / fanIn) / 0.8796…. */
export const lecunNormal = varianceScaling({ scale: 1, mode: "fanIn", distribution: "truncatedNormal" });
/** LeCun uniform: scale 1, fanIn, uniform; limit √(3 / fanIn). */
export const lecunUniform = varianceScaling({ scale: 1, mode: "fanIn", distribution: "uniform" });
