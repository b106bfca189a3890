// An instance over another one's memory whose kernels record their names as they are called: tests
// that must see which kernels a call runs, and on which instance. Runtime-neutral.
import { Instance, type KernelExports } from "../../../src/wasm/instance.js";

export interface RecordingInstance {
  readonly instance: Instance;
  /** The names of the kernels called since the last take(), in order; take() empties the list. */
  take(): string[];
}

export function recordingInstance(base: Instance): RecordingInstance {
  let ran: string[] = [];
  const kernels = Object.fromEntries(
    Object.entries(base.kernels).map(([name, kernel]) => [
      name,
      typeof kernel === "function"
        ? (...args: unknown[]) => {
            ran.push(name);
            return (kernel as (...a: unknown[]) => unknown)(...args);
          }
        : kernel,
    ]),
  ) as unknown as KernelExports;
  return {
    instance: new Instance(base.simd, kernels, base.heap),
    take() {
      const taken = ran;
      ran = [];
      return taken;
    },
  };
}
