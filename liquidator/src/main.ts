import { createServiceDeps, loadConfigOrExit, runService } from "@mlb/shared";
import { buildLiquidator } from "./app.js";
import { liquidatorConfigSchema } from "./config.js";

const config = loadConfigOrExit("liquidator", liquidatorConfigSchema);
const deps = createServiceDeps("liquidator", config);
await runService(buildLiquidator(config, deps).shell, deps.logger);
