export { healthCheckerConfigSchema } from "./config.js";
export type { HealthCheckerConfig } from "./config.js";
export { buildHealthChecker } from "./app.js";
export { HealthChecker } from "./health-checker.js";
export type { ShardRun } from "./health-checker.js";
export { evaluateShard, creditAccountAt } from "./evaluate.js";
export { ShardStore } from "./shard-store.js";
