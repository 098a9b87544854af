import { ContractError, response, type MarsVariant, type Response } from "../host.js";
import { dec, ONE } from "../../math/decimal.js";
import type { KvStore } from "../../state/kv-store.js";
import { asObject, type Fields } from "../mars-core/msg-fields.js";
import { assertOwner, initOwner } from "../mars-core/owner.js";
import type { CmEnv } from "./env.js";
import { nftNextId } from "./clients.js";
import { createCreditAccount } from "./dispatch.js";
import {
  ACCOUNT_NFT,
  HEALTH_CONTRACT,
  INCENTIVES,
  KEEPER_FEE_CONFIG,
  MAX_SLIPPAGE,
  MAX_UNLOCKING_POSITIONS,
  ORACLE,
  PARAMS,
  PERPS,
  PERPS_LB_RATIO,
  RED_BANK,
  REWARDS_COLLECTOR,
  SWAPPER,
  SWAP_FEE,
  ZAPPER,
} from "./state.js";

/**
 * Credit-manager configuration: the state `instantiate` writes and the owner's `update_config`
 * (`C:contracts/credit-manager/src/{instantiate,update_config}.rs`).
 */

/** Constructor options of the credit manager (its InstantiateMsg; addresses as bech32 strings). */
export interface CreditManagerOptions {
  variant: MarsVariant;
  owner: string;
  redBank: string;
  oracle: string;
  params: string;
  healthContract: string;
  swapper: string;
  /** Shown by `config` only (zaps are not modelled); default: the credit manager's own address. */
  zapper?: string;
  /** Shown by `config` only (reward claims are not modelled); default: the credit manager's own address. */
  incentives?: string;
  /** Default "10". */
  maxUnlockingPositions?: string;
  /** Default "0.2". */
  maxSlippage?: string;
  /** CM swap fee, default "0.0005" (spec §6.2). */
  swapFee?: string;
  /** [NTRN] perps contract shown by `config` (perps are not modelled). */
  perps?: string;
  /** [NTRN] `perps_liquidation_bonus_ratio`, default "0.6" (spec §4 Neutron mainnet). */
  perpsLiquidationBonusRatio?: string;
}

function assertMaxSlippage(v: string): void {
  const d = dec(v);
  if (d === 0n || d >= ONE) throw new ContractError(JSON.stringify("Max slippage must be greater than 0 and less than 1"));
}

function assertSwapFee(v: string): void {
  if (dec(v) >= ONE) throw new ContractError(JSON.stringify("Swap fee must be less than 1"));
}

/** Writes the state the real `instantiate` writes (`self` = the credit manager's address). */
export function instantiateCreditManager(store: KvStore, self: string, o: CreditManagerOptions): void {
  initOwner(store, o.owner);
  RED_BANK.save(store, { addr: o.redBank, credit_manager: self });
  ORACLE.save(store, o.oracle);
  SWAPPER.save(store, o.swapper);
  ZAPPER.save(store, o.zapper ?? self);
  MAX_UNLOCKING_POSITIONS.save(store, o.maxUnlockingPositions ?? "10");
  const maxSlippage = o.maxSlippage ?? "0.2";
  assertMaxSlippage(maxSlippage);
  MAX_SLIPPAGE.save(store, maxSlippage);
  HEALTH_CONTRACT.save(store, o.healthContract);
  PARAMS.save(store, o.params);
  INCENTIVES.save(store, { addr: o.incentives ?? self, credit_manager: self });
  const swapFee = o.swapFee ?? "0.0005";
  assertSwapFee(swapFee);
  SWAP_FEE.save(store, swapFee);
  if (o.variant === "neutron") {
    PERPS.save(store, o.perps ?? self);
    PERPS_LB_RATIO.save(store, o.perpsLiquidationBonusRatio ?? "0.6");
    KEEPER_FEE_CONFIG.save(store, { min_fee: { denom: "untrn", amount: "0" } });
  }
}

/**
 * `update_config {updates}` (owner only). Keys: `account_nft` (saved, then the credit manager
 * sends the NFT `update_ownership: accept_ownership` — the NFT's minter must have proposed it
 * first), `oracle`, `red_bank`, `incentives`, `swapper`, `zapper`, `health_contract`, `params`
 * ([devnet] the real message has no `params` key), `max_unlocking_positions`, `max_slippage`,
 * `swap_fee`, `rewards_collector` (address: binds it and mints its credit account, whose id is
 * the NFT's next id), [NTRN] `perps_liquidation_bonus_ratio`.
 */
export function updateConfig(env: CmEnv, body: Fields): Response {
  assertOwner(env.store, env.sender);
  const u = asObject("mars_types::credit_manager::ExecuteMsg", body["updates"]);
  const res = response().attr("action", "update_config");
  const str = (k: string) => (typeof u[k] === "string" ? (u[k] as string) : undefined);
  const set = (k: string, save: (v: string) => void) => {
    const v = str(k);
    if (v === undefined) return;
    save(v);
    res.attr("key", k).attr("value", v);
  };
  set("account_nft", (v) => {
    ACCOUNT_NFT.save(env.store, v);
    res.execute(v, { update_ownership: "accept_ownership" });
  });
  set("oracle", (v) => ORACLE.save(env.store, v));
  set("red_bank", (v) => RED_BANK.save(env.store, { addr: v, credit_manager: env.self }));
  set("swapper", (v) => SWAPPER.save(env.store, v));
  set("zapper", (v) => ZAPPER.save(env.store, v));
  set("max_unlocking_positions", (v) => MAX_UNLOCKING_POSITIONS.save(env.store, v));
  set("max_slippage", (v) => {
    assertMaxSlippage(v);
    MAX_SLIPPAGE.save(env.store, v);
  });
  set("swap_fee", (v) => {
    assertSwapFee(v);
    SWAP_FEE.save(env.store, v);
  });
  set("health_contract", (v) => HEALTH_CONTRACT.save(env.store, v));
  set("params", (v) => PARAMS.save(env.store, v));
  set("incentives", (v) => INCENTIVES.save(env.store, { addr: v, credit_manager: env.self }));
  if (env.neutron) set("perps_liquidation_bonus_ratio", (v) => PERPS_LB_RATIO.save(env.store, v));
  const rc = str("rewards_collector");
  if (rc !== undefined) {
    const nextId = nftNextId(env);
    REWARDS_COLLECTOR.save(env.store, { address: rc, account_id: nextId });
    const sub = response();
    createCreditAccount(env, rc, "default", sub);
    res.messages.push(...sub.messages);
    res.attr("key", "rewards_collector_account").attr("value", nextId);
  }
  return res;
}
