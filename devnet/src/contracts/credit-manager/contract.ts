import { ContractError, response, variant, type Contract, type ExecuteContext, type MarsVariant, type QueryContext, type Response } from "../host.js";
import { reqString, type Fields } from "../mars-core/msg-fields.js";
import { updateOwner } from "./common/owner-update.js";
import { repayFromWallet } from "./borrow-repay.js";
import { handleCallback } from "./callbacks.js";
import { instantiateCreditManager, updateConfig, type CreditManagerOptions } from "./config.js";
import { createCreditAccount, dispatchActions, parseAccountKind } from "./dispatch.js";
import type { CmEnv, CmQueryEnv } from "./env.js";
import { query } from "./queries.js";

/**
 * The Mars credit manager ("Rover", spec §6.1–6.5, storage §3.3) for either deployment:
 * osmosis (credit-manager 2.2.0, target-health-factor liquidations) or neutron (2.4.1, static
 * close factor, health at dispatch, withdraw-enabled checks). Execute: `create_credit_account`,
 * `update_credit_account`, `repay_from_wallet`, `update_config`, `update_owner`, `callback`.
 * Queries: `positions`, `accounts`, `account_kind`, `config`, `all_coin_balances`,
 * `all_debt_shares`, `total_debt_shares`, `all_total_debt_shares`, `swap_fee_rate`
 * (+ empty `all_vault_positions`/`vault_bindings`). Its neighbours (Red Bank, oracle, params,
 * health, account NFT, swapper) are reached only through their JSON messages and queries.
 */
export class CreditManagerModel implements Contract {
  readonly contractName = "crates.io:mars-credit-manager";
  readonly contractVersion: string;
  readonly variant: MarsVariant;
  readonly #neutron: boolean;
  readonly #options: CreditManagerOptions;

  constructor(options: CreditManagerOptions) {
    this.variant = options.variant;
    this.#neutron = options.variant === "neutron";
    this.#options = options;
    this.contractVersion = this.#neutron ? "2.4.1" : "2.2.0";
  }

  /** Writes owner and config items as the real instantiate (no account NFT or rewards collector yet: see `update_config`). */
  instantiate(ctx: ExecuteContext): Response {
    instantiateCreditManager(ctx.store, ctx.self, this.#options);
    return response();
  }

  execute(ctx: ExecuteContext, msg: unknown): Response {
    const env: CmEnv = { ...ctx, neutron: this.#neutron };
    const [name, body] = variant(msg);
    switch (name) {
      case "callback":
        return handleCallback(env, (msg as Fields)["callback"]);
      case "update_credit_account":
        return dispatchActions(env, body);
      case "create_credit_account": {
        const res = response();
        createCreditAccount(env, env.sender, parseAccountKind((msg as Fields)["create_credit_account"]), res);
        return res;
      }
      case "repay_from_wallet":
        return repayFromWallet(env, reqString("mars_types::credit_manager::ExecuteMsg", body, "account_id"));
      case "update_config":
        return updateConfig(env, body);
      case "update_owner": {
        const res = response();
        for (const [k, v] of updateOwner(env.store, env.sender, (msg as Fields)["update_owner"])) res.attr(k, v);
        return res;
      }
      default:
        throw new ContractError(`devnet credit manager: execute message \`${name}\` is not modelled`);
    }
  }

  query(ctx: QueryContext, msg: unknown): unknown {
    const env: CmQueryEnv = { ...ctx, neutron: this.#neutron };
    return query(env, msg);
  }
}
