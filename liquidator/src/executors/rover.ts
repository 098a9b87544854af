/**
 * Credit-manager liquidations (spec §6.5): one `update_credit_account` on the signer's own credit
 * account, needing no capital: borrow exactly the repay, liquidate, swap the seized collateral to
 * the debt asset with a `min_receive` from a quote, repay the borrow, refund every balance to the
 * signer's wallet. The whole list is atomic: if the swap does not cover the borrow the credit
 * manager's own health check reverts it.
 */
import { executeContractMsg, mars, type ChainClient, type MarketState, type MarsAddresses } from "@mlb/shared";
import type { RouteSource } from "../routes/route-source.js";
import type { Signer } from "../signer-pool.js";
import type { Assessment, Plan, Strategy } from "./strategy.js";
import { minReceive } from "./swaps.js";

export interface RoverStrategyOptions {
  client: ChainClient;
  addresses: MarsAddresses;
  routes: RouteSource;
  /** Decimal atomics, e.g. 1e16 for 1%. */
  maxSlippage: bigint;
}

export class RoverStrategy implements Strategy {
  readonly product = "rover" as const;
  readonly contract: string;
  readonly liquidatedAttribute = "liquidatee_account_id";
  readonly #o: RoverStrategyOptions;
  #swapFee: Promise<bigint> | undefined;

  constructor(options: RoverStrategyOptions) {
    this.#o = options;
    this.contract = options.addresses.creditManager;
  }

  /** Finds the signer's credit account, creating one on first start. */
  async prepare(signer: Signer): Promise<void> {
    if (signer.creditAccountId !== undefined) return;
    const { client, addresses } = this.#o;
    const owned = await client.smart<{ id: string; kind: string }[]>(addresses.creditManager, { accounts: { owner: signer.address, start_after: null, limit: 30 } });
    const existing = owned.find((a) => a.kind === "default");
    if (existing !== undefined) {
      signer.creditAccountId = existing.id;
      return;
    }
    const created = await signer.execute([executeContractMsg(signer.address, addresses.creditManager, { create_credit_account: "default" }, [])]);
    const id = created.events.flatMap((e) => e.attributes).find((a) => a.key === "token_id")?.value;
    if (id === undefined) throw new Error(`create_credit_account by ${signer.address} emitted no token_id`);
    signer.creditAccountId = id;
  }

  prefetch(height: number): void {
    this.#o.routes.prefetch(height);
  }

  async assess(account: string, marketRead: Promise<MarketState>, sendCap: (denom: string, market: MarketState) => bigint): Promise<Assessment> {
    const [json, market] = await Promise.all([this.#o.client.smart<mars.PositionsJson>(this.#o.addresses.creditManager, { positions: { account_id: account } }), marketRead]);
    const position = mars.creditAccountFromJson(json);
    const health = mars.creditAccountHealth(position, market.snapshot);
    const sendCaps = new Map(position.debts.map((d) => [d.denom, sendCap(d.denom, market)]));
    return { health, options: mars.bestCreditAccountLiquidation(position, market.snapshot, market.rules, { health, sendCaps }) };
  }

  async plan(account: string, option: mars.LiquidationOption, market: MarketState, signer: Signer): Promise<Plan> {
    const { addresses, routes, maxSlippage } = this.#o;
    const { debtDenom, collateralDenom, amounts, request } = option;
    const repay = amounts.repay; // the credit manager keeps, not refunds, any excess: send exactly the repay
    const actions: unknown[] = [
      { borrow: { denom: debtDenom, amount: repay.toString() } },
      { liquidate: { liquidatee_account_id: account, debt_coin: { denom: debtDenom, amount: repay.toString() }, request: { [request ?? "deposit"]: collateralDenom } } },
    ];
    if (collateralDenom !== debtDenom) {
      const fee = await this.#swapFeeRate();
      const swapped = amounts.toLiquidator - (amounts.toLiquidator * fee) / mars.DECIMAL_ONE;
      const quote = await routes.quote(collateralDenom, swapped, debtDenom, market.height);
      actions.push({ swap_exact_in: { coin_in: { denom: collateralDenom, amount: "account_balance" }, denom_out: debtDenom, min_receive: minReceive(quote.amountOut, maxSlippage).toString(), route: quote.route } });
    }
    actions.push({ repay: { recipient_account_id: null, coin: { denom: debtDenom, amount: "account_balance" } } }, { refund_all_coin_balances: {} });
    const msg = executeContractMsg(signer.address, addresses.creditManager, { update_credit_account: { account_id: signer.creditAccountId, account_kind: null, actions } }, []);
    return { option, msgs: [msg], spends: [] };
  }

  /** The swap and the repay ran inside the liquidation; the refund brought the profit home. */
  async settle(): Promise<never[]> {
    return [];
  }

  #swapFeeRate(): Promise<bigint> {
    this.#swapFee ??= this.#o.client.smart<string>(this.#o.addresses.creditManager, { swap_fee_rate: {} }).then((r) => mars.parseDecimal(r, "swap_fee_rate"));
    return this.#swapFee;
  }
}
