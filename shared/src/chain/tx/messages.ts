import { wasmTypes, type MsgExecuteContractEncodeObject } from "@cosmjs/cosmwasm";
import { toUtf8 } from "@cosmjs/encoding";
import { Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, type Coin, type MsgSendEncodeObject } from "@cosmjs/stargate";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { MsgExecuteContract } from "cosmjs-types/cosmwasm/wasm/v1/tx";

/** The messages the bot sends, as cosmjs `EncodeObject`s, and the registry that encodes them. */

/** A registry with cosmjs' default (bank, staking, ...) and wasm message types. */
export function txRegistry(): Registry {
  return new Registry([...defaultRegistryTypes, ...wasmTypes]);
}

/**
 * `/cosmwasm.wasm.v1.MsgExecuteContract`: `msg` is serialized as JSON; `funds` are sorted by
 * denom, as the SDK's `Coins.Validate` demands.
 */
export function executeContractMsg(sender: string, contract: string, msg: unknown, funds: readonly Coin[] = []): MsgExecuteContractEncodeObject {
  return {
    typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract",
    value: MsgExecuteContract.fromPartial({ sender, contract, msg: toUtf8(JSON.stringify(msg)), funds: sortCoins(funds) }),
  };
}

/** `/cosmos.bank.v1beta1.MsgSend` of `amount` (sorted by denom) from `from` to `to`. */
export function bankSendMsg(from: string, to: string, amount: readonly Coin[]): MsgSendEncodeObject {
  return { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.fromPartial({ fromAddress: from, toAddress: to, amount: sortCoins(amount) }) };
}

function sortCoins(coins: readonly Coin[]): Coin[] {
  return coins.map((c) => ({ denom: c.denom, amount: c.amount })).sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
}
