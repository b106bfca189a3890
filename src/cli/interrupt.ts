// Ctrl-C in two steps: the first asks training to stop after its current epoch (so the finished part
// is still reported), any later one gives up at once.

/** Where SIGINT arrives: process, or an EventEmitter in tests. */
export interface SignalSource {
  on(event: "SIGINT", listener: () => void): unknown;
  off(event: "SIGINT", listener: () => void): unknown;
}

/** Calls `first` on the first SIGINT and `again` on every later one; returns a function that stops listening. */
export function onInterrupt(first: () => void, again: () => void, source: SignalSource = process): () => void {
  let count = 0;
  const listener = () => (count++ === 0 ? first() : again());
  source.on("SIGINT", listener);
  return () => source.off("SIGINT", listener);
}
