// Recorded lanes (src/wasm/tape.ts, Instance.record): every kernel call made for a lane but the last is
// held back, then each lane's calls run in their recorded order, lanes at the same time on the
// instance's threads (the last lane's calls on the calling thread as they are made), with the bits of
// the same calls made one after another on one thread. A failing
// recording runs nothing; a call that traps in a replay is an error and the instance stays usable;
// per-lane workspaces are apart, and one released during a recording waits for the replay.
// Runtime-neutral.
import { describe, expect, it } from "vitest";
import { type Instance, instantiate } from "../../src/index.js";
import { allocMatrix, type Matrix } from "../../src/wasm/matrix.js";
import { reluForward, sigmoidForward } from "../../src/kernels/activation.js";
import { sgdUpdate } from "../../src/kernels/optimizer.js";
import { RowCache } from "../../src/wasm/row-cache.js";
import { describeDifference } from "./support/bits.js";
import { normalF32 } from "./support/data.js";
import { threadsPossible } from "../support/threads-possible.js";

const ROWS = 512;
const COLS = 512; // 2^18 elements: a call this size is cut in parts outside a recording
const LANES = 3;

interface LaneBuffers {
  x: Matrix;
  y: Matrix;
  z: Matrix;
  w: Matrix;
  g: Matrix;
}

/** The start values of buffer `seed` of lane `lane`, drawn once (every test starts from them). */
const startValues = new Map<number, Float32Array>();
function startOf(lane: number, seed: number): Float32Array {
  const key = 100 * lane + seed;
  let values = startValues.get(key);
  if (!values) {
    values = normalF32(ROWS * COLS, key);
    startValues.set(key, values);
  }
  return values;
}

function laneBuffers(inst: Instance, lane: number): LaneBuffers {
  const make = (seed: number) => {
    const m = allocMatrix(ROWS, COLS, inst);
    m.data.view().set(startOf(lane, seed));
    return m;
  };
  return { x: make(1), y: make(2), z: make(3), w: make(4), g: make(5) };
}

/**
 * One lane's calls: each reads what the one before it wrote, the two updates do not commute in f32,
 * and the first call changes its output when run twice (a replay that ran past its tape into the next
 * one would show).
 */
function calls({ x, y, z, w, g }: LaneBuffers): void {
  sgdUpdate(w.data, g.data, null, 0.3, 0, 1);
  reluForward(y, x);
  sigmoidForward(z, y);
  sgdUpdate(w.data, z.data, null, 0.7, 0, 0.5);
}

const snapshotAll = (lanes: LaneBuffers[]) =>
  lanes.map((b) => [b.x, b.y, b.z, b.w, b.g].map((m) => m.data.view().slice()));

let direct: Promise<Float32Array[][]> | null = null;

/** Every lane's calls made one after another on one thread (computed once: the tests only read it). */
function directResult(): Promise<Float32Array[][]> {
  direct ??= instantiate({ threads: 1 }).then((inst) => {
    const lanes = Array.from({ length: LANES }, (_, lane) => laneBuffers(inst, lane));
    for (const lane of lanes) calls(lane);
    return snapshotAll(lanes);
  });
  return direct;
}

function expectSameBits(got: Float32Array[][], want: Float32Array[][]): void {
  got.forEach((lane, l) =>
    lane.forEach((values, b) => {
      const diff = describeDifference(values, want[l][b]);
      expect(diff, `lane ${l}, buffer ${b}`).toBe("identical");
    }),
  );
}

