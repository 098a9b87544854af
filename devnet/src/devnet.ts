import type { Logger } from "pino";
import type { LiquidationRecord, DevnetControl, PriceKind } from "./admin/admin-server.js";
import { startAdminServer } from "./admin/admin-server.js";
import { Chain } from "./chain/chain.js";
import type { IndexedTx } from "./chain/types.js";
import { bulkCreateCreditAccounts } from "./contracts/credit-manager/bulk.js";
import { creditAccountHealthScan } from "./contracts/credit-manager/ground-truth.js";
import { PRICE_SOURCES, resolvePrice, setPrice } from "./contracts/oracle-prices.js";
import { redBankHealthScan, seedRedBankPositions } from "./contracts/red-bank.js";
import type { DevnetFlags } from "./cli.js";
import { CHAIN_SPECS } from "./genesis/chains.js";
import { buildGenesis, type Genesis } from "./genesis/genesis.js";
import { startHiveServer } from "./hive/hive-server.js";
import { decStr } from "./math/decimal.js";
import { Activity } from "./scenario/activity.js";
import { PositionGenerator } from "./scenario/positions.js";
import { DEFAULT_PRICE_PATH, PricePath } from "./scenario/price-path.js";
import { startLcdServer } from "./servers/lcd-server.js";
import { startRpcServer } from "./servers/rpc-server.js";

/** Genesis time of every devnet (deterministic): 2026-01-01T00:00:00Z. */
export const GENESIS_TIME_MS = Date.UTC(2026, 0, 1);

/** How many positions are seeded per batch (bounded memory while creating a million). */
const SEED_BATCH = 1_000;

/** The ready line's content (printed as one JSON line with `"event":"devnet.ready"`). */
export interface DevnetReady {
  event: "devnet.ready";
  chainId: string;
  rpc: string;
  lcd: string;
  hive: string;
  admin: string;
  blockTimeMs: number;
  contracts: Genesis["contracts"];
  denoms: { denom: string; decimals: number; role: string }[];
  owner: string;
  accounts: string[];
}

/**
 * The whole devnet: genesis, the chain, the scenario (positions, price path, background
 * activity), the RPC/LCD/Hive/admin servers, and ground truth. `start()` returns the ready line;
 * `stop()` closes everything. Used by main.ts and, in-process, by tests.
 */
export class Devnet implements DevnetControl {
  readonly flags: DevnetFlags;
  readonly logger: Logger;
  genesis!: Genesis;
  chain!: Chain;
  #pricePath!: PricePath;
  #generator!: PositionGenerator;
  #redBankCount = 0;
  #creditAccountCount = 0;
  #liquidations: LiquidationRecord[] = [];
  #closers: (() => Promise<void>)[] = [];

  constructor(flags: DevnetFlags, logger: Logger) {
    this.flags = flags;
    this.logger = logger;
  }

