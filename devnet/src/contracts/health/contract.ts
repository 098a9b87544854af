import { ContractError, response, variant, type Contract, type ExecuteContext, type MarsVariant, type QueryContext, type Response } from "../host.js";
import { optString, reqString, type Fields } from "../mars-core/msg-fields.js";
import { assertOwner, initOwner } from "../mars-core/owner.js";
import { ownerResponse, updateOwner } from "../credit-manager/common/owner-update.js";
import { queryContract } from "../mars-core/querier.js";
import { dec, decStr } from "../../math/decimal.js";
import { Item } from "../../state/storage.js";
import { computeHealth, healthValuesJson, type DenomAmount, type HealthAssetParams, type HealthPositions, type HealthValues } from "./compute.js";

const QUERY = "mars_types::health::QueryMsg";
const CREDIT_MANAGER = new Item<string>("credit_manager");

/** Oracle price kind (spec §5): `default` or `liquidation`. */
export type ActionKind = "default" | "liquidation";

/** Constructor options of {@link HealthModel} (the contract's InstantiateMsg). */
export interface HealthOptions {
  variant: MarsVariant;
  owner: string;
  /** The credit manager whose accounts it computes (settable later with `update_config`). */
  creditManager?: string;
}

/**
 * The Mars health contract (`mars-rover-health`, spec §6.3–6.4). It reads the account's
 * `positions` from the credit manager, params and prices (`action=liquidation` → liquidation
 * prices) for every denom involved — denoms without params are skipped — and runs
 * {@link computeHealth}. Queries: `health_values`, `health_state`, `config`.
 * Osmosis: `{"health_values":{"account_id","kind","action"}}` (the `kind` given drives the
 * computation, as on chain); neutron: `{"health_values":{"account_id","action"}}` (kind read
 * from positions) and the response adds `perps_pnl_profit`, `perps_pnl_loss`, `has_perps`.
 * Execute: `update_owner`, `update_config {credit_manager}` (owner only).
 */
export class HealthModel implements Contract {
  readonly contractName = "crates.io:mars-rover-health";
  readonly contractVersion: string;
  readonly marsVariant: MarsVariant;
  readonly #options: HealthOptions;

  constructor(options: HealthOptions) {
    this.marsVariant = options.variant;
    this.contractVersion = options.variant === "neutron" ? "2.3.0" : "2.1.0";
    this.#options = options;
  }

