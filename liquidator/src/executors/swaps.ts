import { mars, type MarketState } from "@mlb/shared";
import type { RouteSource } from "../routes/route-source.js";

/** The least a swap quoted at `quoted` may return: `floor(quoted·(1 − slippage))`. */
export function minReceive(quoted: bigint, maxSlippage: bigint): bigint {
  return (quoted * (mars.DECIMAL_ONE - maxSlippage)) / mars.DECIMAL_ONE;
}

/** `floor(amount·price)` in uusd at the market's (liquidation) prices; throws for an unpriced denom. */
export function valueAt(market: MarketState, denom: string, amount: bigint): bigint {
  const price = market.snapshot.prices.get(denom);
  if (price === undefined) throw new Error(`no price for ${denom}`);
  return (amount * price) / mars.DECIMAL_ONE;
}

/**
 * How much of `denomIn` to swap so that even at the slippage limit at least `wantOut` of `denomOut`
 * comes back: scaled from a quote, then checked against a quote of the amount itself.
 */
export async function swapInFor(routes: RouteSource, denomIn: string, denomOut: string, wantOut: bigint, maxSlippage: bigint, height: number): Promise<{ amountIn: bigint; expectedOut: bigint; route: unknown }> {
  const probe = 10n ** 12n;
  const rate = await routes.quote(denomIn, probe, denomOut, height);
  if (rate.amountOut === 0n) throw new Error(`no liquidity quoted from ${denomIn} to ${denomOut}`);
  let amountIn = (wantOut * probe + rate.amountOut - 1n) / rate.amountOut;
  for (let i = 0; i < 4; i++) {
    const q = await routes.quote(denomIn, amountIn, denomOut, height);
    if (minReceive(q.amountOut, maxSlippage) >= wantOut) return { amountIn, expectedOut: q.amountOut, route: q.route };
    amountIn = amountIn + (amountIn * maxSlippage) / mars.DECIMAL_ONE + 1n;
  }
  throw new Error(`cannot quote ${wantOut}${denomOut} from ${denomIn} within the slippage limit`);
}
