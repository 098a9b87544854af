/**
 * A transaction's effect on one account's balances, read from the bank events it emitted
 * (`coin_spent` / `coin_received`, fees included), and its value at oracle prices.
 */
import { mars, type TxEvent } from "@mlb/shared";

/** Parses an SDK coins string `123uosmo,4ibc/AB..` into (denom, amount) pairs. */
export function parseCoins(text: string): { denom: string; amount: bigint }[] {
  if (text === "") return [];
  return text.split(",").map((c) => {
    const m = /^(\d+)(.+)$/.exec(c.trim());
    if (!m) throw new Error(`bad coin ${JSON.stringify(c)} in ${JSON.stringify(text)}`);
    return { denom: m[2]!, amount: BigInt(m[1]!) };
  });
}

/** The event types balance changes are read from. */
export const BALANCE_EVENT_TYPES: ReadonlySet<string> = new Set(["coin_spent", "coin_received"]);

/** Adds the balance changes of `address` in `events` to `into` (denom → signed amount). */
export function addBalanceChanges(into: Map<string, bigint>, events: readonly TxEvent[], address: string): Map<string, bigint> {
  for (const e of events) {
    const sign = e.type === "coin_spent" ? -1n : e.type === "coin_received" ? 1n : 0n;
    if (sign === 0n) continue;
    const who = e.attributes.find((a) => a.key === (sign < 0n ? "spender" : "receiver"))?.value;
    if (who !== address) continue;
    for (const { denom, amount } of parseCoins(e.attributes.find((a) => a.key === "amount")?.value ?? "")) into.set(denom, (into.get(denom) ?? 0n) + sign * amount);
  }
  return into;
}

/** Value of signed balance changes in uusd: each `floor(|Δ|·price)` with its sign; throws when a denom has no price. */
export function valueOf(changes: ReadonlyMap<string, bigint>, prices: mars.PriceTable): bigint {
  let total = 0n;
  for (const [denom, delta] of changes) {
    const price = prices.get(denom);
    if (price === undefined) throw new Error(`no price for ${denom} to value a balance change`);
    const v = ((delta < 0n ? -delta : delta) * price) / mars.DECIMAL_ONE;
    total += delta < 0n ? -v : v;
  }
  return total;
}

export function changesJson(changes: ReadonlyMap<string, bigint>): Record<string, string> {
  return Object.fromEntries([...changes].filter(([, v]) => v !== 0n).map(([d, v]) => [d, v.toString()]));
}
