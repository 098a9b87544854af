export { collectorConfigSchema } from "./config.js";
export type { CollectorConfig } from "./config.js";
export { buildCollector } from "./app.js";
