// How many threads kernels may use here: every core in Node; in a browser, every core inside a Web
// Worker of a cross-origin isolated page (the only way it gets SharedArrayBuffer), else one.

type NodeOs = typeof import("node:os");
// a variable specifier, so that browser bundlers leave the Node-only import alone
const OS_MODULE = "node:os";

interface ThreadGlobals {
  process?: { versions?: { node?: string } };
  navigator?: { hardwareConcurrency?: number };
  crossOriginIsolated?: boolean;
}

/** True on a browser page's main thread (a window), where Atomics.wait is not allowed. */
function onBrowserMainThread(): boolean {
  return typeof (globalThis as { document?: unknown }).document !== "undefined";
}

/** True where a shared WebAssembly.Memory can be made, handed to workers and waited on. */
export function sharedMemorySupported(): boolean {
  const g = globalThis as ThreadGlobals;
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") return false;
  if (typeof g.process?.versions?.node === "string") return true;
  // in a browser: a cross-origin isolated page, and not its main thread, which may not block on
  // Atomics.wait (spinning it stalls the page; a race seen there under load is not yet explained)
  return g.crossOriginIsolated === true && typeof Worker === "function" && !onBrowserMainThread();
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
