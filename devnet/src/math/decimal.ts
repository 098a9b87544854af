/**
 * CosmWasm `Decimal` (18 fractional digits) and `Uint128` arithmetic as the Mars contracts use it,
 * written for the devnet from spec/mars-contracts.md §1 independently of the bot's own math, so
 * the two implementations check each other. A Decimal is its atomics: value · 10^18, as bigint.
 */
export const DECIMAL_FRACTIONAL = 10n ** 18n;
export const ONE = DECIMAL_FRACTIONAL;
export const ZERO = 0n;

/** Parses "0.75", "1", "0.038461538461538462" into atomics; rejects more than 18 fractional digits. */
export function dec(s: string): bigint {
  if (!/^\d+(\.\d+)?$/.test(s)) throw new Error(`Invalid decimal: ${JSON.stringify(s)}`);
  const [int, frac = ""] = s.split(".");
  if (frac.length > 18) throw new Error(`Invalid decimal: too many fractional digits in ${s}`);
  return BigInt(int!) * ONE + BigInt(frac.padEnd(18, "0"));
}

/** Formats atomics as CosmWasm does: trailing zeros trimmed, no trailing dot ("0.75", "1"). */
export function decStr(a: bigint): string {
  if (a < 0n) throw new Error("negative decimal");
  const int = a / ONE;
  const frac = (a % ONE).toString().padStart(18, "0").replace(/0+$/, "");
  return frac ? `${int}.${frac}` : `${int}`;
}

/** Parses a Uint128 decimal string. */
export function uint(s: string | number | bigint): bigint {
  if (typeof s === "bigint") return s;
  const str = String(s);
  if (!/^\d+$/.test(str)) throw new Error(`Invalid Uint128: ${JSON.stringify(s)}`);
  return BigInt(str);
}

/** Decimal · Decimal, floored to 18 digits. */
export function decMul(a: bigint, b: bigint): bigint {
  return (a * b) / ONE;
}

/** Decimal / Decimal, floored to 18 digits (division by zero throws). */
export function decDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error("Cannot divide by zero");
  return (a * ONE) / b;
}

/** `u ×↓ D`: floor(u · D). */
export function mulFloor(u: bigint, d: bigint): bigint {
  return (u * d) / ONE;
}

/** `u ×↑ D`: ceil(u · D). */
export function mulCeil(u: bigint, d: bigint): bigint {
  return ceilDiv(u * d, ONE);
}

/** `u ÷↓ D`: floor(u / D). */
export function divFloor(u: bigint, d: bigint): bigint {
  if (d === 0n) throw new Error("Cannot divide by zero");
  return (u * ONE) / d;
}

/** `ratio(a, b)`: the Decimal floor(a/b · 1e18)/1e18 of two integers. */
export function ratio(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error("Cannot divide by zero");
  return (a * ONE) / b;
}

/** Integer ceil(a / b) for non-negative a and positive b. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error("Cannot divide by zero");
  return (a + b - 1n) / b;
}

export const min = (...xs: bigint[]): bigint => xs.reduce((m, x) => (x < m ? x : m));
export const max = (...xs: bigint[]): bigint => xs.reduce((m, x) => (x > m ? x : m));