describe("Instance.record", () => {
  for (const threads of [1, 2, 3]) {
    it(`replays ${LANES} lanes with the bits of the calls made in order on one thread (${threads} thread${threads > 1 ? "s" : ""})`, async () => {
      const want = await directResult();
      const inst = await instantiate({ threads: threadsPossible ? threads : 1 });
      const lanes = Array.from({ length: LANES }, (_, lane) => laneBuffers(inst, lane));
      const before = snapshotAll(lanes);
      inst.record(LANES, (lane) => {
        const last = lane === LANES - 1;
        expect(inst.recording).toBe(!last); // the last lane runs at once on this thread
        expect(inst.threads).toBe(1); // a lane runs on one thread: no call is cut in parts
        calls(lanes[lane]);
        // held back: nothing has run yet
        if (!last) expectSameBits(snapshotAll(lanes), before);
      });
      expect(inst.recording).toBe(false);
      expect(inst.threads).toBe(threadsPossible ? threads : 1);
      expectSameBits(snapshotAll(lanes), want);
      inst.stopThreads();
    });
  }

  it("runs nothing when a lane's recording throws, and records again afterwards", async () => {
    const want = await directResult();
    const inst = await instantiate({ threads: threadsPossible ? 2 : 1 });
    const lanes = Array.from({ length: LANES }, (_, lane) => laneBuffers(inst, lane));
    const before = snapshotAll(lanes);
    expect(() =>
      inst.record(LANES, (lane) => {
        calls(lanes[lane]);
        if (lane === 1) throw new Error("stop here");
      }),
    ).toThrow("stop here");
    expect(inst.recording).toBe(false);
    expectSameBits(snapshotAll(lanes), before);
    inst.record(LANES, (lane) => calls(lanes[lane]));
    expectSameBits(snapshotAll(lanes), want);
    inst.stopThreads();
  });

  it("reports a call that traps in a replay, and the instance replays correctly afterwards", async () => {
    const want = await directResult();
    const inst = await instantiate({ threads: threadsPossible ? 2 : 1 });
    const lanes = Array.from({ length: LANES }, (_, lane) => laneBuffers(inst, lane));
    const fresh = snapshotAll(lanes);
    expect(() =>
      inst.record(2, (lane) => {
        if (lane === 0) inst.kernels.reluForward(2 ** 32 - 16, 0, 1024); // past the end of memory: traps in the replay
      }),
    ).toThrow();
    lanes.forEach((b, l) => [b.x, b.y, b.z, b.w, b.g].forEach((m, i) => m.data.view().set(fresh[l][i])));
    inst.record(LANES, (lane) => calls(lanes[lane]));
    expectSameBits(snapshotAll(lanes), want);
    inst.stopThreads();
  });

  it("cannot be nested; unrecorded() runs its calls at once inside a recording", async () => {
    const inst = await instantiate({ threads: 1 });
    const { x, y } = laneBuffers(inst, 0);
    const want = x.data.view().map((v) => Math.max(v, 0));
    inst.record(2, (lane) => {
      expect(() => inst.record(2, () => {})).toThrow("cannot be nested");
      if (lane > 0) return;
      inst.unrecorded(() => reluForward(y, x));
      expect(inst.recording).toBe(true);
      expect(describeDifference(y.data.view(), want)).toBe("identical");
    });
  });
});

describe("RowCache in a recording", () => {
  it("gives each lane its own entry per row count, and releases an evicted one only after the replay", async () => {
    const inst = await instantiate({ threads: 1 });
    const released: number[] = [];
    let made = 0;
    const cache = new RowCache(
      (rows) => ({ rows, id: made++ }),
      (entry) => released.push(entry.id),
      1,
    );
    const outside = cache.get(3);
    const seen: { id: number }[] = [];
    inst.record(3, (lane) => {
      seen.push(cache.get(3));
      if (lane === 1) {
        cache.get(5); // evicts lane 1's entry for 3, which lane 1's recorded calls still use
        expect(released).toEqual([]);
      }
    });
    expect(seen[0]).toBe(outside); // lane 0 is the lane outside recordings
    expect(new Set(seen.map((e) => e.id)).size).toBe(3);
    expect(released).toEqual([seen[1].id]);
  });

  it("releases at once again after a recording that threw", async () => {
    const inst = await instantiate({ threads: 1 });
    const released: number[] = [];
    const cache = new RowCache(
      (rows) => rows,
      (rows) => released.push(rows),
      1,
    );
    expect(() =>
      inst.record(3, (lane) => {
        if (lane === 1) throw new Error("stop here");
      }),
    ).toThrow("stop here");
    cache.get(3);
    cache.get(5);
    expect(released).toEqual([3]);
  });
});
