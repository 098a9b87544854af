import { dec } from "../../math/decimal.js";
import { ContractError } from "../host.js";

/**
 * Reading cw_serde JSON messages (spec §1): required/optional fields, `Uint128` as decimal strings,
 * `Decimal` as strings with at most 18 fractional digits, `null` or a missing field for `None`.
 * Failures read like the serde errors a CosmWasm contract returns for a malformed message:
 * `Error parsing into type <Rust type>: <reason>`.
 */

/** A JSON object as a message body. */
export type Fields = Record<string, unknown>;

/** The error a contract gives for a message it cannot deserialize into `typeName`. */
export function parseError(typeName: string, reason: string): ContractError {
  return new ContractError(`Error parsing into type ${typeName}: ${reason}`);
}

/** serde's error for an enum variant the contract does not have. */
export function unknownVariant(typeName: string, got: string, expected: readonly string[]): ContractError {
  return parseError(typeName, `unknown variant \`${got}\`, expected one of ${expected.map((v) => `\`${v}\``).join(", ")}`);
}

/** cw_serde structs deny unknown fields: throws for the first field not in `allowed`. */
export function denyUnknownFields(typeName: string, obj: Fields, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) {
      throw parseError(typeName, `unknown field \`${k}\`, expected one of ${allowed.map((v) => `\`${v}\``).join(", ")}`);
    }
  }
}

/** The value as a JSON object, or a parse error naming what was expected. */
export function asObject(typeName: string, value: unknown, what = "struct"): Fields {
  if (value && typeof value === "object" && !Array.isArray(value)) return value as Fields;
  throw parseError(typeName, `invalid type: ${describe(value)}, expected ${what}`);
}

/** A required string field. */
export function reqString(typeName: string, m: Fields, field: string): string {
  const v = m[field];
  if (v === undefined || v === null) throw parseError(typeName, `missing field \`${field}\``);
  if (typeof v !== "string") throw parseError(typeName, `invalid type: ${describe(v)}, expected a string`);
  return v;
}

/** An optional string field (`null` or missing is `None`). */
export function optString(typeName: string, m: Fields, field: string): string | null {
  const v = m[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw parseError(typeName, `invalid type: ${describe(v)}, expected a string`);
  return v;
}

/** A required `Uint128` field (a decimal string). */
export function reqUint(typeName: string, m: Fields, field: string): bigint {
  return toUint(typeName, reqString(typeName, m, field));
}

/** An optional `Uint128` field. */
export function optUint(typeName: string, m: Fields, field: string): bigint | null {
  const s = optString(typeName, m, field);
  return s === null ? null : toUint(typeName, s);
}

/** A required `Decimal` field, as 18-digit atomics. */
export function reqDecimal(typeName: string, m: Fields, field: string): bigint {
  return toDecimal(typeName, reqString(typeName, m, field));
}

/** An optional `Decimal` field. */
export function optDecimal(typeName: string, m: Fields, field: string): bigint | null {
  const s = optString(typeName, m, field);
  return s === null ? null : toDecimal(typeName, s);
}

/** A required bool field. */
export function reqBool(typeName: string, m: Fields, field: string): boolean {
  const v = m[field];
  if (v === undefined || v === null) throw parseError(typeName, `missing field \`${field}\``);
  if (typeof v !== "boolean") throw parseError(typeName, `invalid type: ${describe(v)}, expected a boolean`);
  return v;
}

/** An optional bool field. */
export function optBool(typeName: string, m: Fields, field: string): boolean | null {
  const v = m[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== "boolean") throw parseError(typeName, `invalid type: ${describe(v)}, expected a boolean`);
  return v;
}

/** An optional `u32` field (pagination limits). */
export function optU32(typeName: string, m: Fields, field: string): number | null {
  const v = m[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw parseError(typeName, `invalid type: ${describe(v)}, expected u32`);
  }
  return v;
}

/** A `Uint128` from its decimal string. */
export function toUint(typeName: string, s: string): bigint {
  if (!/^\d+$/.test(s)) throw parseError(typeName, `Invalid Uint128 string: ${JSON.stringify(s)}`);
  const v = BigInt(s);
  if (v >= 1n << 128n) throw parseError(typeName, `Uint128 overflow: ${s}`);
  return v;
}

/** A `Decimal` from its string form (at most 18 fractional digits). */
export function toDecimal(typeName: string, s: string): bigint {
  try {
    return dec(s);
  } catch (err) {
    throw parseError(typeName, (err as Error).message);
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "sequence";
  if (typeof v === "object") return "map";
  if (typeof v === "string") return `string ${JSON.stringify(v)}`;
  return `${typeof v} \`${String(v)}\``;
}
