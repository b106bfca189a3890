// The thread pool's job protocol, replayed step by step on one thread: while the caller opens the
// next job, a worker still looping over the previous one (it may read any mix of old and new words)
// must claim nothing at every step, and once the job is open its parts are each claimed exactly
// once, each thread taking its own block first. Checked for the caller's takeParts and for the copy
// in the workers' source text.
// Runtime-neutral (an ordinary Int32Array: Atomics work on it, only wait needs shared memory).
import { describe, expect, it } from "vitest";
import {
  ARGS_AT,
  CONTROL_BYTES,
  DONE,
  GO,
  jobOpening,
  MAX_ARGS,
  MAX_PARTS,
  TAG_MASK,
} from "../../src/wasm/pool-protocol.js";
import { takeParts, workerSource } from "../../src/wasm/worker-source.js";

type TakeParts = typeof takeParts;

/** The workers' own takeParts, compiled from the source text they run. */
function workerTakeParts(): TakeParts {
  const text = workerSource.slice(0, workerSource.indexOf("function serve("));
  return new Function(`${text}\nreturn takeParts;`)() as TakeParts;
}

/** The control block after job `job` of `count` parts ran to the end. */
function afterJob(take: TakeParts, job: number, count: number): Int32Array {
  const control = new Int32Array(new ArrayBuffer(CONTROL_BYTES));
  for (const [index, value] of jobOpening(job, count, 0, 1)) control[index] = value;
  control[GO] = job;
  take(control, job, () => {}, 0, 1);
  expect(control[DONE]).toBe(count);
  return control;
}

describe.each([
  ["the caller's takeParts", takeParts],
  ["the workers' takeParts", workerTakeParts()],
])("job protocol: %s", (_name, take) => {
  it("a worker of the previous job claims nothing at any step of the next job's opening", () => {
    for (const previous of [1, 2, 77, TAG_MASK, TAG_MASK + 1]) {
      for (const previousCount of [2, 3, 8]) {
        for (const count of [2, 3, 4, 8, MAX_PARTS]) {
          const next = (previous + 1) | 0;
          const opening = jobOpening(next, count, 3, 5);
          for (let steps = 0; steps <= opening.length; steps++) {
            const control = afterJob(take, previous, previousCount);
            for (const [index, value] of opening.slice(0, steps)) control[index] = value;
            const claimed: number[] = [];
            for (const [self, threads] of [
              [0, 1],
              [1, 2],
              [2, 3],
            ])
              take(control, previous, (_kernel, at) => claimed.push(at), self, threads);
            expect(claimed, `job ${previous} (${previousCount} parts) → ${count} parts, after ${steps} stores`).toEqual(
              [],
            );
          }
        }
      }
    }
  });

  it("an open job hands out each part exactly once, in order, with its kernel", () => {
    for (const job of [1, TAG_MASK, TAG_MASK + 1]) {
      for (const count of [1, 2, 5, MAX_PARTS]) {
        const control = afterJob(take, job - 1, 3);
        for (const [index, value] of jobOpening(job, count, 7, 4)) control[index] = value;
        control[GO] = job;
        const claimed: [number, number][] = [];
        take(control, job, (kernel, at) => claimed.push([kernel, at]), 0, 1);
        expect(claimed).toEqual(Array.from({ length: count }, (_, part) => [7, argsAt(part)]));
        expect(control[DONE]).toBe(count);
        take(control, job, () => expect.unreachable("a part claimed twice"), 0, 1);
      }
    }
  });

  it("each thread takes its own block in order, then the others' blocks from their ends", () => {
    // 10 parts on 3 threads: blocks [0, 4), [4, 7), [7, 10) (rounded up)
    const expected = [
      [0, 1, 2, 3, 6, 5, 4, 9, 8, 7],
      [4, 5, 6, 9, 8, 7, 3, 2, 1, 0],
      [7, 8, 9, 3, 2, 1, 0, 6, 5, 4],
    ];
    for (const self of [0, 1, 2]) {
      const control = afterJob(take, 4, 2);
      for (const [index, value] of jobOpening(5, 10, 0, 1)) control[index] = value;
      const claimed: number[] = [];
      take(control, 5, (_kernel, at) => claimed.push(partAt(at)), self, 3);
      expect(claimed, `thread ${self}`).toEqual(expected[self]);
    }
  });

  it("with fewer parts than threads the caller owns part 0, and every thread takes all that is left", () => {
    for (const [self, order] of [
      [0, [0, 1]],
      [1, [1, 0]],
      [2, [1, 0]],
      [3, [0, 1]],
    ] as const) {
      const control = afterJob(take, 6, 2);
      for (const [index, value] of jobOpening(7, 2, 0, 1)) control[index] = value;
      const claimed: number[] = [];
      take(control, 7, (_kernel, at) => claimed.push(partAt(at)), self, 4);
      expect(claimed, `thread ${self} of 4`).toEqual(order);
    }
  });

  it("threads taking parts at once take each exactly once: a thread back late finds its block taken from the end", () => {
    for (const count of [2, 3, 8, MAX_PARTS]) {
      const control = afterJob(take, 8, 3);
      for (const [index, value] of jobOpening(9, count, 0, 1)) control[index] = value;
      const byThread: number[][] = [[], []];
      // The caller takes part 0; while it runs, the worker takes the first part of its own block;
      // while that runs, the caller takes the rest of its own block, then the worker's from the end.
      // Each thread then finds nothing left.
      take(
        control,
        9,
        (_kernel, at) => {
          byThread[0].push(partAt(at));
          if (byThread[0].length === 1)
            take(
              control,
              9,
              (_k, workerAt) => {
                byThread[1].push(partAt(workerAt));
                if (byThread[1].length === 1) take(control, 9, (_k2, again) => byThread[0].push(partAt(again)), 0, 2);
              },
              1,
              2,
            );
        },
        0,
        2,
      );
      const half = Math.ceil(count / 2);
      const range = (from: number, to: number) =>
        Array.from({ length: Math.abs(to - from) }, (_, i) => (to > from ? from + i : from - i));
      expect(byThread, `${count} parts`).toEqual([[0, ...range(1, half), ...range(count - 1, half)], [half]]);
      expect(control[DONE]).toBe(count);
    }
  });
});

const argsAt = (part: number) => ARGS_AT + part * MAX_ARGS;
const partAt = (at: number) => (at - ARGS_AT) / MAX_ARGS;
