/** The library every service uses: configuration, logging, Redis, queues, metrics, lifecycle. */
export { EXIT_BAD_CONFIG, EXIT_CRASH, EXIT_OK, AllEndpointsFailedError, BotError, ConfigError, MalformedItemError, RetryableError, UnrecoverableError } from "./errors.js";
export type { ConfigIssue } from "./errors.js";
export { envBool, envDecimal, envEnum, envInt, envJson, envOptional, envSecret, envString, envUrlList, parseConfig } from "./config/env.js";
export type { Env } from "./config/env.js";
export { Secret, REDACTED, registerSecretValue, scrubSecrets } from "./config/secret.js";
export { configHelp, configMarkdown, describeConfig } from "./config/docs.js";
export type { ConfigVariable } from "./config/docs.js";
export { CHAINS, PRODUCTS, endpointFields, loggingFields, marsContractFields, metricsFields, metricsPortField, pipelineFields, positionFields, redisFields } from "./config/fragments.js";
export type { ChainName, Product } from "./config/fragments.js";
export { LOG_LEVELS, REDACT_PATHS, createLogger } from "./log/logger.js";
export type { LogLevel, Logger, LoggerOptions } from "./log/logger.js";
export { createRedis, parseRedisEndpoint } from "./redis/connection.js";
export type { RedisClient, RedisSettings } from "./redis/connection.js";
export { pipelineKeys, queueKeys } from "./redis/keys.js";
export type { Pipeline, PipelineKeys, QueueKeys } from "./redis/keys.js";
export { HealthServer, createMetricsRegistry } from "./metrics/health-server.js";
export type { HealthServerOptions, ReadinessCheck } from "./metrics/health-server.js";
export { EndpointPool } from "./runtime/failover.js";
export type { FailoverOptions } from "./runtime/failover.js";
export { backoffDelayMs, withRetry } from "./runtime/retry.js";
export type { BackoffOptions, RetryOptions } from "./runtime/retry.js";
export { loadConfigOrExit, runService } from "./runtime/service.js";
export type { Runnable } from "./runtime/service.js";
export { ServiceShell } from "./runtime/service-shell.js";
export type { Component, ServiceShellOptions } from "./runtime/service-shell.js";
export { createServiceDeps } from "./runtime/service-deps.js";
export type { BaseServiceConfig, ServiceDeps } from "./runtime/service-deps.js";
export { CHAIN_PREFIXES, hdPath, KeySigner, keyedSigners, mnemonicProblem, walletFromMnemonic } from "./chain/wallet.js";
export { LUA_DIR, loadScript, readLua, runScript } from "./redis/lua-script.js";
export type { LuaScript } from "./redis/lua-script.js";
export {
  ConsumerAliveError, consumerComponent, DEFAULT_MAX_ATTEMPTS, DEFAULT_PUSH_CHUNK_SIZE, DEFAULT_STOP_DEADLINE_MS, HeartbeatLoop, ItemNotHeldError, QueueConsumer,
  ReliableQueue, SCRIPT_CODES, UnknownScriptCodeError, ackItems, claimBatch, deadLetterItem, decodeItem, encodeHeartbeat, encodeItem,
  parseDeadLetter, parseHeartbeat, queueScripts, reapConsumer, reapDeadConsumers, retryItem, returnItems, scriptError, unregisterConsumer,
} from "./queue/index.js";
export type {
  ConsumerHeartbeat, ConsumerStatus, DeadLetter, DecodeResult, HandlerContext, HeartbeatLoopOptions, ItemHandler, NewQueueItem, QueueConsumerOptions,
  QueueDepth, QueueItem, QueueScriptName, ReapOptions, ReapResult, ReaperPass, ReliableQueueOptions, RetryOutcome, ScriptContext, StopResult,
} from "./queue/index.js";
export { AccountLock, lockScripts } from "./lock/index.js";
export { BlockCounters, DEFAULT_BLOCK_STATS_TTL_MS, STANDARD_BLOCK_COUNTERS } from "./stats/index.js";
export type { BlockCountersOptions, StandardBlockCounter } from "./stats/index.js";
export * as mars from "./mars/index.js";
export * from "./chain/index.js";
export { CREDIT_MANAGER_MAPS, RED_BANK_MAPS, concatBytes, keyLength, mapKey, parsePairKey, parseSingleKey, parseUserIdKey, userIdKey } from "./mars/storage.js";
export { readDebtPool, readMarketState, readRedBankPosition, redBankCollateralEntry, redBankDebtEntry, resolveMarsAddresses } from "./chain/mars-reads.js";
export type { CreditManagerDebtPool, MarketState, MarsAddressConfig, MarsAddresses } from "./chain/mars-reads.js";
export { BECH32_DATA_CHARS, MAX_SHARDS, RedBankShards, creditAccountShard } from "./positions/shards.js";
export type { KeyRange } from "./positions/shards.js";
export {
  MalformedPositionError, decodeCreditAccount, decodeRedBankPosition, encodeCreditAccount, encodeRedBankPosition, splitCacheValue,
} from "./positions/codec.js";
export type { CachedCreditAccount, CachedPosition, CachedRedBankPosition } from "./positions/codec.js";
export { PositionCache } from "./positions/cache.js";
export type { CacheWriteMode, CacheWriteResult, PositionCacheOptions, PositionChange } from "./positions/cache.js";
export { QUEUES, candidateSchema, collectWorkSchema, healthWorkSchema } from "./pipeline/work.js";
export type { Candidate, CollectWork, HealthWork } from "./pipeline/work.js";
export { WorkPlanner } from "./pipeline/planner.js";
export type { WorkPlannerOptions } from "./pipeline/planner.js";
export { pushCandidates } from "./pipeline/candidates.js";
export { FreshCache } from "./runtime/fresh-cache.js";
export type { FreshCacheOptions } from "./runtime/fresh-cache.js";
export { lazy } from "./runtime/lazy.js";
export { mapLimit, Semaphore } from "./runtime/map-limit.js";
export {
  AccountMissingError, FeePolicy, InclusionWatcher, SequenceMismatchError, SignerLeaseLostError, SignerLeases, TxRejectedError, TxSender, TxSimulationError, TxTimeoutError,
  bankSendMsg, executeContractMsg, queryAccount, queryAllBalances, queryBalance, querySimulate, sequenceMismatch, topUpWorkers, txRegistry,
} from "./chain/tx/index.js";
export type {
  AccountState, BroadcastOptions, BroadcastResult, FeePolicyOptions, GasPriceQuote, SignedTx, SignerLeasesOptions, SimulationResult, TopUpOptions, TopUpResult,
  TxSenderOptions, TxStage, WaitForTxOptions,
} from "./chain/tx/index.js";
export type { AbciQueryResult, BroadcastTxSyncResult, IncludedTx } from "./chain/rpc-client.js";
export { chainKeys } from "./redis/keys.js";
export type { ChainKeys } from "./redis/keys.js";
