import type { StdFee } from "@cosmjs/amino";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { DecCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import type { Logger } from "pino";
import type { ChainName } from "../../config/fragments.js";
import { formatDecimal, mulCeil, parseDecimal } from "../../mars/decimal.js";
import { FreshCache } from "../../runtime/fresh-cache.js";
import type { ChainClient } from "../rpc-client.js";

/**
 * The gas price to pay now, from the chain's fee market (anchors §7.3: simulate + fee market
 * instead of hand-tuned multipliers and floors), and the fee of a gas limit. Prices are 18-digit
 * decimals held as bigint atomics; no amount ever passes through a float.
 */

/** Options of {@link FeePolicy}. Decimal options are strings such as `"0.0025"`. */
export interface FeePolicyOptions {
  client: ChainClient;
  /** Picks the fee-market query: Osmosis EIP-1559 base fee, or Neutron's feemarket gas price. */
  chain: ChainName;
  /** The fee denom (`uosmo`, `untrn`). */
  denom: string;
  /** Lowest gas price ever paid, and the one used when the fee market cannot be read (denom per gas unit). */
  minGasPrice: string;
  /** Highest gas price ever paid (denom per gas unit); a price above it is cut to it and logged. */
  maxGasPrice: string;
  /** The market price is multiplied by this, to stay above a base fee that rises before inclusion (default "1"). */
  multiplier?: string;
  /** Gas limit = simulated gas × this (default "1.3"). */
  gasAdjustment?: string;
  /**
   * How long a read price is reused, in milliseconds (default 1000: about once per block). After
   * that, a price read less than 10 × `refreshMs` ago still answers at once while the new read runs,
   * so a burst of transactions never waits on the fee market.
   */
  refreshMs?: number;
  logger?: Logger;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

/** The gas price the policy pays now. */
export interface GasPriceQuote {
  /** Denom per gas unit as 18-digit decimal atomics (0.0025 is 2_500_000_000_000_000n). */
  atomics: bigint;
  /** `market`: read from the chain's fee market; `minimum`: the query failed, `minGasPrice` used. */
  source: "market" | "minimum";
  /** The price was cut to `maxGasPrice`. */
  capped: boolean;
}

/** gRPC paths of the fee-market queries (Osmosis x/txfees, Skip/Neutron x/feemarket). */
const OSMOSIS_BASE_FEE = "/osmosis.txfees.v1beta1.Query/GetEipBaseFee";
const FEEMARKET_GAS_PRICE = "/feemarket.feemarket.v1.Query/GasPrice";

/**
 * Gas price and fee of one chain, shared by every sender of the chain. The price is
 * `min(max(market, minGasPrice) × multiplier, maxGasPrice)`, rounded up to 18 decimals, and read at
 * most once per `refreshMs` (concurrent callers share one read, and wait for it only when the last
 * price is older than 10 × `refreshMs`).
 */
export class FeePolicy {
  readonly denom: string;
  readonly #o: FeePolicyOptions;
  readonly #min: bigint;
  readonly #max: bigint;
  readonly #multiplier: bigint;
  readonly #adjustment: bigint;
  /** The price, read at most once per `refreshMs` and served while the next read runs. */
  readonly #price: FreshCache<"price", GasPriceQuote>;
  #cappedBase: bigint | undefined;

  constructor(options: FeePolicyOptions) {
    this.#o = options;
    this.denom = options.denom;
    this.#min = parseDecimal(options.minGasPrice, "minGasPrice");
    this.#max = parseDecimal(options.maxGasPrice, "maxGasPrice");
    this.#multiplier = parseDecimal(options.multiplier ?? "1", "gas price multiplier");
    this.#adjustment = parseDecimal(options.gasAdjustment ?? "1.3", "gasAdjustment");
    if (this.#max < this.#min) throw new RangeError(`maxGasPrice ${options.maxGasPrice} is below minGasPrice ${options.minGasPrice}; raise maxGasPrice`);
    const refreshMs = options.refreshMs ?? 1000;
    // #read never rejects: a failed query falls back to the minimum price.
    this.#price = new FreshCache({ read: () => this.#read(), freshMs: refreshMs, maxStaleMs: refreshMs * 10, now: options.now });
  }

  /** The gas price to pay now (read from the chain at most once per `refreshMs`). */
  gasPrice(): Promise<GasPriceQuote> {
    return this.#price.get("price");
  }

  /** The fee of `gasLimit` at the current price: `ceil(gasLimit × price)` of the fee denom, exactly. */
  async fee(gasLimit: number): Promise<StdFee> {
    const { atomics } = await this.gasPrice();
    return this.feeAt(gasLimit, atomics);
  }

  /** The fee of `gasLimit` at `priceAtomics` (18-digit decimal atomics); no coin when it rounds to 0. */
  feeAt(gasLimit: number, priceAtomics: bigint): StdFee {
    assertGas(gasLimit, "gas limit");
    const amount = mulCeil(BigInt(gasLimit), priceAtomics);
    return { amount: amount === 0n ? [] : [{ denom: this.denom, amount: amount.toString() }], gas: String(gasLimit) };
  }

  /** The gas limit for a simulated `gasUsed`: `ceil(gasUsed × gasAdjustment)`. */
  gasLimit(gasUsed: number): number {
    assertGas(gasUsed, "gas used");
    return Number(mulCeil(BigInt(gasUsed), this.#adjustment));
  }

  async #read(): Promise<GasPriceQuote> {
    const market = await this.#marketPrice();
    const base = market === undefined || market < this.#min ? this.#min : market;
    const wanted = mulCeil(base, this.#multiplier);
    const capped = wanted > this.#max;
    // Logged when the cap starts to bind and whenever the price it cuts changes, not every read.
    if (capped && base !== this.#cappedBase) {
      this.#o.logger?.warn({ chain: this.#o.chain, baseGasPrice: formatDecimal(base), wantedGasPrice: formatDecimal(wanted), maxGasPrice: formatDecimal(this.#max) }, "gas price capped at the maximum");
    }
    this.#cappedBase = capped ? base : undefined;
    return { atomics: capped ? this.#max : wanted, source: market === undefined ? "minimum" : "market", capped };
  }

  /** The fee market's price in atomics, or undefined (logged) when it cannot be read. */
  async #marketPrice(): Promise<bigint | undefined> {
    const { client, chain, denom, logger } = this.#o;
    const [path, request] = chain === "osmosis" ? [OSMOSIS_BASE_FEE, new Uint8Array()] : [FEEMARKET_GAS_PRICE, new BinaryWriter().uint32(10).string(denom).finish()];
    try {
      const r = await client.abciQuery(path, request);
      if (r.code !== 0) throw new Error(`code ${r.code} (codespace ${r.codespace}): ${r.log}`);
      const field = field1(r.value);
      if (chain === "osmosis") return legacyDec(Buffer.from(field).toString("utf8"));
      const price = DecCoin.decode(field);
      if (price.denom !== denom) throw new Error(`the fee market answered a price in ${price.denom}, not ${denom}`);
      return legacyDec(price.amount);
    } catch (err) {
      logger?.warn({ err, chain, path, minGasPrice: formatDecimal(this.#min) }, "fee market query failed, paying the minimum gas price");
      return undefined;
    }
  }
}

/**
 * Field 1 of a one-field response, a length-delimited field: `QueryEipBaseFeeResponse.base_fee`
 * (a string) or `GasPriceResponse.price` (a DecCoin message).
 */
function field1(bytes: Uint8Array): Uint8Array {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1 && (tag & 7) === 2) return reader.bytes();
    reader.skipType(tag & 7);
  }
  throw new Error("the answer has no field 1");
}

/**
 * A `LegacyDec` from protobuf: gogoproto marshals it as its 18-digit atomics (`"2500000000000000"`
 * is 0.0025); a dotted decimal is accepted too.
 */
function legacyDec(s: string): bigint {
  if (/^\d+$/.test(s)) return BigInt(s);
  return parseDecimal(s, "fee market gas price");
}

function assertGas(gas: number, what: string): void {
  if (!Number.isSafeInteger(gas) || gas < 0) throw new RangeError(`${what} must be a non-negative integer, got ${gas}`);
}
