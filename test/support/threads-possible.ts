// Whether an instance can really start worker threads here: in Node always; in a browser only inside a
// Web Worker of a cross-origin isolated page (a page's main thread may not block on Atomics.wait).
// Runtime-neutral: the kernel and golden suites run it in Node and in Chromium.
/** True in Node (not in a browser). */
export const inNode =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string";

export const threadsPossible =
  typeof SharedArrayBuffer === "function" &&
  (inNode ||
    ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true &&
      typeof (globalThis as { document?: unknown }).document === "undefined"));
