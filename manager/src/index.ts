export { ORCHESTRATORS, managerConfigSchema } from "./config.js";
export type { ManagerConfig } from "./config.js";
export { buildManager } from "./app.js";
