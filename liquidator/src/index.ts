export { liquidatorConfigSchema } from "./config.js";
export type { LiquidatorConfig } from "./config.js";
export { buildLiquidator } from "./app.js";
