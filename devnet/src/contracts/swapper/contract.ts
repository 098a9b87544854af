import { ContractError, response, variant, type Contract, type ExecuteContext, type MarsVariant, type QueryContext, type Response } from "../host.js";
import { dec } from "../../math/decimal.js";
import type { KvStore } from "../../state/kv-store.js";
import { splitKey } from "../../state/storage.js";
import { asObject, optU32, parseError, reqString, reqUint, type Fields } from "../mars-core/msg-fields.js";
import { coinOf } from "../credit-manager/common/coin.js";
import { assertOwner, initOwner } from "../mars-core/owner.js";
import { ownerResponse, updateOwner } from "../credit-manager/common/owner-update.js";
import { pageLimit } from "../mars-core/pagination.js";
import { rangeAfterKey } from "../mars-core/pagination.js";
import { queryContract } from "../mars-core/querier.js";
import { POOL_ORACLE, loadPool, ratioEstimate, swapThroughPool } from "./pools.js";
import { CONFIG, ROUTES, hopsOf, routeFromMessage, storedRoute, validateRoute, type AstroportConfig, type StoredRoute } from "./routes.js";

const EXEC = "mars_types::swapper::ExecuteMsg";
const QUERY = "mars_types::swapper::QueryMsg";

/** Constructor options of {@link SwapperModel}. */
export interface SwapperOptions {
  variant: MarsVariant;
  owner: string;
  /** [devnet] The oracle whose `default` prices the pools follow (and, on neutron, the astroport estimate uses). */
  oracle: string;
  /** [NTRN] astroport router/factory addresses for the stored routes (any address works in the devnet). */
  astroport?: { router: string; factory: string };
}

/**
 * Stores a route from its message form (`{"osmo":{"swaps":[..]}}` / `{"astro":{"swaps":[..]}}`)
 * after validating it against the pools — the genesis shortcut for the owner's `set_route`.
 */
export function setRoute(store: KvStore, marsVariant: MarsVariant, denomIn: string, denomOut: string, route: unknown): void {
  const stored = routeFromMessage(store, marsVariant === "neutron", route);
  validateRoute(store, stored, denomIn, denomOut);
  ROUTES.save(store, stored, denomIn, denomOut);
}

/**
 * The Mars swapper (spec §7): `mars-swapper-osmosis` (osmo routes over pool ids) or
 * `mars-swapper-astroport` (astro routes over pairs), trading against the devnet pools of
 * `pools.ts`. `swap_exact_in {coin_in, denom_out, min_receive, route}` must carry `coin_in` as
 * funds; the output (plus any leftover input) is sent to the sender, and an output below
 * `min_receive` fails with the DEX's text. `estimate_exact_in_swap` returns the oracle-ratio
 * estimate without slippage or fees, as on chain. Queries `route`, `routes`, `config`, `owner`;
 * owner messages `set_route`, `update_config`, `update_owner`.
 */
export class SwapperModel implements Contract {
  readonly contractName: string;
  readonly contractVersion: string;
  readonly variant: MarsVariant;
  readonly #neutron: boolean;
  readonly #options: SwapperOptions;

  constructor(options: SwapperOptions) {
    this.variant = options.variant;
    this.#neutron = options.variant === "neutron";
    this.#options = options;
    this.contractName = this.#neutron ? "crates.io:mars-swapper-astroport" : "crates.io:mars-swapper-osmosis";
    this.contractVersion = this.#neutron ? "2.2.0" : "2.1.0";
  }

  /** Writes `owner`, the pool oracle and [NTRN] the astroport `config` (osmosis has no config: `config` answers null). */
  instantiate(ctx: ExecuteContext): Response {
    const o = this.#options;
    initOwner(ctx.store, o.owner);
    POOL_ORACLE.save(ctx.store, o.oracle);
    if (this.#neutron) {
      const a = o.astroport ?? { router: o.oracle, factory: o.oracle };
      CONFIG.save(ctx.store, { router: a.router, factory: a.factory, oracle: o.oracle });
    }
    return response();
  }

  execute(ctx: ExecuteContext, msg: unknown): Response {
    const [name, body] = variant(msg);
    switch (name) {
      case "swap_exact_in":
        return this.#swap(ctx, body);
      case "set_route": {
        assertOwner(ctx.store, ctx.sender);
        const denomIn = reqString(EXEC, body, "denom_in");
        const denomOut = reqString(EXEC, body, "denom_out");
        const route = body["route"] as StoredRoute;
        validateRoute(ctx.store, route, denomIn, denomOut);
        ROUTES.save(ctx.store, route, denomIn, denomOut);
        return response().attr("action", "rover/base/set_route").attr("denom_in", denomIn).attr("denom_out", denomOut).attr("route", JSON.stringify(route));
      }
      case "update_config": {
        assertOwner(ctx.store, ctx.sender);
        CONFIG.save(ctx.store, asObject(EXEC, body["config"]) as unknown as AstroportConfig);
        return response().attr("action", "rover/base/update_config");
      }
      case "update_owner": {
        const res = response();
        for (const [k, v] of updateOwner(ctx.store, ctx.sender, (msg as Fields)["update_owner"])) res.attr(k, v);
        return res;
      }
      default:
        throw parseError(EXEC, `unknown variant \`${name}\``);
    }
  }

