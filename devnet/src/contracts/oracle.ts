import { decStr } from "../math/decimal.js";
import type { KvStore } from "../state/kv-store.js";
import { Item, text } from "../state/storage.js";
import { ContractError, response, variant, type Contract, type ExecuteContext, type MarsVariant, type QueryContext, type Response } from "./host.js";
import { asObject, denyUnknownFields, optString, optU32, parseError, reqDecimal, reqString, unknownVariant, type Fields } from "./mars-core/msg-fields.js";
import { assertOwner, currentOwner, initOwner, proposedOwner } from "./mars-core/owner.js";
import { pageLimit, rangeAfter } from "./mars-core/pagination.js";
import { validateNativeDenom } from "./mars-core/querier.js";
import {
  PRICE_SOURCES, priceFromSource, resolvePrice, setPrice, setStale,
  type FixedPriceSource, type PriceKind, type PriceUpdate,
} from "./oracle-prices.js";

/**
 * Model of the Mars oracle (spec §5): `mars-oracle-osmosis` 2.1.0 [OSMO] or `mars-oracle-wasm`
 * 2.3.2 [NTRN], with `fixed` price sources only. Storage: Item `owner`, Item `config`
 * `{"base_denom":"uusd"}`, Map `price_sources`, plus the devnet-only maps of `oracle-prices.ts`.
 *
 * Constructor: `{ variant, owner, baseDenom? = "uusd" }`.
 * Owner messages: `{"set_price_source":{"denom","price_source":{"fixed":{"price":"0.5"}}}}`,
 * `{"remove_price_source":{"denom"}}`.
 * Queries: `price {denom, kind}` (`"default"` | `"liquidation"` | null), `prices` (paginated, ≤ 30,
 * one failing source fails the page), `price_source`, `price_sources`, `config`; [NTRN] also
 * `prices_by_denoms` and `has_price_source`.
 * Devnet admin API: {@link OracleModel.setPrice}, {@link OracleModel.setStale}, {@link OracleModel.priceOf}.
 */

/** Constructor options of {@link OracleModel}. */
export interface OracleOptions {
  variant: MarsVariant;
  owner: string;
  /** Quote denom of every price (spec §5: "uusd"). */
  baseDenom?: string;
}

/** `{"denom":"uosmo","price":"0.5"}`. */
export interface PriceResponse {
  denom: string;
  price: string;
}

const CONFIG = new Item<{ base_denom: string }>("config");
const MSG = "mars_types::oracle::msg::ExecuteMsg";
const QUERY = "mars_types::oracle::msg::QueryMsg";
const KIND = "mars_types::oracle::msg::ActionKind";

/** The oracle model (spec §5). */
export class OracleModel implements Contract {
  readonly contractName: string;
  readonly contractVersion: string;
  readonly variant: MarsVariant;
  readonly #owner: string;
  readonly #baseDenom: string;

  constructor(options: OracleOptions) {
    this.variant = options.variant;
    this.contractName = options.variant === "osmosis" ? "crates.io:mars-oracle-osmosis" : "crates.io:mars-oracle-wasm";
    this.contractVersion = options.variant === "osmosis" ? "2.1.0" : "2.3.2";
    this.#owner = options.owner;
    this.#baseDenom = options.baseDenom ?? "uusd";
  }

