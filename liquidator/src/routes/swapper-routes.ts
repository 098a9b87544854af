import type { ChainClient } from "@mlb/shared";
import type { Quote, RouteSource } from "./route-source.js";

/** A large probe amount: the estimate's rate is read once per pair and block, precisely. */
const PROBE = 10n ** 24n;

/**
 * Routes stored in the Mars swapper (spec §7): the swap message carries `route: null` and the
 * swapper's `estimate_exact_in_swap` is the quote. That estimate is a price ratio (TWAP or oracle
 * prices, linear in the amount), not a pool simulation, so it is read once per pair and block and
 * callers keep a slippage margin in `min_receive` (the liquidator's simulation shows the real
 * output). `prefetch` reads every pair quoted so far as soon as the executor learns of a block, in
 * the same tick as the block's market state, so a burst's plans find their rates read.
 */
export class SwapperRoutes implements RouteSource {
  readonly #client: ChainClient;
  readonly #swapper: string;
  /** Per pair, the last rate read and the block it is good for. */
  readonly #rates = new Map<string, { height: number; out: Promise<bigint> }>();

  constructor(client: ChainClient, swapper: string) {
    this.#client = client;
    this.#swapper = swapper;
  }

  async quote(denomIn: string, amountIn: bigint, denomOut: string, height: number): Promise<Quote> {
    return { route: null, amountOut: (amountIn * (await this.#rate(`${denomIn}>${denomOut}`, height))) / PROBE };
  }

  prefetch(height: number): void {
    for (const pair of this.#rates.keys()) this.#rate(pair, height).catch(() => undefined);
  }

  /** The pair's rate as of `height` or later: read now (the node is at `height` at least) unless already read for it. */
  #rate(pair: string, height: number): Promise<bigint> {
    const r = this.#rates.get(pair);
    if (r !== undefined && r.height >= height) return r.out;
    const [denomIn, denomOut] = pair.split(">") as [string, string];
    const out = this.#client
      .smart<{ amount: string }>(this.#swapper, { estimate_exact_in_swap: { coin_in: { denom: denomIn, amount: PROBE.toString() }, denom_out: denomOut, route: null } })
      .then((x) => BigInt(x.amount));
    this.#rates.set(pair, { height, out });
    out.catch(() => this.#rates.get(pair)?.out === out && this.#rates.delete(pair));
    return out;
  }
}
