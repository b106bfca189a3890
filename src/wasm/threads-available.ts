// How many threads kernels may use here: every core in Node; in a browser, every core when the page
// is cross-origin isolated (the only way it gets SharedArrayBuffer), else one.

type NodeOs = typeof import("node:os");
// a variable specifier, so that browser bundlers leave the Node-only import alone
const OS_MODULE = "node:os";

interface ThreadGlobals {
  process?: { versions?: { node?: string } };
  navigator?: { hardwareConcurrency?: number };
  crossOriginIsolated?: boolean;
}

/** True where a shared WebAssembly.Memory can be made and handed to workers. */
export function sharedMemorySupported(): boolean {
  const g = globalThis as ThreadGlobals;
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") return false;
  if (typeof g.process?.versions?.node === "string") return true;
  return g.crossOriginIsolated === true && typeof Worker === "function";
}

/** The default thread count: the cores available, or 1 without shared memory. */
export async function availableThreads(): Promise<number> {
  if (!sharedMemorySupported()) return 1;
  const g = globalThis as ThreadGlobals;
  if (typeof g.process?.versions?.node === "string") {
    const os = (await import(/* webpackIgnore: true */ /* @vite-ignore */ OS_MODULE)) as NodeOs;
    return Math.max(1, os.availableParallelism());
  }
  return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
}
