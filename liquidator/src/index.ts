export { liquidatorConfigSchema } from "./config.js";
export type { LiquidatorConfig } from "./config.js";
export { buildLiquidator } from "./app.js";
export { Executor } from "./executors/executor.js";
export { AttemptRecorder } from "./records.js";
export type { AttemptRecord, Outcome } from "./records.js";
export { SignerPool } from "./signer-pool.js";
