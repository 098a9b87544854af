import { ONE, dec, decStr } from "../math/decimal.js";
import { ContractError, type MarsVariant } from "./host.js";
import {
  asObject, denyUnknownFields, parseError, reqBool, reqDecimal, reqString, reqUint, type Fields,
} from "./mars-core/msg-fields.js";
import { validateNativeDenom } from "./mars-core/querier.js";
import { irmToJson, parseIrm, type InterestRateModelJson } from "./red-bank/interest-rate-model.js";

/**
 * `AssetParams` of the params contract (spec §4): JSON shapes of both deployments, parsing with
 * cw_serde's strictness (unknown fields rejected, so `close_factor` is an error on [OSMO]) and
 * `AssetParamsUnchecked::check` validation in the contract's order (spec §2.5 "Parameter
 * validation", `C:packages/types/src/params/{asset,assertions}.rs`; [NTRN] adds `close_factor ≤ 1`).
 */

/** The liquidation bonus curve (spec §2.5 step 3). */
export interface LiquidationBonusJson {
  starting_lb: string;
  slope: string;
  min_lb: string;
  max_lb: string;
}

/** High-levered-strategy params (`C:packages/types/src/params/hls.rs`). */
export interface HlsJson {
  max_loan_to_value: string;
  liquidation_threshold: string;
  correlations: ({ coin: { denom: string } } | { vault: { addr: string } })[];
}

/** `AssetParams` JSON; the [NTRN]-only fields are absent on [OSMO]. Field order as serialized. */
export interface AssetParamsJson {
  denom: string;
  credit_manager: { whitelisted: boolean; withdraw_enabled?: boolean; hls: HlsJson | null };
  red_bank: { deposit_enabled: boolean; borrow_enabled: boolean; withdraw_enabled?: boolean };
  max_loan_to_value: string;
  liquidation_threshold: string;
  liquidation_bonus: LiquidationBonusJson;
  protocol_liquidation_fee: string;
  deposit_cap: string;
  close_factor?: string;
  reserve_factor?: string;
  interest_rate_model?: InterestRateModelJson;
}

const T = "mars_types::params::asset::AssetParamsBase<alloc::string::String>";
const OSMO_FIELDS = ["denom", "credit_manager", "red_bank", "max_loan_to_value", "liquidation_threshold", "liquidation_bonus", "protocol_liquidation_fee", "deposit_cap"];
const NTRN_FIELDS = [...OSMO_FIELDS, "close_factor", "reserve_factor", "interest_rate_model"];

/** Parses, normalizes (trimmed Decimals, field order) and validates an `add_or_update` params body. */
export function checkAssetParams(variant: MarsVariant, value: unknown): AssetParamsJson {
  const p = parseAssetParams(variant, value);
  validateAssetParams(p);
  return p;
}

/** Parses and normalizes without validating (used for bulk set-up as well). */
export function parseAssetParams(variant: MarsVariant, value: unknown): AssetParamsJson {
  const neutron = variant === "neutron";
  const m = asObject(T, value);
  denyUnknownFields(T, m, neutron ? NTRN_FIELDS : OSMO_FIELDS);
  const cm = asObject(T, m.credit_manager ?? missing("credit_manager"));
  denyUnknownFields(T, cm, neutron ? ["whitelisted", "withdraw_enabled", "hls"] : ["whitelisted", "hls"]);
  const rb = asObject(T, m.red_bank ?? missing("red_bank"));
  denyUnknownFields(T, rb, neutron ? ["deposit_enabled", "borrow_enabled", "withdraw_enabled"] : ["deposit_enabled", "borrow_enabled"]);
  const lb = asObject(T, m.liquidation_bonus ?? missing("liquidation_bonus"));
  denyUnknownFields(T, lb, ["starting_lb", "slope", "min_lb", "max_lb"]);
  const d = (f: Fields, k: string) => decStr(reqDecimal(T, f, k));
  const out: AssetParamsJson = {
    denom: reqString(T, m, "denom"),
    credit_manager: neutron
      ? { whitelisted: reqBool(T, cm, "whitelisted"), withdraw_enabled: reqBool(T, cm, "withdraw_enabled"), hls: parseHls(cm.hls) }
      : { whitelisted: reqBool(T, cm, "whitelisted"), hls: parseHls(cm.hls) },
    red_bank: neutron
      ? { deposit_enabled: reqBool(T, rb, "deposit_enabled"), borrow_enabled: reqBool(T, rb, "borrow_enabled"), withdraw_enabled: reqBool(T, rb, "withdraw_enabled") }
      : { deposit_enabled: reqBool(T, rb, "deposit_enabled"), borrow_enabled: reqBool(T, rb, "borrow_enabled") },
    max_loan_to_value: d(m, "max_loan_to_value"),
    liquidation_threshold: d(m, "liquidation_threshold"),
    liquidation_bonus: { starting_lb: d(lb, "starting_lb"), slope: d(lb, "slope"), min_lb: d(lb, "min_lb"), max_lb: d(lb, "max_lb") },
    protocol_liquidation_fee: d(m, "protocol_liquidation_fee"),
    deposit_cap: reqUint(T, m, "deposit_cap").toString(),
  };
  if (neutron) {
    out.close_factor = d(m, "close_factor");
    out.reserve_factor = d(m, "reserve_factor");
    out.interest_rate_model = irmToJson(parseIrm(m.interest_rate_model ?? missing("interest_rate_model")));
  }
  return out;
}

