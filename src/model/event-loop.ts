// Lets the event loop run between training batches, so timers, I/O and rendering go on while fit()
// works: a macrotask (not a microtask, which would run before any timer), without the 4 ms clamp
// that nested setTimeout calls get in browsers.

const now = (): number => performance.now();

/** A macrotask: setImmediate in Node, a MessageChannel message in browsers and workers. */
function nextMacrotask(): Promise<void> {
  if (typeof setImmediate === "function") return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Yields to the event loop once `everyMs` of work have passed since the last yield. */
export class EventLoopYield {
  #last = now();

  constructor(readonly everyMs: number) {}

  /** Resolves after a macrotask when a yield is due, at once otherwise. */
  async maybeYield(): Promise<void> {
    if (now() - this.#last < this.everyMs) return;
    await nextMacrotask();
    this.#last = now();
  }
}
