/**
 * Red Bank liquidations (spec §2.5, §2.6a). One atomic transaction acquires the debt asset (a swap
 * from the neutral asset, unless the signer already holds enough) and liquidates, sending slightly
 * more than the repay (the contract refunds the excess); a failed liquidation reverts the swap. The
 * seized collateral arrives as a Red Bank deposit: a second transaction withdraws it, a third swaps
 * it back to the neutral asset with a `min_receive` from a quote.
 */
import { executeContractMsg, mars, type ChainClient, type MarketState, type MarsAddresses, type TxEvent } from "@mlb/shared";
import type { RouteSource } from "../routes/route-source.js";
import type { Signer } from "../signer-pool.js";
import { addBalanceChanges } from "./balances.js";
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

  async prepare(): Promise<void> {}

  async assess(account: string, market: MarketState, sendCap: (denom: string) => bigint): Promise<Assessment> {
    const { client, addresses } = this.#o;
    const [debts, colls] = await Promise.all([
      pages<mars.UserDebtJson>((start) => client.smart(addresses.redBank, { user_debts: { user: account, start_after: start, limit: 30 } })),
      pages<mars.UserCollateralJson>((start) => client.smart(addresses.redBank, { user_collaterals: { user: account, account_id: null, start_after: start, limit: 30 } })),
    ]);
    const position = mars.redBankPositionFromJson(colls, debts);
    const health = mars.redBankHealth(position, market.snapshot);
    const sendCaps = new Map(position.debts.map((d) => [d.denom, sendCap(d.denom)]));
    return { health, options: mars.bestLiquidation(position, market.snapshot, market.rules, { health, sendCaps }) };
  }

  async plan(account: string, option: mars.LiquidationOption, market: MarketState, signer: Signer): Promise<Plan> {
    const { addresses, routes, neutral, sendBufferBps, maxSlippage } = this.#o;
    const { debtDenom, collateralDenom, amounts } = option;
    const send = mars.sendAmountWithBuffer(amounts.repay, sendBufferBps);
    const msgs = [];
    let acquireCost = 0n;
    const held = await signer.balance(debtDenom);
    if (held < send) {
      // Buy the debt asset with the neutral one, in the same transaction as the liquidation.
      const buy = await swapInFor(routes, neutral, debtDenom, send, maxSlippage);
      msgs.push(
        executeContractMsg(signer.address, addresses.swapper, { swap_exact_in: { coin_in: { denom: neutral, amount: buy.amountIn.toString() }, denom_out: debtDenom, min_receive: send.toString(), route: buy.route } }, [
          { denom: neutral, amount: buy.amountIn.toString() },
        ]),
      );
      acquireCost = valueAt(market, neutral, buy.amountIn) - valueAt(market, debtDenom, buy.expectedOut);
    }
    msgs.push(executeContractMsg(signer.address, addresses.redBank, { liquidate: { user: account, collateral_denom: collateralDenom, recipient: null } }, [{ denom: debtDenom, amount: send.toString() }]));
    // The collateral will be sold for the neutral asset: what the route says it fetches, at worst.
    const sale = collateralDenom === neutral ? amounts.toLiquidator : minReceive((await routes.quote(collateralDenom, amounts.toLiquidator, neutral)).amountOut, maxSlippage);
    const expectedProfit = valueAt(market, neutral, sale) - amounts.repayValue - acquireCost;
    return { option, msgs, expectedProfit };
  }

  async settle(plan: Plan, signer: Signer): Promise<TxEvent[][]> {
    const { addresses, routes, neutral, maxSlippage } = this.#o;
    const denom = plan.option.collateralDenom;
    const withdraw = await signer.execute([executeContractMsg(signer.address, addresses.redBank, { withdraw: { denom, amount: null, recipient: null } }, [])]);
    const received = addBalanceChanges(new Map(), withdraw.events, signer.address).get(denom) ?? 0n;
    if (denom === neutral || received <= 0n) return [withdraw.events];
    const quote = await routes.quote(denom, received, neutral);
    const swap = await signer.execute([
      executeContractMsg(signer.address, addresses.swapper, { swap_exact_in: { coin_in: { denom, amount: received.toString() }, denom_out: neutral, min_receive: minReceive(quote.amountOut, maxSlippage).toString(), route: quote.route } }, [
        { denom, amount: received.toString() },
      ]),
    ]);
    return [withdraw.events, swap.events];
  }
}

/** Pages a Mars list query keyed by denom (`start_after` = last denom) until a short page. */
async function pages<T extends { denom: string }>(page: (startAfter: string | null) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  let start: string | null = null;
  for (;;) {
    const p = await page(start);
    out.push(...p);
    if (p.length < 30) return out;
    start = p[p.length - 1]!.denom;
  }
}

