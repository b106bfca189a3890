// Per-shape workspaces of layers, losses and the model: fresh WASM memory costs page faults, so each
// row count gets its buffers once and reuses them every step.

/**
 * Per-shape workspaces (outputs, gradients, masks), allocated once per row count and reused, since
 * fresh WASM memory costs page faults. Keeps the `limit` most recently used shapes.
 */
export class RowCache<T> {
  private readonly entries = new Map<number, T>();

  constructor(
    private readonly make: (rows: number) => T,
    private readonly release: (entry: T) => void,
    private readonly limit = 4,
  ) {}

  get(rows: number): T {
    let entry = this.entries.get(rows);
    if (entry !== undefined) {
      // move to most recent
      this.entries.delete(rows);
      this.entries.set(rows, entry);
      return entry;
    }
    if (this.entries.size >= this.limit) {
      const [oldest, old] = this.entries.entries().next().value as [number, T];
      this.entries.delete(oldest);
      this.release(old);
    }
    entry = this.make(rows);
    this.entries.set(rows, entry);
    return entry;
  }

  clear(): void {
    for (const entry of this.entries.values()) this.release(entry);
    this.entries.clear();
  }
}
