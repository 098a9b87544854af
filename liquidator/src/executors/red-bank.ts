/**
 * Red Bank liquidations (spec §2.5, §2.6a). One atomic transaction acquires the debt asset (a swap
 * from the neutral asset, unless the signer already holds enough), liquidates sending slightly more
 * than the repay (the contract refunds the excess) and withdraws the seized collateral (it arrives
 * as a Red Bank deposit); a failed liquidation reverts the purchase. Once it landed, a second
 * transaction sells the collateral for the neutral asset with a `min_receive` from a quote.
 */
import { TxRejectedError, executeContractMsg, mars, readRedBankPosition, type ChainClient, type MarketState, type MarsAddresses, type TxEvent } from "@mlb/shared";
import type { RouteSource } from "../routes/route-source.js";
import type { Amount, Signer } from "../signer-pool.js";
import type { Assessment, Plan, Strategy } from "./strategy.js";
import { minReceive, swapInFor, valueAt } from "./swaps.js";

export interface RedBankStrategyOptions {
  client: ChainClient;
  addresses: MarsAddresses;
  routes: RouteSource;
  neutral: string;
  /** Basis points sent above the repay. */
  sendBufferBps: number;
  /** Decimal atomics, e.g. 1e16 for 1%. */
  maxSlippage: bigint;
  /** Expected cost of the collateral sale below its quote, Decimal atomics. */
  swapCost: bigint;
}

export class RedBankStrategy implements Strategy {
  readonly product = "redbank" as const;
  readonly contract: string;
  readonly liquidatedAttribute = "user";
  readonly #o: RedBankStrategyOptions;

  constructor(options: RedBankStrategyOptions) {
    this.#o = options;
    this.contract = options.addresses.redBank;
  }

  /**
   * Reads the signer's balances and the rates plans quote (every market's denom to and from the
   * neutral asset): balances are kept fresh from then on and the rates read again with every block
   * (`prefetch`), so the first burst's plans do not wait on the node.
   */
  async prepare(signer: Signer, market: MarketState): Promise<void> {
    const { routes, neutral } = this.#o;
    const pairs = [...market.snapshot.prices.keys()].filter((d) => d !== neutral).flatMap((d) => [routes.quote(d, 1n, neutral, market.height), routes.quote(neutral, 1n, d, market.height)]);
    const reads = [signer.available(neutral), ...pairs];
    // Best effort: a pair without a route fails here and again, with its error, in the plan that needs it.
    await Promise.allSettled(reads);
  }

  prefetch(height: number): void {
    this.#o.routes.prefetch(height);
  }

  async assess(account: string, marketRead: Promise<MarketState>, sendCap: (denom: string, market: MarketState) => bigint): Promise<Assessment> {
    const { client, addresses } = this.#o;
    const [{ position }, market] = await Promise.all([readRedBankPosition(client, addresses.redBank, account), marketRead]);
    const health = mars.redBankHealth(position, market.snapshot);
    const sendCaps = new Map(position.debts.map((d) => [d.denom, sendCap(d.denom, market)]));
    return { health, options: mars.bestLiquidation(position, market.snapshot, market.rules, { health, sendCaps }) };
  }