/** `AssetParamsUnchecked::check` in the contract's order; errors read "Invalid param: X is V, but it should be P". */
export function validateAssetParams(p: AssetParamsJson): void {
  validateNativeDenom(p.denom);
  const v = dec;
  lt1("max_loan_to_value", p.max_loan_to_value);
  le1("liquidation_threshold", p.liquidation_threshold);
  if (v(p.liquidation_threshold) <= v(p.max_loan_to_value)) invalid("liquidation_threshold", p.liquidation_threshold, `> ${p.max_loan_to_value} (max LTV)`);
  if (p.close_factor !== undefined) le1("close_factor", p.close_factor);
  const lb = p.liquidation_bonus;
  if (v(lb.starting_lb) > v("0.1")) invalid("starting_lb", lb.starting_lb, "[0, 0.1]");
  if (v(lb.slope) < ONE || v(lb.slope) > 5n * ONE) invalid("slope", lb.slope, "[1, 5]");
  if (v(lb.min_lb) > v("0.1")) invalid("min_lb", lb.min_lb, "[0, 0.1]");
  if (v(lb.max_lb) < v("0.05") || v(lb.max_lb) > v("0.3")) invalid("max_lb", lb.max_lb, "[0.05, 0.3]");
  if (v(lb.min_lb) > v(lb.max_lb)) invalid("max_lb", lb.max_lb, `> ${lb.min_lb} (min LB)`);
  lt1("protocol_liquidation_fee", p.protocol_liquidation_fee);
  const hls = p.credit_manager.hls;
  if (hls) {
    lt1("hls_max_loan_to_value", hls.max_loan_to_value);
    le1("hls_liquidation_threshold", hls.liquidation_threshold);
    if (v(hls.liquidation_threshold) <= v(hls.max_loan_to_value)) {
      invalid("hls_liquidation_threshold", hls.liquidation_threshold, `> ${hls.max_loan_to_value} (hls max LTV)`);
    }
  }
}

/** Throws mars-utils' `ValidationError::InvalidParam` text. */
export function invalid(name: string, value: string, predicate: string): never {
  throw new ContractError(`Invalid param: ${name} is ${value}, but it should be ${predicate}`);
}

function lt1(name: string, value: string): void {
  if (dec(value) >= ONE) invalid(name, value, "< 1");
}

function le1(name: string, value: string): void {
  if (dec(value) > ONE) invalid(name, value, "<= 1");
}

function parseHls(value: unknown): HlsJson | null {
  if (value === undefined || value === null) return null;
  const H = "mars_types::params::hls::HlsParamsBase<alloc::string::String>";
  const h = asObject(H, value);
  denyUnknownFields(H, h, ["max_loan_to_value", "liquidation_threshold", "correlations"]);
  if (!Array.isArray(h.correlations)) throw parseError(H, "missing field `correlations`");
  const correlations = h.correlations.map((c: unknown) => {
    const o = asObject(H, c, "enum HlsAssetType");
    if (o.coin) return { coin: { denom: reqString(H, asObject(H, o.coin), "denom") } };
    if (o.vault) return { vault: { addr: reqString(H, asObject(H, o.vault), "addr") } };
    throw parseError(H, "unknown variant, expected one of `coin`, `vault`");
  });
  return {
    max_loan_to_value: decStr(reqDecimal(H, h, "max_loan_to_value")),
    liquidation_threshold: decStr(reqDecimal(H, h, "liquidation_threshold")),
    correlations,
  };
}

function missing(field: string): never {
  throw parseError(T, `missing field \`${field}\``);
}
