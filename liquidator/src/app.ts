import {
  AccountLock,
  BlockCounters,
  CHAIN_PREFIXES,
  ChainClient,
  InclusionWatcher,
  QUEUES,
  ReliableQueue,
  Semaphore,
  ServiceShell,
  candidateSchema,
  consumerComponent,
  lazy,
  mars,
  pipelineKeys,
  resolveMarsAddresses,
  type Candidate,
  type Component,
  type ServiceDeps,
} from "@mlb/shared";
import { DEFAULT_NEUTRAL_DENOMS, type LiquidatorConfig } from "./config.js";
import { BALANCE_EVENT_TYPES } from "./executors/balances.js";
import { Batcher } from "./executors/batcher.js";
import { Executor } from "./executors/executor.js";
import { RedBankStrategy } from "./executors/red-bank.js";
import { RoverStrategy } from "./executors/rover.js";
import type { Strategy } from "./executors/strategy.js";
import { KillSwitch } from "./kill-switch.js";
import { AttemptRecorder } from "./records.js";
import { SwapperRoutes } from "./routes/swapper-routes.js";
import { SignerPool } from "./signer-pool.js";

const GAS_DENOMS = { osmosis: "uosmo", neutron: "untrn" } as const;

export interface LiquidatorApp {
  shell: ServiceShell;
  signers: SignerPool;
  /** The executor, built once the contract addresses are known and every signer is prepared. */
  executor: () => Promise<Executor>;
}

/**
 * Wires the liquidator: the executor of its product (`PRODUCT=redbank` or `rover`) consuming the
 * product's liquidate queue, MAX_IN_FLIGHT candidates at a time over the leased signers.
 */
export function buildLiquidator(config: LiquidatorConfig, deps: ServiceDeps): LiquidatorApp {
  const { logger, redis, registry } = deps;
  const keys = pipelineKeys({ chain: config.CHAIN_NAME, product: config.PRODUCT }, config.REDIS_NAMESPACE);
  const client = new ChainClient({ rpc: config.RPC_ENDPOINT, lcd: config.LCD_ENDPOINT, logger });
  const gasDenom = config.GAS_DENOM ?? GAS_DENOMS[config.CHAIN_NAME];
  // One block read per block resolves every transaction waiting for inclusion (liquidations, sales).
  const inclusions = new InclusionWatcher(client, { logger });
  const signers = new SignerPool({ config, client, inclusions, redis, prefix: config.CHAIN_PREFIX ?? CHAIN_PREFIXES[config.CHAIN_NAME], gasDenom, logger });
  const addresses = lazy(() => resolveMarsAddresses(client, config));
  const recorder = new AttemptRecorder({ redis, keys, logger, registry });
  const killSwitch = new KillSwitch({ redis, keys, maxLoss: BigInt(config.DAILY_LOSS_LIMIT_VALUE), maxFees: BigInt(config.DAILY_GAS_LIMIT) });
  const maxSlippage = mars.parseDecimal(config.MAX_SLIPPAGE, "MAX_SLIPPAGE");

  const build = lazy(async () => {
    const a = await addresses();
    const routes = new SwapperRoutes(client, a.swapper);
    const strategy: Strategy =
      config.PRODUCT === "redbank"
        ? new RedBankStrategy({ client, addresses: a, routes, neutral: config.NEUTRAL_DENOM ?? DEFAULT_NEUTRAL_DENOMS[config.CHAIN_NAME], sendBufferBps: config.SEND_BUFFER_BPS, maxSlippage, swapCost: mars.parseDecimal(config.SWAP_COST, "SWAP_COST") })
        : new RoverStrategy({ client, addresses: a, routes, maxSlippage });
    return new Executor({
      strategy,
      signers,
      client,
      addresses,
      lock: new AccountLock(redis),
      keys,
      recorder,
      killSwitch,
      counters: new BlockCounters({ redis, keys }),
      logger,
      minProfit: BigInt(config.MIN_PROFIT_VALUE),
      maxCandidateAgeBlocks: config.MAX_CANDIDATE_AGE_BLOCKS,
      sending: new Semaphore(config.SEND_CONCURRENCY),
      // A liquidation is judged on its simulation's bank events alone (executor #profit).
      batcher: new Batcher({ maxPerTx: config.MAX_LIQUIDATIONS_PER_TX, fillWaitMs: config.BATCH_WAIT_MS, inclusions, feeAmount: (fee) => BigInt(fee.amount.find((c) => c.denom === gasDenom)?.amount ?? "0"), eventTypes: BALANCE_EVENT_TYPES }),
      maxNotional: BigInt(config.MAX_NOTIONAL_VALUE),
      dryRun: config.DRY_RUN,
      gasDenom,
    });
  });

  let prepared = false;
  const executor = lazy(async () => {
    const e = await build();
    await e.prepareSigners();
    prepared = true;
    return e;
  });
  // Built in the background at start (the chain may be down; the first candidate retries), so a
  // liquidator is ready to sign the moment a candidate arrives.
  const warmUp: Component = {
    name: "executor",
    start: async () => void executor().catch((err: unknown) => logger.warn({ err }, "executor not ready yet; retrying with the first candidate")),
    stop: async () => undefined,
    ready: () => prepared,
  };

  const queue = new ReliableQueue<Candidate>({ redis, keys: keys.queue(QUEUES.liquidate), logger, schema: candidateSchema });
  const consumer = queue.consumer({
    handler: async (item) => void (await (await executor()).handle(item)),
    concurrency: config.MAX_IN_FLIGHT,
    batchSize: config.MAX_IN_FLIGHT,
    blockTimeoutMs: 1_000,
  });
  const components: Component[] = [signers, warmUp, consumerComponent("liquidate-consumer", consumer, 60_000)];
  const shell = new ServiceShell({ ...deps, metricsHost: config.METRICS_HOST, metricsPort: config.METRICS_PORT, components });
  return { shell, signers, executor };
}
