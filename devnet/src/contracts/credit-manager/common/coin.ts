import { asObject, reqString, reqUint } from "../../mars-core/msg-fields.js";

/** A coin with a bigint amount. */
export interface BigCoin {
  denom: string;
  amount: bigint;
}

/** Parses a cosmwasm `Coin` JSON (`{"denom","amount":"123"}`). */
export function coinOf(typeName: string, v: unknown): BigCoin {
  const o = asObject(typeName, v, "struct Coin");
  return { denom: reqString(typeName, o, "denom"), amount: reqUint(typeName, o, "amount") };
}

/** A `Coin` as JSON (amount as decimal string). */
export function coinJson(c: BigCoin): { denom: string; amount: string } {
  return { denom: c.denom, amount: c.amount.toString() };
}
