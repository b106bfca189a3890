// Progress output: how often it writes (throttled live bar on a terminal, one line per tenth of the
// run otherwise) and what each line carries. Counts are worked out by hand from the rules in progress.ts.
import { describe, expect, it } from "vitest";
import { Progress } from "../../src/cli/progress.js";

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
});
