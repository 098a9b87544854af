export { collectorConfigSchema } from "./config.js";
export type { CollectorConfig } from "./config.js";
export { buildCollector } from "./app.js";
export { Collector } from "./collector.js";
export type { ScanSummary } from "./collector.js";
export { RedBankSource } from "./sources/red-bank.js";
export { CreditManagerSource } from "./sources/credit-manager.js";
