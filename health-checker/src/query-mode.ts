/**
 * Query mode (HEALTH_SOURCE=query): the contracts compute health themselves, Red Bank's
 * `user_position_liquidation_pricing` and the health contract's `health_values` with the
 * `liquidation` action (spec §2.2, §6.3), batched through Hive (aliases and HTTP batches, spec §8)
 * or sent one by one over RPC. It is the fallback and the baseline local mode is measured against.
 */
import { mapLimit, mars, type ChainClient, type HiveClient, type MarketState, type MarsAddresses } from "@mlb/shared";
import { bestOption, candidateOf, type EvaluateOptions, type ShardVerdict } from "./evaluate.js";
import { isRedBank, type Shard } from "./positions.js";

export interface QueryModeOptions {
  transport: "hive" | "rpc";
  client: ChainClient;
  hive: HiveClient;
  addresses: MarsAddresses;
  /** Queries per GraphQL operation (aliases), and in flight at once over RPC. */
  batch: number;
}

/** Evaluates `shard` by asking the contracts; the best liquidation of a flagged position is still sized locally. */
export async function queryShard(shard: Shard, market: MarketState, opts: EvaluateOptions, q: QueryModeOptions): Promise<ShardVerdict> {
  const accounts = [...shard.keys()];
  const queries = accounts.map((account) => {
    const p = shard.get(account)!;
    if (isRedBank(p)) return { contract: q.addresses.redBank, msg: { user_position_liquidation_pricing: { user: account, account_id: null } } };
    const args = market.rules.variant === "osmosis" ? { account_id: account, kind: p.kind, action: "liquidation" } : { account_id: account, action: "liquidation" };
    return { contract: q.addresses.health, msg: { health_values: args } };
  });
  const answers =
    q.transport === "hive"
      ? await q.hive.contractQueries(queries, { aliasesPerOperation: q.batch })
      : await mapLimit(queries, q.batch, async (x) => {
          try {
            return { ok: true as const, data: await q.client.smart<unknown>(x.contract, x.msg) };
          } catch (err) {
            return { ok: false as const, error: err instanceof Error ? err.message : String(err) };
          }
        });
  const verdict: ShardVerdict = { checked: 0, flagged: [], stillQueued: [], dust: 0, unevaluable: new Map() };
  for (let i = 0; i < accounts.length; i++) {
    const account = accounts[i]!;
    const answer = answers[i]!;
    verdict.checked++;
    try {
      if (!answer.ok) throw new Error(answer.error);
      const p = shard.get(account)!;
      const h = isRedBank(p) ? mars.healthValuesFromUserPosition(answer.data as mars.UserPositionJson) : mars.healthValuesFromJson(answer.data as mars.HealthValuesJson);
      if (h.liquidationHealthFactor === null || h.liquidationHealthFactor >= opts.threshold) continue;
      if (h.totalDebtValue < opts.minDebtValue) {
        verdict.dust++;
        continue;
      }
      if (opts.recentlyQueued?.(account)) verdict.stillQueued.push(account);
      else verdict.flagged.push(candidateOf(account, h, bestOption(account, p, market, h), opts.now));
    } catch (err) {
      const reason = err instanceof Error ? err.message.slice(0, 200) : String(err);
      verdict.unevaluable.set(reason, (verdict.unevaluable.get(reason) ?? 0) + 1);
    }
  }
  return verdict;
}
