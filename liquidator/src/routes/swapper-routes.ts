import type { ChainClient } from "@mlb/shared";
import type { Quote, RouteSource } from "./route-source.js";

/** A large probe amount: the estimate's rate is read once per pair and second, precisely. */
const PROBE = 10n ** 24n;
const RATE_TTL_MS = 1_000;

/**
 * Routes stored in the Mars swapper (spec §7): the swap message carries `route: null` and the
 * swapper's `estimate_exact_in_swap` is the quote. That estimate is a price ratio (TWAP or oracle
 * prices, linear in the amount), not a pool simulation, so it is read once per pair and second and
 * callers keep a slippage margin in `min_receive` (the liquidator's simulation shows the real output).
 */
export class SwapperRoutes implements RouteSource {
  readonly #client: ChainClient;
  readonly #swapper: string;
  readonly #rates = new Map<string, { at: number; out: Promise<bigint> }>();

  constructor(client: ChainClient, swapper: string) {
    this.#client = client;
    this.#swapper = swapper;
  }

  async quote(denomIn: string, amountIn: bigint, denomOut: string): Promise<Quote> {
    return { route: null, amountOut: (amountIn * (await this.#probeOut(denomIn, denomOut))) / PROBE };
  }

  #probeOut(denomIn: string, denomOut: string): Promise<bigint> {
    const key = `${denomIn}>${denomOut}`;
    let r = this.#rates.get(key);
    if (r === undefined || Date.now() - r.at > RATE_TTL_MS) {
      const out = this.#client
        .smart<{ amount: string }>(this.#swapper, { estimate_exact_in_swap: { coin_in: { denom: denomIn, amount: PROBE.toString() }, denom_out: denomOut, route: null } })
        .then((x) => BigInt(x.amount));
      out.catch(() => this.#rates.delete(key));
      this.#rates.set(key, (r = { at: Date.now(), out }));
    }
    return r.out;
  }
}