  /** Writes `owner` and `config` as the contract's instantiate does. */
  instantiate(ctx: ExecuteContext): Response {
    validateNativeDenom(this.#baseDenom);
    initOwner(ctx.store, this.#owner);
    CONFIG.save(ctx.store, { base_denom: this.#baseDenom });
    return response();
  }

  execute(ctx: ExecuteContext, msg: unknown): Response {
    const [name, m] = variant(msg);
    switch (name) {
      case "set_price_source": {
        assertOwner(ctx.store, ctx.sender);
        const denom = reqString(MSG, m, "denom");
        validateNativeDenom(denom);
        const source = parseSource(m.price_source);
        PRICE_SOURCES.save(ctx.store, source, denom);
        return response().attr("action", "set_price_source").attr("denom", denom).attr("price_source", `fixed:${source.fixed.price}`);
      }
      case "remove_price_source": {
        assertOwner(ctx.store, ctx.sender);
        const denom = reqString(MSG, m, "denom");
        PRICE_SOURCES.remove(ctx.store, denom);
        return response().attr("action", "remove_price_source").attr("denom", denom);
      }
      default:
        throw unknownVariant(MSG, name, ["set_price_source", "remove_price_source", "update_owner", "update_config", "custom"]);
    }
  }

  query(ctx: QueryContext, msg: unknown): unknown {
    const [name, m] = variant(msg);
    const now = ctx.block.time;
    switch (name) {
      case "config":
        return { owner: currentOwner(ctx.store), proposed_new_owner: proposedOwner(ctx.store), base_denom: CONFIG.load(ctx.store)?.base_denom ?? this.#baseDenom };
      case "price_source": {
        const denom = reqString(QUERY, m, "denom");
        const source = PRICE_SOURCES.load(ctx.store, denom);
        if (!source) throw new ContractError(`Generic error: No price source found for denom: ${denom}`);
        return { denom, price_source: source };
      }
      case "price_sources":
        return this.#page(ctx.store, m).map(([denom, source]) => ({ denom, price_source: source }));
      case "price": {
        const denom = reqString(QUERY, m, "denom");
        return { denom, price: decStr(resolvePrice(ctx.store, denom, parseKind(m.kind), now)) } satisfies PriceResponse;
      }
      case "prices": {
        const kind = parseKind(m.kind);
        return this.#page(ctx.store, m).map(([denom, source]) => ({ denom, price: decStr(priceFromSource(ctx.store, denom, source, kind, now)) }));
      }
      case "prices_by_denoms":
        if (this.variant === "neutron") return pricesByDenoms(ctx, m);
        break;
      case "has_price_source":
        if (this.variant === "neutron") {
          const denom = reqString(QUERY, m, "denom");
          return { denom, has_price_source: PRICE_SOURCES.load(ctx.store, denom) !== undefined };
        }
        break;
    }
    const names = ["config", "price_source", "price_sources", "price", "prices"];
    throw unknownVariant(QUERY, name, this.variant === "neutron" ? [...names, "prices_by_denoms", "has_price_source"] : names);
  }

  /** Devnet admin API: sets the default and/or liquidation price of `denom` (see `oracle-prices.ts`). */
  setPrice(store: KvStore, denom: string, update: PriceUpdate): void {
    setPrice(store, denom, update);
  }

  /** Devnet admin API: makes the `default` price of `denom` stale (failing) from `now`, or fresh again. */
  setStale(store: KvStore, denom: string, stale: boolean, now: number): void {
    setStale(store, denom, stale, now);
  }

  /** The price the `price` query would answer at `now`, as a decimal string (throws as the query does). */
  priceOf(store: KvStore, denom: string, kind: PriceKind, now: number): string {
    return decStr(resolvePrice(store, denom, kind, now));
  }

  #page(store: KvStore, m: Fields): [string, FixedPriceSource][] {
    const start = optString(QUERY, m, "start_after");
    const limit = pageLimit(optU32(QUERY, m, "limit"));
    return rangeAfter(store, PRICE_SOURCES.prefix, start, limit).map(([k, v]) => [text(k.slice(PRICE_SOURCES.prefix.length)), JSON.parse(v) as FixedPriceSource]);
  }
}

/** [NTRN] `prices_by_denoms`: a JSON object denom → price (the contract returns a `HashMap`, not a list). */
function pricesByDenoms(ctx: QueryContext, m: Fields): Record<string, string> {
  const denoms = m.denoms;
  if (!Array.isArray(denoms) || denoms.some((d) => typeof d !== "string")) throw parseError(QUERY, "invalid type: expected a sequence of strings for `denoms`");
  const kind = parseKind(m.kind);
  const out: Record<string, string> = {};
  for (const d of denoms as string[]) out[d] = decStr(resolvePrice(ctx.store, d, kind, ctx.block.time));
  return out;
}

function parseKind(value: unknown): PriceKind {
  if (value === undefined || value === null || value === "default") return "default";
  if (value === "liquidation") return "liquidation";
  throw unknownVariant(KIND, String(typeof value === "string" ? value : JSON.stringify(value)), ["default", "liquidation"]);
}

function parseSource(value: unknown): FixedPriceSource {
  const [kind, inner] = variant(value);
  if (kind !== "fixed") {
    throw new ContractError(`Invalid price source: the devnet oracle models only \`fixed\` price sources, got \`${kind}\``);
  }
  const fields = asObject(QUERY, inner);
  denyUnknownFields("mars_oracle::price_source::PriceSource", fields, ["price"]);
  return { fixed: { price: decStr(reqDecimal(MSG, fields, "price")) } };
}