  async plan(account: string, option: mars.LiquidationOption, market: MarketState, signer: Signer): Promise<Plan> {
    const { addresses, routes, neutral, sendBufferBps, maxSlippage } = this.#o;
    const { debtDenom, collateralDenom, amounts } = option;
    const send = mars.sendAmountWithBuffer(amounts.repay, sendBufferBps);
    const swap = (denomIn: string, amountIn: bigint, denomOut: string, min: bigint, route: unknown) =>
      executeContractMsg(signer.address, addresses.swapper, { swap_exact_in: { coin_in: { denom: denomIn, amount: amountIn.toString() }, denom_out: denomOut, min_receive: min.toString(), route } }, [
        { denom: denomIn, amount: amountIn.toString() },
      ]);
    const msgs = [];
    let spends: Amount[] = [{ denom: debtDenom, amount: send }];
    // What the debt costs: the repay, or the neutral asset paid for it less what comes back of it
    // (the contract refunds what it does not repay).
    let cost = valueAt(market, debtDenom, amounts.repay);
    // Own inventory first, reserved in the same tick as the check so concurrent plans cannot both take it.
    const inventory = (await signer.available(debtDenom)) >= send;
    if (inventory) signer.reserve(spends);
    else if (debtDenom !== neutral) {
      // Buy the debt asset with the neutral one, in the same transaction.
      const buy = await swapInFor(routes, neutral, debtDenom, send, maxSlippage, market.height);
      msgs.push(swap(neutral, buy.amountIn, debtDenom, send, buy.route));
      spends = [{ denom: neutral, amount: buy.amountIn }];
      signer.reserve(spends);
      cost = valueAt(market, neutral, buy.amountIn) - valueAt(market, debtDenom, buy.expectedOut - amounts.repay);
    } else throw new Error(`signer ${signer.address} holds less than ${send}${debtDenom} to repay with`);
    msgs.push(executeContractMsg(signer.address, addresses.redBank, { liquidate: { user: account, collateral_denom: collateralDenom, recipient: null } }, [{ denom: debtDenom, amount: send.toString() }]));
    // The seized collateral arrives as a Red Bank deposit: withdraw all of it in the same
    // transaction (`amount: null`, exactly what is there when it runs; an amount fixed now could
    // exceed it by the rounding of indexes that move until inclusion) and sell it in the next one,
    // so a crowded pool can never revert the liquidation itself.
    const seized = amounts.toLiquidator;
    let sale: Plan["sale"];
    let received = 0n;
    if (seized > 0n) {
      msgs.push(executeContractMsg(signer.address, addresses.redBank, { withdraw: { denom: collateralDenom, amount: null, recipient: null } }, []));
      if (collateralDenom !== neutral) {
        const quote = await routes.quote(collateralDenom, seized, neutral, market.height);
        sale = { denom: collateralDenom, amount: seized, expectedValue: valueAt(market, neutral, minReceive(quote.amountOut, this.#o.swapCost)) };
        received = sale.expectedValue;
      } else received = valueAt(market, neutral, seized);
    }
    return { option, msgs, spends, sale, estimatedValue: received - cost };
  }

  /**
   * Sells the withdrawn collateral for the neutral asset, never below what keeps the liquidation
   * profitable (`floorValue`, uusd) nor below the quote's slippage limit. The sale is simulated
   * first; when the pools cannot pay the floor now, or the sale fails in its block (many sales in
   * one block deplete them), it tries again next block, up to `SALE_BLOCKS` times, then leaves the
   * collateral in the wallet.
   */
  async settle(plan: Plan, signer: Signer, market: MarketState, floorValue: bigint): Promise<TxEvent[][]> {
    const { addresses, routes, neutral, maxSlippage, client } = this.#o;
    if (plan.sale === undefined) return [];
    const { denom, amount } = plan.sale;
    const price = market.snapshot.prices.get(neutral) ?? mars.DECIMAL_ONE;
    const floor = (floorValue * mars.DECIMAL_ONE + price - 1n) / price + 1n;
    for (let tries = 0; ; tries++) {
      const quote = await routes.quote(denom, amount, neutral, (await client.status()).height);
      const limit = minReceive(quote.amountOut, maxSlippage);
      const min = limit > floor ? limit : floor;
      const msg = executeContractMsg(signer.address, addresses.swapper, { swap_exact_in: { coin_in: { denom, amount: amount.toString() }, denom_out: neutral, min_receive: min.toString(), route: quote.route } }, [
        { denom, amount: amount.toString() },
      ]);
      const ok = await signer.sender.simulate([msg]).then(
        () => true,
        () => false,
      );
      let failure: unknown;
      if (ok) {
        try {
          return [(await signer.execute([msg])).events];
        } catch (err) {
          // Other sales of the same block moved the pool below the floor: try again next block.
          if (!(err instanceof TxRejectedError && err.stage === "deliver")) throw err;
          failure = err;
        }
      }
      if (tries + 1 >= SALE_BLOCKS) {
        const why = failure instanceof Error ? failure.message : `no sale of ${amount}${denom} fetches the ${min}${neutral} that keeps the liquidation profitable`;
        throw new Error(`${why}; the collateral stays in the wallet`);
      }
      const { height } = await client.status();
      while ((await client.status()).height === height) await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Blocks a collateral sale waits for pools that pay its floor. */
const SALE_BLOCKS = 5;
