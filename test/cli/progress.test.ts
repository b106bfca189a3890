// Progress output: how often it writes (throttled live bar on a terminal, one line per tenth of the
// run otherwise) and what each line carries. Counts are worked out by hand from the rules in progress.ts.
import { describe, expect, it } from "vitest";
import { Progress } from "../../src/cli/progress.js";
import { formatTable } from "../../src/cli/report/table.js";

function capture(tty: boolean, msPerEpoch: number, total: number) {
  const writes: string[] = [];
  let clock = 0;
  const progress = new Progress({
    label: "run",
    total,
    tty,
    now: () => clock,
    stream: { write: (t: string) => writes.push(t), columns: 120 },
  });
  for (let epoch = 1; epoch <= total; epoch++) {
    clock += msPerEpoch;
    progress.update(epoch, { loss: 1 / epoch, acc: epoch / total, valAcc: epoch === 50 ? 0.625 : undefined });
  }
  progress.finish();
  return writes;
}

describe("Progress", () => {
  it("without a terminal prints a plain line every tenth of the run and at the end", () => {
    const lines = capture(false, 10, 100);
    // Epochs 1, 11, 21, …, 91 and 100.
    expect(lines).toHaveLength(11);
    expect(lines.every((l) => l.endsWith("\n") && !l.includes("\r"))).toBe(true);
    expect(lines[10]).toContain("epoch 100/100");
    expect(lines[10]).toContain("acc 1.000");
    // The last validation accuracy seen (epoch 50) is carried to later lines.
    expect(lines[10]).toContain("val acc 0.625");
  });

  it("on a terminal redraws one line at most every 100 ms, always at the end, then ends the line", () => {
    const writes = capture(true, 10, 100);
    // Clock 10 ms per epoch: draws at epochs 1, 11, …, 91 (100 ms apart) and 100; then finish's newline.
    expect(writes).toHaveLength(12);
    expect(writes.slice(0, 11).every((w) => w.startsWith("\r"))).toBe(true);
    expect(writes[10]).toContain("100%");
    expect(writes[11]).toBe("\n");
  });

  it("says what the epoch figures are: fit()'s own, on the training data in training mode, before the update", () => {
    const line = (dropout: boolean) => {
      const writes: string[] = [];
      const progress = new Progress({
        label: "run",
        total: 10,
        tty: false,
        dropout,
        stream: { write: (t) => writes.push(t) },
      });
      progress.update(1, { loss: 1.5, acc: 0.25 });
      return writes[0];
    };
    expect(line(true)).toMatch(
      /^run: epoch 1\/10 {2}train \(dropout on, before update\) loss 1\.500 acc 0\.250 {2}val acc/,
    );
    expect(line(false)).toMatch(/^run: epoch 1\/10 {2}train \(before update\) loss 1\.500 acc 0\.250 {2}val acc/);
  });

  it("ends with the trained model's figures, formatted as in the table", () => {
    for (const tty of [false, true]) {
      const writes: string[] = [];
      let clock = 0;
      const progress = new Progress({
        label: "run",
        total: 10,
        tty,
        now: () => clock,
        stream: { write: (t) => writes.push(t) },
      });
      progress.update(4, { loss: 1, acc: 0.5 });
      clock = 2500;
      const final = { trainAcc: 0.91234, trainLoss: 0.30149, valAcc: 0.8, valLoss: 0.50551 };
      progress.finish({ ...final, epochs: 4 });
      const row = formatTable([{ name: "run", ...final, dataLoss: 0, regLoss: 0, wallS: 2.5 }])
        .split("\n")[2]
        .split(/\s{2,}/);
      expect(writes.at(-1)).toBe(
        `run: stopped at epoch 4/10, trained model (dropout off): train acc ${row[1]}  train loss ${row[2]}  val acc ${row[3]}  val loss ${row[4]}  2.5s\n`,
      );
    }
  });
});