  query(ctx: QueryContext, msg: unknown): unknown {
    const [name, body] = variant(msg);
    switch (name) {
      case "owner":
        return ownerResponse(ctx.store);
      case "config":
        return CONFIG.load(ctx.store) ?? null;
      case "route": {
        const denomIn = reqString(QUERY, body, "denom_in");
        const denomOut = reqString(QUERY, body, "denom_out");
        return { denom_in: denomIn, denom_out: denomOut, route: storedRoute(ctx.store, denomIn, denomOut) };
      }
      case "routes": {
        const sa = body["start_after"];
        const after = Array.isArray(sa) && sa.length === 2 ? ROUTES.key(String(sa[0]), String(sa[1])) : undefined;
        return rangeAfterKey(ctx.store, ROUTES.prefix, after, pageLimit(optU32(QUERY, body, "limit"))).map(([k, v]) => {
          const [denomIn, denomOut] = splitKey(k.slice(ROUTES.prefix.length), 2);
          return { denom_in: denomIn, denom_out: denomOut, route: JSON.parse(v) as StoredRoute };
        });
      }
      case "estimate_exact_in_swap": {
        const coin = coinOf(QUERY, body["coin_in"]);
        const denomOut = reqString(QUERY, body, "denom_out");
        const route = this.#route(ctx.store, coin.denom, denomOut, body["route"]);
        return { amount: this.#estimate(ctx, route, coin.denom, coin.amount).toString() };
      }
      default:
        throw parseError(QUERY, `unknown variant \`${name}\``);
    }
  }

  #route(store: KvStore, denomIn: string, denomOut: string, route: unknown): StoredRoute {
    return route === undefined || route === null ? storedRoute(store, denomIn, denomOut) : routeFromMessage(store, this.#neutron, route);
  }

  #price(ctx: QueryContext, denom: string): bigint {
    const oracle = POOL_ORACLE.load(ctx.store);
    if (!oracle) throw new ContractError("devnet swapper: no oracle configured");
    return dec(queryContract<{ price: string }>(ctx, oracle, { price: { denom, kind: "default" } }).price);
  }

  /** Osmosis: product of per-hop oracle ratios (the TWAP of an oracle-following pool); astroport: first-offer/last-ask ratio. */
  #estimate(ctx: QueryContext, route: StoredRoute, denomIn: string, amount: bigint): bigint {
    const hops = hopsOf(ctx.store, route, denomIn);
    if (hops.length === 0) throw new ContractError("Invalid route: the route must contain at least one step");
    if (this.#neutron) return ratioEstimate(amount, this.#price(ctx, hops[0]!.from), this.#price(ctx, hops[hops.length - 1]!.to));
    let out = amount;
    for (const h of hops) out = ratioEstimate(out, this.#price(ctx, h.from), this.#price(ctx, h.to));
    return out;
  }

  #swap(ctx: ExecuteContext, body: Fields): Response {
    const coinIn = coinOf(EXEC, body["coin_in"]);
    const denomOut = reqString(EXEC, body, "denom_out");
    const minReceive = reqUint(EXEC, body, "min_receive");
    const route = this.#route(ctx.store, coinIn.denom, denomOut, body["route"]);
    const paid = ctx.funds.filter((c) => c.denom === coinIn.denom).reduce((s, c) => s + BigInt(c.amount), 0n);
    if (paid < coinIn.amount) {
      throw new ContractError(`devnet swapper: funds must carry coin_in: sent ${paid}${coinIn.denom}, coin_in ${coinIn.amount}${coinIn.denom}`);
    }
    const hops = hopsOf(ctx.store, route, coinIn.denom);
    if (hops.length === 0) throw new ContractError("Invalid route: the route must contain at least one step");
    let amount = coinIn.amount;
    for (const h of hops) {
      const pool = loadPool(ctx.store, h.poolId);
      const prices: [bigint, bigint] = [this.#price(ctx, pool.denoms[0]), this.#price(ctx, pool.denoms[1])];
      amount = swapThroughPool(ctx.store, pool, h.from, amount, prices, ctx.block.height);
    }
    if (hops[hops.length - 1]!.to !== denomOut) throw new ContractError(`Invalid route: the route's output denom ${hops[hops.length - 1]!.to} does not match the desired output ${denomOut}`);
    if (amount < minReceive) {
      throw new ContractError(
        this.#neutron
          ? `Assertion failed; minimum receive amount: ${minReceive}, swap amount: ${amount}`
          : `token amount calculated (${amount}) is lesser than min amount (${minReceive}): calculated amount is lesser than min amount`,
      );
    }
    const out = [{ denom: denomOut, amount: amount.toString() }];
    const leftover = paid - coinIn.amount;
    if (leftover > 0n) out.unshift({ denom: coinIn.denom, amount: leftover.toString() });
    return response()
      .send(ctx.sender, out)
      .attr("action", "swap_fn")
      .attr("denom_in", coinIn.denom)
      .attr("amount_in", coinIn.amount)
      .attr("denom_out", denomOut)
      .attr("min_receive", minReceive);
  }
}
