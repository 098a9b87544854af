import { describe, expect, it } from "vitest";
import {
  DECIMAL_ONE,
  UINT128_MAX,
  decDiv,
  decMul,
  divCeil,
  divFloor,
  formatDecimal,
  mulCeil,
  mulFloor,
  mulRatioCeil,
  mulRatioFloor,
  parseDecimal,
  parseUint128,
  ratio,
} from "./decimal.js";
import { MarsMathError, MarsParseError } from "./errors.js";

const D = (s: string): bigint => parseDecimal(s);

describe("parseDecimal", () => {
  it.each([
    ["0", 0n],
    ["1", DECIMAL_ONE],
    ["0.75", 750_000_000_000_000_000n],
    ["1.05", 1_050_000_000_000_000_000n],
    ["1.50", 1_500_000_000_000_000_000n], // trailing zeros accepted
    ["0.038461538461538462", 38_461_538_461_538_462n],
    ["0.000000000000000001", 1n],
    ["0.000000003", 3_000_000_000n], // WETH price (spec §5)
    ["1000000", 1_000_000n * DECIMAL_ONE], // the fixed `usd` price
    ["00.5", 500_000_000_000_000_000n],
    ["340282366920938463463.374607431768211455", UINT128_MAX],
  ])("parses %s", (input, atomics) => {
    expect(parseDecimal(input)).toBe(atomics);
  });

  it.each([
    ["", "expected digits"],
    [".5", "expected digits"],
    ["1.", "expected digits"],
    ["-1", "expected digits"],
    ["+1", "expected digits"],
    ["1e5", "expected digits"],
    [" 1", "expected digits"],
    ["1.2.3", "expected digits"],
    ["0.0000000000000000001", "more than 18 fractional digits (19)"],
    ["340282366920938463463.374607431768211456", "value too big"],
  ])("rejects %j", (input, reason) => {
    expect(() => parseDecimal(input, "max_loan_to_value of uosmo")).toThrow(MarsParseError);
    expect(() => parseDecimal(input, "max_loan_to_value of uosmo")).toThrow(`cannot parse max_loan_to_value of uosmo ${JSON.stringify(input)}: ${reason}`);
  });
});

describe("formatDecimal", () => {
  it.each([
    [0n, "0"],
    [DECIMAL_ONE, "1"],
    [750_000_000_000_000_000n, "0.75"],
    [38_461_538_461_538_462n, "0.038461538461538462"],
    [961_538_461_538_461_538n, "0.961538461538461538"],
    [1n, "0.000000000000000001"],
    [1_000_000n * DECIMAL_ONE, "1000000"],
    [12_345_000_000_000_000_000n, "12.345"],
  ])("formats %s as %s and parses back", (atomics, text) => {
    expect(formatDecimal(atomics)).toBe(text);
    expect(parseDecimal(text)).toBe(atomics);
  });

  it("rejects negative atomics", () => {
    expect(() => formatDecimal(-1n)).toThrow(MarsMathError);
  });
});

describe("parseUint128", () => {
  it.each([
    ["0", 0n],
    ["1000000", 1_000_000n],
    ["340282366920938463463374607431768211455", UINT128_MAX],
  ])("parses %s", (input, value) => {
    expect(parseUint128(input)).toBe(value);
  });

  it.each([
    ["", "expected a non-negative integer"],
    ["-1", "expected a non-negative integer"],
    ["1.0", "expected a non-negative integer"],
    ["0x10", "expected a non-negative integer"],
    ["340282366920938463463374607431768211456", "value too big for a Uint128"],
  ])("rejects %j with a labelled message", (input, reason) => {
    expect(() => parseUint128(input, "amount_scaled of uosmo")).toThrow(`cannot parse amount_scaled of uosmo ${JSON.stringify(input)}: ${reason}`);
  });
});

describe("rounding primitives (spec §1)", () => {
  it.each([
    // name, fn, a, b, expected
    ["mulFloor 7·0.5", mulFloor, 7n, D("0.5"), 3n],
    ["mulCeil 7·0.5", mulCeil, 7n, D("0.5"), 4n],
    ["mulCeil exact", mulCeil, 8n, D("0.5"), 4n],
    ["mulCeil zero", mulCeil, 0n, D("0.25"), 0n],
    ["divFloor 7/0.5", divFloor, 7n, D("0.5"), 14n],
    ["divFloor 10/3", divFloor, 10n, D("3"), 3n],
    ["divCeil 10/3", divCeil, 10n, D("3"), 4n],
    ["divCeil exact", divCeil, 9n, D("3"), 3n],
    ["ratio 3.75e9/3.9e9", ratio, 3_750_000_000n, 3_900_000_000n, D("0.961538461538461538")],
    ["ratio 5e9/3.9e9", ratio, 5_000_000_000n, 3_900_000_000n, D("1.282051282051282051")],
    ["decMul 0.75·1.038461538461538462", decMul, D("0.75"), D("1.038461538461538462"), D("0.778846153846153846")],
    ["decMul floors", decMul, 1n, 1n, 0n],
    ["decDiv 1/3", decDiv, D("1"), D("3"), D("0.333333333333333333")],
  ] as const)("%s", (_name, fn, a, b, expected) => {
    expect(fn(a, b)).toBe(expected);
  });

  it("integer-fraction helpers round as checked_mul_ceil / multiply_ratio", () => {
    expect(mulRatioCeil(10_000_000_000n, 3_900_000_000_000_000n, 10_000_000_000_000_000n)).toBe(3_900_000_000n);
    expect(mulRatioCeil(10n, 1n, 3n)).toBe(4n);
    expect(mulRatioFloor(10n, 1n, 3n)).toBe(3n);
  });

  it.each([
    ["divFloor", () => divFloor(1n, 0n)],
    ["divCeil", () => divCeil(1n, 0n)],
    ["ratio", () => ratio(1n, 0n)],
    ["decDiv", () => decDiv(1n, 0n)],
    ["mulRatioCeil", () => mulRatioCeil(1n, 1n, 0n)],
    ["mulRatioFloor", () => mulRatioFloor(1n, 1n, 0n)],
  ])("%s by zero throws MarsMathError", (_name, run) => {
    expect(run).toThrow(MarsMathError);
  });
});