  async start(): Promise<DevnetReady> {
    const f = this.flags;
    const spec = CHAIN_SPECS[f.chain];
    const started = Date.now();
    this.genesis = await buildGenesis(spec, { mnemonic: f.mnemonic, funded: f.funded, genesisTime: Math.floor(GENESIS_TIME_MS / 1000) });
    const { world, contracts } = this.genesis;
    const genesisPrices = Object.fromEntries(spec.markets.map((m) => [m.denom, m.price]));
    const neutral = spec.markets.filter((m) => m.role === "neutral").map((m) => m.denom);
    this.#pricePath = new PricePath({ ...DEFAULT_PRICE_PATH, scenario: f.scenario, seed: f.seed, crashAtBlock: f.crashAtBlock, crashPct: f.crashPct, recoverBlocks: f.recoverBlocks }, genesisPrices, neutral);
    this.#generator = new PositionGenerator(spec, genesisPrices, f.seed);
    await this.createRedBankPositions(f.positions);
    await this.createCreditAccounts(f.accounts);

    this.chain = new Chain({ world, gasDenom: spec.gasDenom, minGasPrice: spec.minGasPrice, blockTimeMs: f.blockTimeMs, genesisTimeMs: GENESIS_TIME_MS, logger: this.logger.child({ component: "chain" }) });
    const activity = f.positions > 0 && f.activity > 0 ? await Activity.create(this, f.activity) : undefined;
    this.chain.onBeginBlock((height) => {
      this.#applyPricePath(height);
      activity?.onBeginBlock(height);
    });
    this.chain.on("tx", (tx) => this.#recordLiquidations(tx));

    const rpc = await startRpcServer(this.chain, { port: f.rpcPort, logger: this.logger.child({ component: "rpc" }) });
    this.#closers.push(() => rpc.close());
    const lcd = await startLcdServer(this.chain, { port: f.lcdPort, logger: this.logger.child({ component: "lcd" }) });
    this.#closers.push(() => lcd.close());
    const hive = await startHiveServer((contract, msg) => world.query(contract, msg), { port: f.hivePort, logger: this.logger.child({ component: "hive" }) });
    this.#closers.push(() => hive.close());
    const adminLogger = this.logger.child({ component: "admin" });
    const admin = await startAdminServer(this, { port: f.adminPort, logger: adminLogger }).catch((err: NodeJS.ErrnoException) => {
      // The admin API is ours, not a protocol clients expect on a fixed port: when the default is
      // taken (another devnet), use a free port; the ready line says which.
      if (err.code !== "EADDRINUSE" || f.adminPortExplicit) throw err;
      adminLogger.warn({ port: f.adminPort }, "admin port in use, using a free port instead");
      return startAdminServer(this, { port: 0, logger: adminLogger });
    });
    this.#closers.push(() => admin.close());
    this.chain.start();
    this.logger.info({ positions: this.#redBankCount, creditAccounts: this.#creditAccountCount, startupMs: Date.now() - started }, "devnet started");
    return {
      event: "devnet.ready",
      chainId: spec.chainId,
      rpc: rpc.url,
      lcd: lcd.url,
      hive: hive.url,
      admin: admin.url,
      blockTimeMs: f.blockTimeMs,
      contracts,
      denoms: spec.markets.map((m) => ({ denom: m.denom, decimals: m.decimals, role: m.role })),
      owner: this.genesis.owner,
      accounts: this.genesis.accounts,
    };
  }

  async stop(): Promise<void> {
    this.chain?.stop();
    for (const close of this.#closers.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        this.logger.warn({ err }, "closing a devnet server failed");
      }
    }
  }

  // ----- DevnetControl (admin API) -----

  status() {
    // Memory of this process in bytes (rss, heapTotal, heapUsed, external, arrayBuffers): the benchmarks read it.
    const memory = process.memoryUsage();
    return { height: this.chain.height, nextBlockTimeMs: this.chain.blockTimeAt(this.chain.height + 1), redBankPositions: this.#redBankCount, creditAccounts: this.#creditAccountCount, liquidations: this.#liquidations.length, memory };
  }

  marketDenoms(): string[] {
    return this.genesis.spec.markets.map((m) => m.denom);
  }

  async setPrices(prices: Record<string, string>, kind: PriceKind): Promise<void> {
    const { world, contracts } = this.genesis;
    const store = world.instance(contracts.oracle).store;
    for (const [denom, price] of Object.entries(prices)) {
      if (kind === "both") setPrice(store, denom, { default: price });
      else if (kind === "liquidation") setPrice(store, denom, { liquidation: price });
      else {
        // Only the default kind moves: the liquidation kind keeps the price it answers now (a
        // plain `{default}` update would drop its override and move it too, as `both` does).
        const liquidation = PRICE_SOURCES.load(store, denom) ? decStr(resolvePrice(store, denom, "liquidation", world.block.time)) : undefined;
        setPrice(store, denom, { default: price, liquidation });
      }
    }
  }

  async advanceBlocks(count: number): Promise<number> {
    for (let i = 0; i < count; i++) this.chain.produceBlock();
    return this.chain.height;
  }

  async advanceTime(seconds: number): Promise<number> {
    this.chain.advanceTime(seconds);
    return this.chain.blockTimeAt(this.chain.height + 1);
  }

  async createRedBankPositions(count: number): Promise<{ users: string[] }> {
    const users: string[] = [];
    for (let done = 0; done < count; done += SEED_BATCH) {
      const batch = Array.from({ length: Math.min(SEED_BATCH, count - done) }, (_, i) => this.#generator.redBank(this.#redBankCount + done + i));
      seedRedBankPositions(this.genesis.world, this.genesis.contracts.redBank, batch);
      if (count <= SEED_BATCH) users.push(...batch.map((p) => p.user));
    }
    this.#redBankCount += count;
    return { users };
  }

  async createCreditAccounts(count: number): Promise<{ accountIds: string[] }> {
    const accounts = Array.from({ length: count }, (_, i) => this.#generator.creditAccount(this.#creditAccountCount + i));
    const accountIds = count ? bulkCreateCreditAccounts(this.genesis.world, this.genesis.contracts.creditManager, accounts) : [];
    this.#creditAccountCount += count;
    return { accountIds };
  }

  async liquidatable() {
    const { world, contracts } = this.genesis;
    return {
      height: this.chain.height,
      redBank: redBankHealthScan(world, contracts.redBank, { onlyLiquidatable: true }).map((e) => e.user),
      creditAccounts: creditAccountHealthScan(world, contracts.creditManager, contracts.health, { onlyLiquidatable: true }).map((e) => e.accountId),
    };
  }

  liquidations(sinceHeight: number): LiquidationRecord[] {
    return this.#liquidations.filter((l) => l.height >= sinceHeight);
  }

  async badDebt() {
    const { world, contracts } = this.genesis;
    const shortfall = (coll: bigint, debt: bigint) => (debt > coll ? (debt - coll).toString() : undefined);
    const redBank = redBankHealthScan(world, contracts.redBank, { onlyLiquidatable: true })
      .map((e) => ({ user: e.user, shortfall: shortfall(e.health!.totalCollateralValue, e.health!.totalDebtValue) }))
      .filter((e): e is { user: string; shortfall: string } => e.shortfall !== undefined);
    const creditAccounts = creditAccountHealthScan(world, contracts.creditManager, contracts.health, { onlyLiquidatable: true })
      .map((e) => ({ accountId: e.accountId, shortfall: shortfall(e.health!.totalCollateralValue, e.health!.totalDebtValue) }))
      .filter((e): e is { accountId: string; shortfall: string } => e.shortfall !== undefined);
    return { height: this.chain.height, redBank, creditAccounts };
  }

  /** Moves oracle prices along the scenario's path, writing only the denoms whose price changed. */
  #applyPricePath(height: number): void {
    if (this.flags.scenario === "idle") return;
    const store = this.genesis.world.instance(this.genesis.contracts.oracle).store;
    for (const m of this.genesis.spec.markets) {
      const price = this.#pricePath.price(m.denom, height);
      if (price !== this.#pricePath.price(m.denom, height - 1)) setPrice(store, m.denom, price);
    }
  }

  /** Records Red Bank and credit-manager liquidations from a committed tx's events. */
  #recordLiquidations(tx: IndexedTx): void {
    if (tx.result.code !== 0) return;
    const { redBank, creditManager } = this.genesis.contracts;
    for (const e of tx.result.events) {
      if (e.type !== "wasm") continue;
      const a = Object.fromEntries(e.attributes.map((x) => [x.key, x.value]));
      if (a._contract_address === redBank && a.action === "liquidate") {
        this.#liquidations.push({ height: tx.height, txHash: tx.hash, product: "redbank", account: a.user ?? "", liquidator: a.liquidator ?? "", debtDenom: a.debt_denom ?? "", debtRepaid: a.debt_amount ?? "", collateralDenom: a.collateral_denom ?? "", collateralSeized: a.collateral_amount ?? "" });
      }
      // The credit manager names the liquidator's account `account_id` (spec §6.5 step 6).
      if (a._contract_address === creditManager && a.action?.startsWith("liquidate")) {
        this.#liquidations.push({ height: tx.height, txHash: tx.hash, product: "rover", account: a.liquidatee_account_id ?? "", liquidator: a.account_id ?? "", debtDenom: (a.coin_debt_repaid ?? "").replace(/^\d+/, ""), debtRepaid: (a.coin_debt_repaid ?? "").match(/^\d+/)?.[0] ?? "", collateralDenom: (a.coin_liquidated ?? "").replace(/^\d+/, ""), collateralSeized: (a.coin_liquidated ?? "").match(/^\d+/)?.[0] ?? "" });
      }
    }
  }
}
