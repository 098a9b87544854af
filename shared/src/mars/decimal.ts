/**
 * CosmWasm `Decimal` and `Uint128` as bigint, with the rounding primitives of spec §1
 * (cosmwasm-std 1.5 semantics). A Decimal is held as its 18-digit atomics: 0.75 is
 * `750_000_000_000_000_000n`. Every helper takes non-negative integers; none uses floating point.
 */
import { MarsMathError, MarsParseError } from "./errors.js";

/** Number of fractional digits of a CosmWasm Decimal (spec §1). */
export const DECIMAL_PLACES = 18;

/** Atomics of Decimal 1 (`Decimal::one()`), i.e. 10^18 (spec §1: 18 fractional digits). */
export const DECIMAL_ONE = 1_000_000_000_000_000_000n;

/** Largest Uint128 and largest Decimal atomics, 2^128 − 1 (spec §1). */
export const UINT128_MAX = (1n << 128n) - 1n;

const DECIMAL_RE = /^(\d+)(?:\.(\d+))?$/;
const UINT_RE = /^\d+$/;
const FRACTION_PAD = "0".repeat(DECIMAL_PLACES);

/**
 * Parses a Decimal string as the contracts serialize it (`"0.75"`, `"1"`, `"0.038461538461538462"`)
 * into atomics (spec §1). Like `Decimal::from_str`, a whole part is required, at most 18 fractional
 * digits are accepted and trailing zeros are fine (`"1.50"`); signs, exponents and spaces are not.
 * `label` names the field in the error, e.g. `"max_loan_to_value of uosmo"`.
 */
export function parseDecimal(input: string, label = "Decimal"): bigint {
  const m = DECIMAL_RE.exec(input);
  if (m === null) throw new MarsParseError(label, input, "expected digits with an optional '.' and fractional digits, e.g. \"0.75\"");
  const fraction = m[2] ?? "";
  if (fraction.length > DECIMAL_PLACES) throw new MarsParseError(label, input, `more than ${DECIMAL_PLACES} fractional digits (${fraction.length})`);
  const atomics = BigInt(m[1] ?? "0") * DECIMAL_ONE + BigInt((fraction + FRACTION_PAD).slice(0, DECIMAL_PLACES));
  if (atomics > UINT128_MAX) throw new MarsParseError(label, input, "value too big for a Decimal (atomics above 2^128 − 1)");
  return atomics;
}

/**
 * Formats Decimal atomics exactly like CosmWasm's `Display` (spec §1): the fractional part is padded to 18
 * digits and then trailing zeros are trimmed, and dropped entirely when zero (`"1"`, `"0.75"`).
 */
export function formatDecimal(atomics: bigint): string {
  if (atomics < 0n) throw new MarsMathError(`cannot format negative Decimal atomics ${atomics}`);
  const whole = atomics / DECIMAL_ONE;
  const fraction = atomics % DECIMAL_ONE;
  if (fraction === 0n) return whole.toString();
  return `${whole}.${fraction.toString().padStart(DECIMAL_PLACES, "0").replace(/0+$/, "")}`;
}

/** Parses a Uint128 decimal string (`"1000000"`, spec §1); digits only, at most 2^128 − 1. */
export function parseUint128(input: string, label = "Uint128"): bigint {
  if (!UINT_RE.test(input)) throw new MarsParseError(label, input, "expected a non-negative integer string of digits");
  const value = BigInt(input);
  if (value > UINT128_MAX) throw new MarsParseError(label, input, "value too big for a Uint128 (above 2^128 − 1)");
  return value;
}

/** `u ×↓ D` = floor(u·D): `checked_mul_floor`, and plain `u * D` (spec §1). */
export function mulFloor(amount: bigint, decimal: bigint): bigint {
  return (amount * decimal) / DECIMAL_ONE;
}

/** `u ×↑ D` = ceil(u·D): `checked_mul_ceil` (spec §1). */
export function mulCeil(amount: bigint, decimal: bigint): bigint {
  return (amount * decimal + DECIMAL_ONE - 1n) / DECIMAL_ONE;
}

/** `u ÷↓ D` = floor(u/D): `checked_div_floor` (spec §1); throws on D = 0 like the contract. */
export function divFloor(amount: bigint, decimal: bigint): bigint {
  if (decimal === 0n) throw new MarsMathError(`division by a zero Decimal (dividend ${amount})`);
  return (amount * DECIMAL_ONE) / decimal;
}

/** `u ÷↑ D` = ceil(u/D): `checked_div_ceil`, used for scaled debt (spec §2.3); throws on D = 0. */
export function divCeil(amount: bigint, decimal: bigint): bigint {
  if (decimal === 0n) throw new MarsMathError(`division by a zero Decimal (dividend ${amount})`);
  return (amount * DECIMAL_ONE + decimal - 1n) / decimal;
}

/** `ratio(a, b)` = `Decimal::checked_from_ratio(a, b)` = floor(a/b·1e18) atomics (spec §1); throws on b = 0. */
export function ratio(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new MarsMathError(`Decimal ratio with a zero denominator (numerator ${numerator})`);
  return (numerator * DECIMAL_ONE) / denominator;
}

/** `D·D`: Decimal multiplication, floored to 18 digits (spec §1). */
export function decMul(a: bigint, b: bigint): bigint {
  return (a * b) / DECIMAL_ONE;
}

/** `D/D`: Decimal division `checked_div`, floored to 18 digits like `D·D` (spec §1); throws on a zero divisor. */
export function decDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new MarsMathError(`Decimal division by zero (dividend ${a} atomics)`);
  return (a * DECIMAL_ONE) / b;
}

/**
 * `u.checked_mul_ceil((numerator, denominator))` = ceil(u·n/d) with an integer fraction, as the credit
 * manager converts debt shares to an amount (spec §6.3); throws on d = 0.
 */
export function mulRatioCeil(amount: bigint, numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new MarsMathError(`fraction with a zero denominator (amount ${amount}, numerator ${numerator})`);
  return (amount * numerator + denominator - 1n) / denominator;
}

/** `u.multiply_ratio(n, d)` = floor(u·n/d) with an integer fraction (spec §6.2 borrow shares); throws on d = 0. */
export function mulRatioFloor(amount: bigint, numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new MarsMathError(`fraction with a zero denominator (amount ${amount}, numerator ${numerator})`);
  return (amount * numerator) / denominator;
}
