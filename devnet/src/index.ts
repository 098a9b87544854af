/** The devnet as a library: start it in-process, or read its flags, chain specs and ready line. */
export { Devnet, GENESIS_TIME_MS } from "./devnet.js";
export type { DevnetReady } from "./devnet.js";
export { DEFAULT_DEVNET_MNEMONIC, FLAGS, FlagError, flagHelp, parseFlags } from "./cli.js";
export type { DevnetFlags } from "./cli.js";
export { CHAIN_SPECS } from "./genesis/chains.js";
export type { ChainSpec, DenomRole, MarketSpec } from "./genesis/chains.js";
export type { DevnetControl, LiquidationRecord, PriceKind } from "./admin/admin-server.js";
export { DEVNET_MAIN, DevnetProcess } from "./harness/devnet-process.js";
export type { BlockLog, DevnetProcessOptions, DevnetStatus } from "./harness/devnet-process.js";
export { freePort, startLocalRedis } from "./harness/redis-server.js";
export type { LocalRedis } from "./harness/redis-server.js";
