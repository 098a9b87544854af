/**
 * Red Bank liquidations (spec §2.5, §2.6a), in one atomic transaction: acquire the debt asset (a
 * swap from the neutral asset, unless the signer already holds enough), liquidate sending slightly
 * more than the repay (the contract refunds the excess), withdraw the seized collateral (it arrives
 * as a Red Bank deposit) and swap it back to the neutral asset with a `min_receive` from a quote.
 * Any failure reverts everything, so no swap is left half done and no collateral is left unsold.
 */
import { executeContractMsg, mars, type ChainClient, type MarketState, type MarsAddresses, type TxEvent } from "@mlb/shared";
import type { RouteSource } from "../routes/route-source.js";
import type { Amount, Signer } from "../signer-pool.js";
import type { Assessment, Plan, Strategy } from "./strategy.js";
import { minReceive, swapInFor } from "./swaps.js";

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
    const swap = (denomIn: string, amountIn: bigint, denomOut: string, min: bigint, route: unknown) =>
      executeContractMsg(signer.address, addresses.swapper, { swap_exact_in: { coin_in: { denom: denomIn, amount: amountIn.toString() }, denom_out: denomOut, min_receive: min.toString(), route } }, [
        { denom: denomIn, amount: amountIn.toString() },
      ]);
    const msgs = [];
    const spends: Amount[] = [];
    if (debtDenom !== neutral && (await signer.available(debtDenom)) < send) {
      // Buy the debt asset with the neutral one (own inventory first, when the signer holds enough).
      const buy = await swapInFor(routes, neutral, debtDenom, send, maxSlippage);
      msgs.push(swap(neutral, buy.amountIn, debtDenom, send, buy.route));
      spends.push({ denom: neutral, amount: buy.amountIn });
    } else {
      spends.push({ denom: debtDenom, amount: send });
    }
    msgs.push(executeContractMsg(signer.address, addresses.redBank, { liquidate: { user: account, collateral_denom: collateralDenom, recipient: null } }, [{ denom: debtDenom, amount: send.toString() }]));
    // The seized collateral arrives as a Red Bank deposit: withdraw it and sell it in the same
    // transaction. A hair is left behind because indexes move between now and inclusion.
    const sold = amounts.toLiquidator - (amounts.toLiquidator * WITHDRAW_MARGIN_BPS + 9_999n) / 10_000n;
    if (sold > 0n) {
      msgs.push(executeContractMsg(signer.address, addresses.redBank, { withdraw: { denom: collateralDenom, amount: sold.toString(), recipient: null } }, []));
      if (collateralDenom !== neutral) {
        const quote = await routes.quote(collateralDenom, sold, neutral);
        msgs.push(swap(collateralDenom, sold, neutral, minReceive(quote.amountOut, maxSlippage), quote.route));
      }
    }
    return { option, msgs, spends };
  }
}

/** Basis points of the seized collateral left in the Red Bank when withdrawing it in the liquidation's transaction. */
const WITHDRAW_MARGIN_BPS = 10n;

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

