// Initializers without randomness (Keras's Zeros and Ones).
import type { Initializer } from "./initializer.js";

/** Every value 0 (the default for biases). */
export const zeros: Initializer = (out) => {
  out.fill(0);
};

/** Every value 1. */
export const ones: Initializer = (out) => {
  out.fill(1);
};
