// The course's initializer, 0.01·N(0, 1), kept bit for bit: its experiments and their printed
// numbers depend on these exact weights.
import { normals } from "../../kernels/normals.js";
import type { Initializer } from "./initializer.js";

/** 0.01·z for z of N(0, 1) from normals() (Box–Muller over the stream's word pairs); ignores the fans. */
export const course: Initializer = (out, _fans, { seed, stream, instance }) => {
  const z = normals(out.length, seed, stream, instance);
  for (let i = 0; i < out.length; i++) out[i] = 0.01 * z[i];
};
