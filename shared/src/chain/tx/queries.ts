import { accountFromAny } from "@cosmjs/stargate";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { SimulateRequest } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { UnrecoverableError } from "../../errors.js";
import { AccountMissingError } from "./errors.js";
import { decodeSimulateResponse } from "./simulate-response.js";
import type { AbciQueryResult, TxEvent, ChainClient } from "../rpc-client.js";

/**
 * The protobuf queries of the transaction path, over `ChainClient.abciQuery` (gRPC method paths
 * as baseapp routes them): account number and sequence, bank balances, and tx simulation.
 */

/** An account's number and committed sequence (mempool transactions not counted). */
export interface AccountState {
  accountNumber: number;
  sequence: number;
}

/** `cosmos.auth.v1beta1.Query/Account`: number and sequence (any SDK account type `accountFromAny` knows). */
export async function queryAccount(client: ChainClient, address: string): Promise<AccountState> {
  const r = await client.abciQuery("/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode({ address }).finish());
  if (r.code !== 0) {
    if (/not found/.test(r.log)) throw new AccountMissingError(address, r.log);
    throw queryFailed("account", address, r);
  }
  const any = QueryAccountResponse.decode(r.value).account;
  if (!any) throw new AccountMissingError(address, "empty answer");
  const { accountNumber, sequence } = accountFromAny(any);
  return { accountNumber, sequence };
}

/** `cosmos.bank.v1beta1.Query/Balance`: the amount of `denom` held by `address` (0 when none). */
export async function queryBalance(client: ChainClient, address: string, denom: string): Promise<bigint> {
  const r = await client.abciQuery("/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address, denom }).finish());
  if (r.code !== 0) throw queryFailed(`balance of ${denom}`, address, r);
  return BigInt(QueryBalanceResponse.decode(r.value).balance?.amount ?? "0");
}

/** `cosmos.bank.v1beta1.Query/AllBalances`: every denom `address` holds, by denom (all pages). */
export async function queryAllBalances(client: ChainClient, address: string): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  let key: Uint8Array = new Uint8Array();
  do {
    const request = QueryAllBalancesRequest.encode(QueryAllBalancesRequest.fromPartial({ address, pagination: { key, limit: 1_000n } })).finish();
    const r = await client.abciQuery("/cosmos.bank.v1beta1.Query/AllBalances", request);
    if (r.code !== 0) throw queryFailed("balances", address, r);
    const page = QueryAllBalancesResponse.decode(r.value);
    for (const c of page.balances) out.set(c.denom, BigInt(c.amount));
    key = page.pagination?.nextKey ?? new Uint8Array();
  } while (key.length > 0);
  return out;
}

/**
 * `cosmos.tx.v1beta1.Service/Simulate` of tx bytes: the gas used and the events (only those of
 * `eventTypes` when given), or the chain's error answer (code, codespace, log with the contract's
 * text) for the caller to type.
 */
export async function querySimulate(client: ChainClient, txBytes: Uint8Array, eventTypes?: ReadonlySet<string>): Promise<SimulationResult | AbciQueryResult> {
  const r = await client.abciQuery("/cosmos.tx.v1beta1.Service/Simulate", SimulateRequest.encode(SimulateRequest.fromPartial({ txBytes })).finish());
  if (r.code !== 0) return r;
  return decodeSimulateResponse(r.value, eventTypes);
}

/** What a simulation returns: the gas used and the events the transaction would emit (bank transfers included). */
export interface SimulationResult {
  gasUsed: number;
  events: TxEvent[];
}

function queryFailed(what: string, address: string, r: AbciQueryResult): UnrecoverableError {
  return new UnrecoverableError(`query of the ${what} of ${address} failed with code ${r.code} (codespace ${r.codespace}): ${r.log}`);
}
