// The thread pool's job protocol, replayed step by step on one thread: while the caller opens the
// next job, a worker still looping over the previous one (it may read any mix of old and new words)
// must claim nothing at every step, and once the job is open its parts are each claimed exactly
// once. Checked for the caller's takeParts and for the copy in the workers' source text.
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
  take(control, job, () => {});
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
            take(control, previous, (_kernel, at) => claimed.push(at));
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
        take(control, job, (kernel, at) => claimed.push([kernel, at]));
        const argsAt = (part: number) => ARGS_AT + part * MAX_ARGS;
        expect(claimed).toEqual(Array.from({ length: count }, (_, part) => [7, argsAt(part)]));
        expect(control[DONE]).toBe(count);
        take(control, job, () => expect.unreachable("a part claimed twice"));
      }
    }
  });
});
