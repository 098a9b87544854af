import { z } from "zod";
import { envEnum, envInt, envString } from "@mlb/shared";

/** `make demo`'s settings (environment variables); also the source of its README table and `--help`. */
export const demoConfigSchema = z.object({
  ORCHESTRATOR: envEnum("Where the managers start the services: process (child processes) or docker (containers of the images `make docker_build` built).", ["process", "docker"], "process"),
  DEMO_CHAIN: envEnum("Mars math of the local chain: osmosis (target health factor) or neutron (close factor).", ["osmosis", "neutron"], "osmosis"),
  DEMO_POSITIONS: envInt("Red Bank debtors created at genesis.", 3_000, { min: 10, max: 1_000_000 }),
  DEMO_ACCOUNTS: envInt("Credit accounts with debt created at genesis.", 300, { min: 1, max: 100_000 }),
  DEMO_CRASH_PCT: envInt("Drop of every price but USDC's, in percent, once the fleet has every position in view.", 25, { min: 1, max: 90 }),
  DEMO_CALM_BLOCKS: envInt("Blocks shown between the fleet being ready and the crash.", 3, { min: 0, max: 100 }),
  DEMO_MAX_BLOCKS: envInt("Blocks after the crash before the demo gives up on what is still liquidatable.", 60, { min: 5, max: 10_000 }),
  DEMO_BLOCK_TIME_MS: envInt("Block interval of the local chain.", 1_000, { min: 200, max: 10_000 }),
  DEMO_SIGNERS: envInt("Signer accounts (HD 1..n) shared by the two pipelines' liquidators.", 10, { min: 2, max: 100 }),
  DEMO_DIR: envString("Where the logs of the chain and the managers (with their services' output) are written.", ".demo"),
});

export type DemoConfig = z.output<typeof demoConfigSchema>;
