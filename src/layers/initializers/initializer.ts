// What an initializer is: a rule that fills a parameter tensor from its fans and a seeded random
// stream. Layers name theirs (Dense's weightInit and biasInit) through initializerRegistry.
import type { Instance } from "../../wasm/instance.js";

/**
 * Fans as Keras computes them: a Dense kernel nIn × nOut has fanIn = nIn and fanOut = nOut; a vector
 * of n values (a bias) has fanIn = fanOut = n.
 */
export interface Fans {
  readonly fanIn: number;
  readonly fanOut: number;
}

/** The counter-based stream an initializer draws from: the words u(0), u(1), … of (seed, stream). */
export interface RandomSource {
  readonly seed: number;
  readonly stream: number;
  /** The instance whose kernel generates the words (every build gives the same words). */
  readonly instance: Instance;
}

/**
 * Fills every element of `out`. The same fans and source must give the same bits in every runtime
 * and build: draw only from `random` (through WordReader) and round to f32 once per value.
 */
export type Initializer = (out: Float32Array, fans: Fans, random: RandomSource) => void;
