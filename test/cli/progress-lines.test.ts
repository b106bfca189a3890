// The progress lines character for character (progress.test.ts counts them): the plain line, the
// terminal bar (its width from the terminal's columns, 10 to 30 cells), and where the defaults come
// from. Expected strings are written out from the format in progress.ts.
import { describe, expect, it } from "vitest";
import { Progress, type ProgressOptions } from "../../src/cli/progress.js";

function make(options: Partial<ProgressOptions> & { columns?: number; isTTY?: boolean }) {
  const writes: string[] = [];
  let clock = 1000;
  const progress = new Progress({
    label: "L2",
    total: 4,
    now: () => clock,
    stream: { write: (t: string) => writes.push(t), columns: options.columns, isTTY: options.isTTY },
    ...options,
  });
  return { progress, writes, tick: (ms: number) => (clock += ms) };
}

describe("Progress lines", () => {
  it("plain: label, epoch, training-mode loss and accuracy to 3 decimals, the last validation accuracy (– before any), seconds", () => {
    const { progress, writes, tick } = make({ tty: false });
    tick(1500);
    progress.update(1, { loss: 1.23456, acc: 0.5 });
    tick(1000);
    progress.update(4, { loss: 0.1, acc: 1, valAcc: 0.75 });
    progress.finish();
    expect(writes).toEqual([
      "L2: epoch 1/4  train (before update) loss 1.235 acc 0.500  val acc   –    1.5s\n",
      "L2: epoch 4/4  train (before update) loss 0.100 acc 1.000  val acc 0.750  2.5s\n",
    ]);
  });

  it("plain: a line every ceil(total / 10) epochs (at least 1), and always the last", () => {
    const { progress, writes } = make({ tty: false, total: 25 });
    for (let e = 1; e <= 25; e++) progress.update(e, { loss: 0, acc: 0 });
    expect(writes.map((w) => /epoch (\d+)/.exec(w)![1])).toEqual(["1", "4", "7", "10", "13", "16", "19", "22", "25"]);
  });

  it("terminal: a bar of 30 cells on a wide terminal, rounded fill, floor of the percentage", () => {
    const { progress, writes } = make({ tty: true, total: 3, columns: 200 });
    progress.update(2, { loss: 0.5, acc: 0.25 });
    const figures = "epoch 2/3  train (before update) loss 0.500 acc 0.250  val acc   –    0.0s";
    expect(writes).toEqual([`\rL2 [${"█".repeat(20)}${"░".repeat(10)}]  66%  ${figures}\x1b[K`]);
  });

  it("terminal: the bar shrinks with the terminal (columns − 1 − label − percent − figures − 6), and goes below 10 cells", () => {
    const figures = "epoch 1/4  train (before update) loss 0.500 acc 0.250  val acc   –    0.0s"; // 74 characters
    const line = (columns: number | undefined) => {
      const { progress, writes } = make({ tty: true, columns });
      progress.update(1, { loss: 0.5, acc: 0.25 });
      return writes[0];
    };
    const bar = (columns: number | undefined) => line(columns).slice(0, line(columns).indexOf("]") + 1);
    // 100 − 1 − 2 − 4 − 74 − 6 = 13 cells, 25% of them filled (3.25 → 3); 100 is also the default
    expect(bar(100)).toBe(`\rL2 [${"█".repeat(3)}${"░".repeat(10)}]`);
    expect(bar(undefined)).toBe(bar(100));
    expect(bar(120)).toBe(`\rL2 [${"█".repeat(8)}${"░".repeat(22)}]`); // 33 cells, capped at 30
    // fewer than 10 cells of room: no bar, the line cut to the terminal
    expect(line(80)).toBe(`${`\rL2  25%  ${figures}`.slice(0, 80)}\x1b[K`);
    expect(figures).toHaveLength(74);
  });

  it("terminal: redraws after 100 ms, not before; a finished run always draws and ends its line", () => {
    const { progress, writes, tick } = make({ tty: true });
    progress.update(1, { loss: 0, acc: 0 });
    tick(99);
    progress.update(2, { loss: 0, acc: 0 });
    tick(1);
    progress.update(3, { loss: 0, acc: 0 });
    progress.update(4, { loss: 0, acc: 0 });
    progress.finish();
    expect(writes.map((w) => (w === "\n" ? "newline" : /epoch (\d)/.exec(w)![1]))).toEqual(["1", "3", "4", "newline"]);
  });

  it("is a terminal when the stream says so, unless told otherwise", () => {
    const tty = make({ isTTY: true });
    tty.progress.update(1, { loss: 0, acc: 0 });
    expect(tty.writes[0].startsWith("\r")).toBe(true);
    const forced = make({ isTTY: true, tty: false });
    forced.progress.update(1, { loss: 0, acc: 0 });
    expect(forced.writes[0].startsWith("L2: ")).toBe(true);
    const plain = make({});
    plain.progress.update(1, { loss: 0, acc: 0 });
    plain.progress.finish();
    expect(plain.writes).toHaveLength(1);
  });
});

