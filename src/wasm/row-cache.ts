// Per-shape workspaces of layers, losses and the model: fresh WASM memory costs page faults, so each
// row count gets its buffers once and reuses them every step.
import { currentLane, releaseAfterReplay } from "./tape.js";

/**
 * Per-shape workspaces (outputs, gradients, masks), allocated once per row count and reused, since
 * fresh WASM memory costs page faults. Keeps the `limit` most recently used shapes. Each lane of a
 * recorded batch (tape.ts) gets workspaces of its own, since lanes run at the same time.
 */
export class RowCache<T> {
  private readonly lanes: Map<number, T>[] = [];
  /** Per lane, the most recently used row count and its entry: most calls ask for it again. */
  private readonly recent: ({ rows: number; entry: T } | undefined)[] = [];

  constructor(
    private readonly make: (rows: number) => T,
    private readonly release: (entry: T) => void,
    private readonly limit = 4,
  ) {}

  get(rows: number): T {
    const lane = currentLane();
    const recent = this.recent[lane];
    if (recent !== undefined && recent.rows === rows) return recent.entry; // already the most recent
    this.recent[lane] = undefined; // set again below, unless make() throws after an eviction
    this.lanes[lane] ??= new Map();
    const entries = this.lanes[lane];
    let entry = entries.get(rows);
    if (entry !== undefined) {
      // move to most recent
      entries.delete(rows);
      entries.set(rows, entry);
      this.recent[lane] = { rows, entry };
      return entry;
    }
    if (entries.size >= this.limit) {
      const [oldest, old] = entries.entries().next().value as [number, T];
      entries.delete(oldest);
      // calls recorded earlier in this lane may still use it
      releaseAfterReplay(() => this.release(old));
    }
    entry = this.make(rows);
    entries.set(rows, entry);
    this.recent[lane] = { rows, entry };
    return entry;
  }

  clear(): void {
    this.recent.length = 0;
    for (const entries of this.lanes) {
      if (!entries) continue;
      for (const entry of entries.values()) this.release(entry);
      entries.clear();
    }
  }
}
