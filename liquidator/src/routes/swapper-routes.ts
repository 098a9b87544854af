import type { ChainClient } from "@mlb/shared";
import type { Quote, RouteSource } from "./route-source.js";

/**
 * Routes stored in the Mars swapper (spec §7): the swap message carries `route: null` and the
 * swapper's `estimate_exact_in_swap` is the quote. That estimate is a price ratio (TWAP or oracle), not
 * a pool simulation, so callers must keep a slippage margin in `min_receive`.
 */
export class SwapperRoutes implements RouteSource {
  readonly #client: ChainClient;
  readonly #swapper: string;

  constructor(client: ChainClient, swapper: string) {
    this.#client = client;
    this.#swapper = swapper;
  }

  async quote(denomIn: string, amountIn: bigint, denomOut: string): Promise<Quote> {
    const { amount } = await this.#client.smart<{ amount: string }>(this.#swapper, {
      estimate_exact_in_swap: { coin_in: { denom: denomIn, amount: amountIn.toString() }, denom_out: denomOut, route: null },
    });
    return { route: null, amountOut: BigInt(amount) };
  }
}
