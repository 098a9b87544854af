import { decodeBech32 } from "../../memo.js";
import { ContractError, type Coin, type ExecuteContext, type QueryContext } from "../host.js";

/**
 * What a CosmWasm contract sees when it talks to the chain: smart queries of other contracts
 * (whose failures reach the caller as `StdError::GenericErr("Querier contract error: ..")`, as
 * `cosmwasm_std::QuerierWrapper` reports them), address validation against the chain's bech32
 * prefix (`deps.api.addr_validate`), and the payment helpers of `cw_utils` used by Mars (spec §2.1, §2.7).
 */


/** Smart query of `contract` from inside a contract; a failing callee becomes a generic querier error. */
export function queryContract<T>(ctx: QueryContext, contract: string, msg: unknown): T {
  try {
    return ctx.query<T>(contract, msg);
  } catch (err) {
    if (err instanceof ContractError) throw new ContractError(`Generic error: Querier contract error: ${err.message}`);
    throw err;
  }
}

/** The bech32 prefix of the chain, read from the calling contract's own address. */
export function chainPrefix(ctx: QueryContext): string {
  return decodeBech32(ctx.self).prefix;
}

/** `deps.api.addr_validate`: a normalized bech32 address with the chain's prefix, else an error. */
export function addrValidate(ctx: QueryContext, address: string): string {
  let prefix: string;
  try {
    prefix = decodeBech32(address).prefix;
  } catch (err) {
    throw new ContractError(`Generic error: addr_validate errored: ${(err as Error).message}`);
  }
  if (address !== address.toLowerCase()) throw new ContractError("Generic error: Invalid input: Address is not normalized");
  if (prefix !== chainPrefix(ctx)) throw new ContractError(`Generic error: addr_validate errored: invalid bech32 prefix ${prefix}`);
  return address;
}

/** `cw_utils::one_coin`: exactly one non-zero coin sent ("No funds sent", "Sent more than one denomination"). */
export function oneCoin(ctx: ExecuteContext): { denom: string; amount: bigint } {
  if (ctx.funds.length > 1) throw new ContractError("Sent more than one denomination");
  const coin = ctx.funds[0];
  if (!coin || BigInt(coin.amount) === 0n) throw new ContractError("No funds sent");
  return { denom: coin.denom, amount: BigInt(coin.amount) };
}

/** `cw_utils::nonpayable`: no funds may be attached (the message text is cw-utils' own, typo included). */
export function nonpayable(ctx: ExecuteContext): void {
  if (ctx.funds.some((c: Coin) => BigInt(c.amount) > 0n)) throw new ContractError("This message does no accept funds");
}

/**
 * `mars_utils::helpers::validate_native_denom`: 3–128 characters, a letter first, then letters,
 * digits or one of `/ : . _ -`.
 */
export function validateNativeDenom(denom: string): void {
  if (denom.length < 3 || denom.length > 128) throw new ContractError("Invalid denom: Invalid denom length");
  if (!/^[A-Za-z]/.test(denom)) throw new ContractError("Invalid denom: First character is not ASCII alphabetic");
  if (!/^[A-Za-z][A-Za-z0-9/:._-]*$/.test(denom)) {
    throw new ContractError("Invalid denom: Not all characters are ASCII alphanumeric or one of:  /  :  .  _  -");
  }
}
