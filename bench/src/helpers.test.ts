import { describe, expect, it } from "vitest";
import { dropPrice } from "./devnet/liquidations.js";
import { median, percentile, summarize } from "./stats.js";
import { fmt, renderTable, spread } from "./table.js";

describe("bench helpers", () => {
  it("median and summary", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
    expect(summarize([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, samples: [5, 1, 3] });
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect([percentile(ten, 99), percentile(ten, 90), percentile(ten, 50), percentile(ten, 0)]).toEqual([10, 9, 5, 1]);
    expect(() => percentile([], 50)).toThrow();
  });

  it("dropPrice lowers a decimal price by a whole percentage without float error", () => {
    expect(dropPrice("0.5", 30)).toBe("0.35");
    expect(dropPrice("600", 30)).toBe("420");
    expect(dropPrice("0.000000003", 30)).toBe("0.0000000021");
    expect(dropPrice("1", 1)).toBe("0.99");
  });

  it("formats numbers, spreads and tables", () => {
    expect(fmt(1234567.891, 1)).toBe("1,234,567.9");
    expect(fmt(undefined)).toBe("-");
    expect(spread(summarize([1]))).toBeUndefined();
    expect(spread(summarize([1, 20]))).toBe("1..20");
    const t = renderTable("T", [{ figure: "a", value: "1", spread: "1..2", note: "n" }]).split("\n");
    expect(t[0]).toBe("T");
    expect(t[3]).toBe("  a            1  1..2      n");
  });
});
