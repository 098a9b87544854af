/**
 * The liquidator under pressure, as processes against a devnet: a competitor with its own signers
 * and its own Redis races it for the same positions, and an executor is SIGKILLed in the middle of
 * a liquidation and restarted.
 */
import { DirectSecp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/proto-signing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES, pipelineKeys, type RedisClient } from "@mlb/shared";
import { DEFAULT_DEVNET_MNEMONIC } from "../../devnet/src/cli.js";
import { useDevnet } from "../../devnet/test/support/devnet.js";
import { pipelineEnv, testDeps } from "../../test/support/pipeline.js";
import { startRedisServer, type RedisServer } from "../../test/support/redis-server.js";
import { TEST_MNEMONIC, startService, type ServiceProcess } from "../../test/support/service-process.js";
import { AttemptRecorder, type AttemptRecord } from "../src/index.js";
import { DUST, crash, flag } from "./support.js";

/** Environment of a liquidator process for `env`'s pipeline. */
function liquidatorEnv(env: Record<string, string>, mnemonic: string, signers: number): Record<string, string> {
  return { ...env, LOG_LEVEL: "debug", WALLET_MNEMONIC: mnemonic, MAX_LIQUIDATORS: String(signers), SIGNERS_PER_INSTANCE: String(signers), MIN_PROFIT_VALUE: "0", SIGNER_LEASE_MS: "3000" };
}

/** A record that is followed by another attempt of its candidate (its transaction failed on another liquidation in it). */
const retried = (r: AttemptRecord) => r.outcome === "reverted" && /trying again alone$/.test(r.error ?? "");