  /** Writes `owner` and `credit_manager` as the contract's instantiate does. */
  instantiate(ctx: ExecuteContext): Response {
    initOwner(ctx.store, this.#options.owner);
    if (this.#options.creditManager) CREDIT_MANAGER.save(ctx.store, this.#options.creditManager);
    return response();
  }

  execute(ctx: ExecuteContext, msg: unknown): Response {
    const [name, body] = variant(msg);
    if (name === "update_owner") {
      const res = response();
      for (const [k, v] of updateOwner(ctx.store, ctx.sender, (msg as Fields)["update_owner"])) res.attr(k, v);
      return res;
    }
    if (name === "update_config") {
      assertOwner(ctx.store, ctx.sender);
      const cm = reqString("mars_types::health::ExecuteMsg", body, "credit_manager");
      CREDIT_MANAGER.save(ctx.store, cm);
      return response().attr("action", "update_config").attr("credit_manager", cm);
    }
    throw new ContractError(`Error parsing into type mars_types::health::ExecuteMsg: unknown variant \`${name}\``);
  }

  query(ctx: QueryContext, msg: unknown): unknown {
    const [name, body] = variant(msg);
    if (name === "config") return { credit_manager: CREDIT_MANAGER.load(ctx.store) ?? null, owner_response: ownerResponse(ctx.store) };
    if (name !== "health_values" && name !== "health_state") throw new ContractError(`Error parsing into type ${QUERY}: unknown variant \`${name}\``);
    const accountId = reqString(QUERY, body, "account_id");
    const action = parseAction(body);
    const kindArg = this.#kindArg(body);
    const positions = this.#positions(ctx, accountId, action, kindArg);
    if (name === "health_state") {
      if (positions.debts.length === 0) return "healthy";
      const h = this.#compute(ctx, positions, action);
      if (!h.aboveMaxLtv) return "healthy";
      const unhealthy: Record<string, string> = { max_ltv_health_factor: decStr(h.maxLtvHealthFactor!) };
      if (this.marsVariant === "neutron") unhealthy["liquidation_health_factor"] = decStr(h.liquidationHealthFactor!);
      return { unhealthy };
    }
    return this.#valuesJson(this.#compute(ctx, positions, action));
  }

  #kindArg(body: Fields): string | undefined {
    if (this.marsVariant === "neutron") {
      if ("kind" in body) throw new ContractError(`Error parsing into type ${QUERY}: unknown field \`kind\`, expected \`account_id\` or \`action\``);
      return undefined;
    }
    const kind = body["kind"];
    if (kind === undefined || kind === null) throw new ContractError(`Error parsing into type ${QUERY}: missing field \`kind\``);
    return typeof kind === "string" ? kind : "other";
  }

  #positions(ctx: QueryContext, accountId: string, action: ActionKind, kindArg: string | undefined): PositionsWithRefs {
    const cm = CREDIT_MANAGER.load(ctx.store);
    if (!cm) throw new ContractError("Generic error: Credit Manager contract is currently not set up in the health contract");
    const config = queryContract<{ params: string; oracle: string }>(ctx, cm, { config: {} });
    const posMsg = this.marsVariant === "neutron" ? { positions: { account_id: accountId, action } } : { positions: { account_id: accountId } };
    const raw = queryContract<RawPositions>(ctx, cm, posMsg);
    const kind = kindArg ?? (typeof raw.account_kind === "string" ? raw.account_kind : "other");
    return {
      kind: kind === "default" || kind === "high_levered_strategy" ? kind : "other",
      deposits: raw.deposits.map(amountOf),
      lends: raw.lends.map(amountOf),
      stakedLps: raw.staked_astro_lps.map(amountOf),
      debts: raw.debts.map(amountOf),
      vaults: raw.vaults.length,
      params: config.params,
      oracle: config.oracle,
    };
  }

  #compute(ctx: QueryContext, p: PositionsWithRefs, action: ActionKind): HealthValues {
    if (p.vaults > 0) throw new ContractError("devnet health: vault positions are not modelled");
    const params = new Map<string, HealthAssetParams>();
    const prices = new Map<string, bigint>();
    const seen = new Set<string>();
    for (const c of [...p.deposits, ...p.debts, ...p.lends, ...p.stakedLps]) {
      if (seen.has(c.denom)) continue;
      seen.add(c.denom);
      const ap = queryContract<HealthAssetParams | null>(ctx, p.params, { asset_params: { denom: c.denom } });
      if (!ap) continue;
      params.set(c.denom, ap);
      const price = queryContract<{ price: string }>(ctx, p.oracle, { price: { denom: c.denom, kind: action } });
      prices.set(c.denom, dec(price.price));
    }
    return computeHealth(p, params, prices);
  }

  #valuesJson(h: HealthValues): Record<string, unknown> {
    const json = healthValuesJson(h);
    if (this.marsVariant !== "neutron") return json;
    const { liquidatable, above_max_ltv, ...rest } = json;
    return { ...rest, perps_pnl_profit: "0", perps_pnl_loss: "0", liquidatable, above_max_ltv, has_perps: false };
  }
}

interface RawPositions {
  account_kind: unknown;
  deposits: { denom: string; amount: string }[];
  debts: { denom: string; amount: string }[];
  lends: { denom: string; amount: string }[];
  vaults: unknown[];
  staked_astro_lps: { denom: string; amount: string }[];
}

interface PositionsWithRefs extends HealthPositions {
  vaults: number;
  params: string;
  oracle: string;
}

function amountOf(c: { denom: string; amount: string }): DenomAmount {
  return { denom: c.denom, amount: BigInt(c.amount) };
}

function parseAction(body: Fields): ActionKind {
  const a = optString(QUERY, body, "action");
  if (a === null) throw new ContractError(`Error parsing into type ${QUERY}: missing field \`action\``);
  if (a !== "default" && a !== "liquidation") throw new ContractError(`Error parsing into type ${QUERY}: unknown variant \`${a}\`, expected \`default\` or \`liquidation\``);
  return a;
}
