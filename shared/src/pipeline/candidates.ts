import type { PipelineKeys } from "../redis/keys.js";
import type { RedisClient } from "../redis/connection.js";
import { loadScript, runScript } from "../redis/lua-script.js";
import { encodeItem } from "../queue/envelope.js";
import { QUEUES, type Candidate } from "./work.js";

const pushScript = loadScript("pushCandidates-2.lua");

/**
 * Queues candidates found at `height` for the liquidator, best expected profit first, skipping
 * accounts already queued within the last `repeatBlocks` blocks. Returns how many were queued.
 */
export async function pushCandidates(redis: RedisClient, keys: PipelineKeys, height: number, candidates: readonly Candidate[], repeatBlocks: number): Promise<number> {
  if (candidates.length === 0) return 0;
  // Each profit is parsed once, not once per comparison (tens of thousands of candidates a block at scale).
  const ranked = candidates.map((c) => ({ c, profit: BigInt(c.expectedProfit) })).sort((a, b) => (b.profit > a.profit ? 1 : b.profit < a.profit ? -1 : 0));
  const args: (string | number)[] = [height, repeatBlocks];
  for (const { c } of ranked) args.push(c.account, encodeItem({ id: `${c.account}@${height}`, height, data: c }));
  return (await runScript(redis, pushScript, [keys.queue(QUEUES.liquidate).pending, keys.flagged], args)) as number;
}
