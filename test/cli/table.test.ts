// The stdout table: aligned columns and the stated rounding.
import { expect, it } from "vitest";
import { formatTable } from "../../src/cli/report/table.js";

it("formatTable aligns columns and rounds as documented", () => {
  const table = formatTable([
    {
      name: "a long run name",
      trainAcc: 0.91234,
      trainLoss: 0.3,
      valAcc: 0.5,
      valLoss: 1.23456,
      dataLoss: 0.25,
      regLoss: 0.05,
      wallS: 12.345,
    },
    { name: "b", trainAcc: 1, trainLoss: 0, valAcc: 0, valLoss: 0, dataLoss: 0, regLoss: 0, wallS: 0.04 },
  ]);
  const lines = table.split("\n");
  expect(lines).toHaveLength(4);
  expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  expect(lines[0].split(/\s{2,}/)).toEqual([
    "run",
    "train acc",
    "train loss",
    "val acc",
    "val loss",
    "data loss",
    "reg loss",
    "time (s)",
  ]);
  expect(lines[2].split(/\s{2,}/)).toEqual([
    "a long run name",
    "0.912",
    "0.300",
    "0.500",
    "1.235",
    "0.250",
    "0.0500",
    "12.3",
  ]);
  expect(lines[3].startsWith("b ")).toBe(true);
});
