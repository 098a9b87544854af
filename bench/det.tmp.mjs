import { runDetection } from "./dist/detection/run.js";
import { startBenchRedis } from "./dist/redis-server.js";
const redis = await startBenchRedis();
const [pos, acc, blocks, ...seeds] = process.argv.slice(2).map(Number);
for (const seed of seeds) {
  const t = performance.now();
  const r = await runDetection({ devnetFlags: ["--positions", String(pos), "--accounts", String(acc), "--scenario", "random-walk", "--seed", String(seed)], redisUrl: redis.url, namespace: `s${seed}`, blocks });
  const f = (p) => `debtors ${p.debtors} start ${p.liquidatable_at_start}/${p.liquidatable_at_start_unflagged} became ${p.became_liquidatable} same ${p.flagged_same_block} next ${p.flagged_next_block} missed ${p.missed} fp ${p.false_positives} unflagged ${p.unflagged_account_blocks} uneval ${p.unevaluable} eval ${p.evaluate_ms}`;
  console.log(`seed ${seed} ${((performance.now()-t)/1000).toFixed(1)} s truth ${r.ground_truth_ms} ms\n  redbank ${f(r.redbank)}\n  rover ${f(r.rover)}`);
}
await redis.stop();
process.exit(0);
