import type { Row } from "./types.js";

/** Formats a number with thousands separators and at most `digits` decimals. */
export function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || Number.isNaN(value)) return "-";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** `min..max` of a summary, or undefined for a single sample. */
export function spread(s: { min: number; max: number; samples: number[] } | undefined, digits = 0): string | undefined {
  if (!s || s.samples.length < 2) return undefined;
  return `${fmt(s.min, digits)}..${fmt(s.max, digits)}`;
}

/** A plain-text table: figure, value (median), spread, note. */
export function renderTable(title: string, rows: readonly Row[]): string {
  const head: Row = { figure: "figure", value: "median", spread: "min..max", note: "note" };
  const all = [head, ...rows];
  const w = {
    figure: Math.max(...all.map((r) => r.figure.length)),
    value: Math.max(...all.map((r) => r.value.length)),
    spread: Math.max(...all.map((r) => (r.spread ?? "").length)),
  };
  const line = (r: Row) => `  ${r.figure.padEnd(w.figure)}  ${r.value.padStart(w.value)}  ${(r.spread ?? "").padEnd(w.spread)}  ${r.note ?? ""}`.trimEnd();
  const rule = `  ${"-".repeat(w.figure)}  ${"-".repeat(w.value)}  ${"-".repeat(w.spread)}  ----`;
  return [title, line(head), rule, ...rows.map(line)].join("\n");
}