describe("Progress clock", () => {
  it("reads the performance clock by default: elapsed seconds are a number", () => {
    const writes: string[] = [];
    const progress = new Progress({
      label: "x",
      total: 1,
      tty: false,
      stream: { write: (t: string) => writes.push(t) },
    });
    progress.update(1, { loss: 0, acc: 0 });
    expect(writes[0]).toMatch(/ \d+\.\ds\n$/);
  });
});

describe("Progress: the line that ends a run", () => {
  const final = { trainAcc: 0.5, trainLoss: 1, valAcc: 0.25, valLoss: 2 };
  const figures = "trained model (dropout off): train acc 0.500  train loss 1.000  val acc 0.250  val loss 2.000";

  it("all epochs trained: done N/N epochs; fewer: stopped at epoch k/N", () => {
    const done = make({ tty: false });
    done.progress.finish({ ...final, epochs: 4, wallS: 1.5 });
    const stopped = make({ tty: false });
    stopped.progress.finish({ ...final, epochs: 3, wallS: 1.5 });
    expect(done.writes.at(-1)!.replace(figures, "…")).toBe("L2: done 4/4 epochs, …  1.5s\n");
    expect(stopped.writes.at(-1)!.replace(figures, "…")).toBe("L2: stopped at epoch 3/4, …  1.5s\n");
  });

  it("without wallS: the seconds since the Progress was made, on the injected clock", () => {
    // the clock starts at 1000 ms (make), so the elapsed time is now − start, not now alone or now + start
    const { progress, writes, tick } = make({ tty: false });
    tick(2500);
    progress.finish({ ...final, epochs: 4 });
    expect(writes.at(-1)!.endsWith(`${figures}  2.5s\n`)).toBe(true);
  });

  it("ends a drawn bar's line once: a second finish writes no second newline", () => {
    const { progress, writes } = make({ tty: true });
    progress.update(1, { loss: 0, acc: 0 });
    progress.finish();
    progress.finish();
    expect(writes.slice(1)).toEqual(["\n"]);
  });

  it("terminal: exactly 10 cells of room still draws the bar; 9 do not", () => {
    const figures = "epoch 1/4  train (before update) loss 0.500 acc 0.250  val acc   –    0.0s"; // 74 characters
    const line = (columns: number) => {
      const { progress, writes } = make({ tty: true, columns });
      progress.update(1, { loss: 0.5, acc: 0.25 });
      return writes[0];
    };
    // 97 − 1 − 2 − 4 − 74 − 6 = 10 cells, 25% of them (2.5) rounds to 3
    expect(line(97)).toBe(`\rL2 [${"█".repeat(3)}${"░".repeat(7)}]  25%  ${figures}\x1b[K`);
    expect(line(96)).toBe(`\rL2  25%  ${figures}\x1b[K`); // 85 characters: nothing to cut
  });
});