/** Polls the records of a pipeline until `n` candidates have their final one. */
async function waitForRecords(redis: RedisClient, env: Record<string, string>, n: number, timeoutMs = 60_000): Promise<AttemptRecord[]> {
  const keys = pipelineKeys({ chain: env.CHAIN_NAME!, product: env.PRODUCT! }, env.REDIS_NAMESPACE);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = await AttemptRecorder.read(redis, keys);
    if (records.filter((r) => !retried(r)).length >= n || Date.now() > deadline) return records;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const running: ServiceProcess[] = [];
afterAll(() => {
  for (const p of running) p.child.kill("SIGKILL");
});

// Each liquidator alone per transaction, then both grouping a busy signer's liquidations.
describe.each<Record<string, string>>([{ MAX_LIQUIDATIONS_PER_TX: "1" }, { MAX_LIQUIDATIONS_PER_TX: "8" }])("two liquidators race for the same positions (%j)", (extra) => {
  const devnet = useDevnet(["--positions", "40", "--activity", "0", "--funded", "3"]);
  let redisB: RedisServer;
  const ours = Array.from({ length: 3 }, (_, i) => i + 1);
  let competitor: string[] = [];
  beforeAll(async () => {
    redisB = await startRedisServer();
    // The competitor's own wallet, funded from ours.
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(TEST_MNEMONIC, { prefix: "osmo", hdPaths: [0, 1, 2, 3].map((i) => makeCosmoshubPath(i)) });
    competitor = (await wallet.getAccounts()).map((a) => a.address);
    const t = devnet();
    for (const to of competitor) {
      const coins = t.ready.denoms.map((d) => ({ denom: d.denom, amount: (10n ** BigInt(d.decimals + 6)).toString() })).sort((x, y) => (x.denom < y.denom ? -1 : 1));
      await t.client.sendTokens(t.account(3), to, coins, t.fee);
    }
  });
  afterAll(async () => {
    await redisB?.stop();
  });

  it("both keep running; the loser records 'lost to another liquidator' and loses no funds", async () => {
    const t = devnet();
    const h = await crash(t, 25n);
    const envA = pipelineEnv(t, "redbank", { POSITION_SHARDS: "2", MIN_DEBT_VALUE: String(DUST) });
    const envB = { ...pipelineEnv(t, "redbank", { POSITION_SHARDS: "2", MIN_DEBT_VALUE: String(DUST) }), REDIS_ENDPOINT: redisB.url };
    const a = startService("liquidator", { ...liquidatorEnv(envA, DEFAULT_DEVNET_MNEMONIC, ours.length), ...extra });
    const b = startService("liquidator", { ...liquidatorEnv(envB, TEST_MNEMONIC, 3), ...extra });
    running.push(a, b);
    await Promise.all([a, b].map((p) => p.waitForLog((l) => l.msg === "service started", 30_000)));
    const [queuedA, queuedB] = await Promise.all([flag(envA, h), flag(envB, h)]);
    expect(queuedA).toBeGreaterThan(0);
    expect(queuedB).toBe(queuedA);
    const depsA = testDeps(envA as never);
    const depsB = testDeps(envB as never);
    const [recordsA, recordsB] = await Promise.all([waitForRecords(depsA.redis, envA, queuedA), waitForRecords(depsB.redis, envB, queuedB)]);
    await depsA.close();
    await depsB.close();
    const all = [...recordsA, ...recordsB];
    const count = (o: string) => all.filter((r) => r.outcome === o).length;
    console.info(`race: ${queuedA} candidates each; outcomes ${JSON.stringify(Object.fromEntries(["liquidated", "lost", "healthy", "reverted", "unprofitable", "skipped"].map((o) => [o, count(o)])))}`);
    // One final record per candidate; before it, only attempts whose transaction failed on another
    // liquidation in it (batched), each followed by an attempt alone.
    expect(recordsA.filter((r) => !retried(r))).toHaveLength(queuedA);
    expect(recordsB.filter((r) => !retried(r))).toHaveLength(queuedB);
    expect(all.filter((r) => r.outcome === "reverted" && !retried(r)).map((r) => r.error)).toEqual([]);
    if (extra.MAX_LIQUIDATIONS_PER_TX === "1") expect(all.filter(retried)).toEqual([]);
    console.info(`race: ${all.filter(retried).length} attempts failed on a batch-mate and went again alone; transaction sizes ${JSON.stringify(all.map((r) => r.txLiquidations))}`);
    expect(count("lost")).toBeGreaterThan(0);
    // A lost race costs at most the fee of a transaction that reverted in its block: nothing else leaves the wallet.
    for (const r of all.filter((x) => x.outcome === "lost")) {
      for (const [denom, delta] of Object.entries(r.balanceChanges)) if (denom !== t.gas) expect(BigInt(delta), `${r.account} ${denom}`).toBeGreaterThanOrEqual(0n);
    }
    for (const r of all.filter((x) => x.outcome === "liquidated")) expect(BigInt(r.realizedProfit!)).toBeGreaterThan(0n);
    // Neither crashed: both still serve, and stop cleanly.
    for (const p of [a, b]) {
      p.child.kill("SIGTERM");
      expect(await p.exited).toBe(0);
    }
  }, 120_000);
});

describe("an executor SIGKILLed in the middle of a liquidation", () => {
  const devnet = useDevnet(["--positions", "40", "--activity", "0", "--funded", "3"]);

  it("loses no candidate and liquidates no account twice", async () => {
    const t = devnet();
    const h = await crash(t, 25n);
    const env = pipelineEnv(t, "redbank", { POSITION_SHARDS: "2", MIN_DEBT_VALUE: String(DUST) });
    // No health checker runs after the first flagging here, so re-delivered candidates must be
    // re-verified however many blocks have passed, not skipped as stale.
    const lEnv = { ...liquidatorEnv(env, DEFAULT_DEVNET_MNEMONIC, 3), MAX_CANDIDATE_AGE_BLOCKS: "100000" };
    const first = startService("liquidator", lEnv);
    running.push(first);
    await first.waitForLog((l) => l.msg === "service started", 30_000);
    const queued = await flag(env, h);
    expect(queued).toBeGreaterThan(1);
    // Killed right after the node accepted its first liquidation, before it could see it included or record it.
    await first.waitForLog((l) => l.msg === "tx accepted into the mempool", 30_000);
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    const second = startService("liquidator", lEnv);
    running.push(second);
    const deps = testDeps(env as never);
    const records = await waitForRecords(deps.redis, env, queued, 90_000);
    const keys = pipelineKeys({ chain: t.chain, product: "redbank" }, env.REDIS_NAMESPACE);
    const q = keys.queue(QUEUES.liquidate);
    const [pending, dead] = await Promise.all([deps.redis.llen(q.pending), deps.redis.llen(q.dead)]);
    await deps.close();
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    // No candidate lost: each has its record (the killed attempt's candidate was delivered again).
    expect(pending).toBe(0);
    expect(dead).toBe(0);
    expect(new Set(records.map((r) => r.account)).size).toBe(queued);
    // No account liquidated twice by us for one detection: every one of our liquidations on chain
    // has exactly one record with its tx hash and account (a transaction may hold several), except those the killed executor had in flight, and
    // their candidates were delivered again and recorded; no account was liquidated by us twice in
    // one block. (An account still unhealthy after one liquidation, e.g. one limited by a small
    // collateral, is rightly liquidated again later.)
    const signers = new Set([1, 2, 3].map((i) => t.account(i)));
    const onChain = (await t.admin<{ account: string; liquidator: string; height: number; txHash: string }[]>("GET", `/liquidations?since=${h}`)).body.filter((l) => signers.has(l.liquidator));
    const recorded = new Set(records.filter((r) => r.outcome === "liquidated").map((r) => `${r.txHash}/${r.account}`));
    const killedTxs = onChain.filter((l) => !recorded.has(`${l.txHash}/${l.account}`));
    expect(killedTxs.length).toBeGreaterThanOrEqual(1);
    expect(recorded.size).toBe(onChain.length - killedTxs.length);
    expect(new Set(onChain.map((l) => `${l.account}@${l.height}`)).size).toBe(onChain.length);
    for (const k of killedTxs) expect(records.some((r) => r.account === k.account && r.candidateHeight === h), k.account).toBe(true);
    expect(records.filter((r) => r.outcome === "skipped").map((r) => r.error)).toEqual([]);
    const liquidated = records.filter((r) => r.outcome === "liquidated");
    console.info(`sigkill: ${queued} candidates, ${killedTxs.length} liquidated by the killed executor, ${liquidated.length} after the restart, ${records.length} records`);
  }, 150_000);
});
