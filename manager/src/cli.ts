/**
 * Operator commands around a manager's configuration, for `make run` and `make status`:
 *
 *   node manager/dist/cli.js check  --env-file .env   validate the manager's and every child's settings (exit 2 when bad)
 *   node manager/dist/cli.js status --env-file .env   queue depths, instances and the last block reports from Redis
 *
 * The env file is read as `docker run --env-file` reads it (KEY=VALUE, literally; # comments), so
 * JSON values need no quoting. Without --env-file the process environment is used.
 */
import { readFileSync } from "node:fs";
import { ConfigError, createLogger, createRedis, EXIT_BAD_CONFIG, parseConfig, pipelineKeys, QUEUES, ReliableQueue } from "@mlb/shared";
import { childEnvs } from "./child-config.js";
import { managerConfigSchema, type ManagerConfig } from "./config.js";
import { readEnvFile } from "./env-file.js";
import type { BlockReport } from "./manager.js";

const [command, flag, file] = process.argv.slice(2);
if (!["check", "status"].includes(command ?? "") || (flag !== undefined && flag !== "--env-file")) {
  process.stderr.write("usage: node manager/dist/cli.js check|status [--env-file <file>]\n");
  process.exit(EXIT_BAD_CONFIG);
}
const env = file === undefined ? process.env : readEnvFile(readFileSync(file, "utf8"));
let config: ManagerConfig;
try {
  config = parseConfig("manager", managerConfigSchema, env) as ManagerConfig;
  childEnvs(config);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(EXIT_BAD_CONFIG);
}
if (command === "check") process.stdout.write(`${file ?? "the environment"}: the manager's and every service's settings are valid (${config.CHAIN_NAME} ${config.PRODUCT}, ORCHESTRATOR=${config.ORCHESTRATOR})\n`);
else await status(config);

async function status(config: ManagerConfig): Promise<void> {
  const logger = createLogger({ service: "status", level: "warn" });
  const redis = createRedis(config, logger, "status");
  const keys = pipelineKeys({ chain: config.CHAIN_NAME, product: config.PRODUCT }, config.REDIS_NAMESPACE);
  try {
    const names = [QUEUES.collect, ...Array.from({ length: config.POSITION_SHARDS }, (_, s) => QUEUES.health(s)), QUEUES.liquidate];
    const queues: (string | number)[][] = [["queue", "waiting", "in progress", "dead", "consumers"]];
    for (const name of names) {
      const d = await new ReliableQueue<unknown>({ redis, keys: keys.queue(name), logger }).depth();
      queues.push([name, d.pending, d.processing, d.dead, d.consumers]);
    }
    const reports = (await redis.lrange(keys.reports, -10, -1)).map((r) => JSON.parse(r) as BlockReport);
    const rows: (string | number)[][] = [["height", "discovered", "checked", "unhealthy", "lag", "collectors", "health", "liquidators", "settled: height", "liquidated", "missed"]];
    for (const r of reports) {
      const inst = (s: keyof BlockReport["instances"]) => `${r.instances[s]}/${r.targets[s]}`;
      const settled = r.settled === null ? ["-", "-", "-"] : [r.settled.height, r.settled.liquidated, r.settled.missed];
      rows.push([r.height, r.discovered, r.checked, r.unhealthy, r.lag, inst("collector"), inst("health-checker"), inst("liquidator"), ...settled]);
    }
    process.stdout.write(`pipeline ${config.CHAIN_NAME} ${config.PRODUCT}, namespace ${config.REDIS_NAMESPACE}\n\n${table(queues)}\n\n`);
    process.stdout.write(reports.length === 0 ? "no block reports yet (is the manager running?)\n" : `last block reports (instances running/target; liquidated and missed of an earlier block, once complete)\n${table(rows)}\n`);
  } finally {
    redis.disconnect();
  }
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join("  ")).join("\n");
}
