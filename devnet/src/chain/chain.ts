import { EventEmitter } from "node:events";
import type { Logger } from "pino";
import { dec } from "../math/decimal.js";
import type { World } from "../state/world.js";
import { AbciQueryRouter } from "./abci-query.js";
import { AccountKeeper, moduleAddress, type AuthAccount } from "./accounts.js";
import { buildBlock, devnetValidator, genesisAppHash, type ValidatorInfo } from "./block-builder.js";
import { BlockStore } from "./block-store.js";
import { BlockTimer } from "./block-timer.js";
import type { ExecContext } from "./context.js";
import { AbciError, GrpcCode, QueryError } from "./errors.js";
import { Mempool } from "./mempool.js";
import { decodeTx, txHash, type DecodedTx } from "./tx-decode.js";
import { checkTx, deliverTx, simulateTx, type SimulateOutcome } from "./tx-runner.js";
import type { CommittedBlock, IndexedTx, TxResult } from "./types.js";

/** Options of {@link Chain}. */
export interface ChainOptions {
  /** The state the chain runs on; its prefix and chain id are the chain's. */
  world: World;
  /** The denom fees are paid in (e.g. `uosmo`). */
  gasDenom: string;
  /** Minimum gas price in the gas denom, a decimal string (default "0.025"). */
  minGasPrice?: string;
  /** Block interval, and the step of block time per height (default 1000). */
  blockTimeMs?: number;
  /** Genesis time in unix ms; block h has time genesis + h × blockTimeMs (default: world.block.time). */
  genesisTimeMs?: number;
  /**
   * Blocks, results and tx index entries kept for this many latest heights (default 256). Memory is
   * roughly (txs per block) × (a few KB of events per tx) × this.
   */
  retainBlocks?: number;
  /** Most txs taken into one block; the rest wait for the next (default 10,000). */
  maxBlockTxs?: number;
  /** Most txs waiting in the mempool; CheckTx rejects beyond (default 100,000). */
  maxMempoolTxs?: number;
  /** Composite event keys with an inverted tx_search index (default DEFAULT_INDEXED_KEYS). */
  indexedKeys?: readonly string[];
  /** How long broadcast_tx_commit waits for inclusion (default 10,000). */
  broadcastCommitTimeoutMs?: number;
  logger: Logger;
}

/** Events of {@link Chain}: a committed block, then each of its transactions. */
export interface ChainEvents {
  newBlock: [block: CommittedBlock];
  tx: [tx: IndexedTx];
}

/** A rejection of the mempool itself (duplicate, full): CometBFT reports these as RPC errors. */
export class MempoolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MempoolError";
  }
}

/** What CheckTx said about a broadcast transaction. */
export interface CheckTxOutcome {
  hash: string;
  result: TxResult;
}

/** What broadcast_tx_commit returns: the CheckTx result and, if it passed, the included tx. */
export interface CommitOutcome extends CheckTxOutcome {
  tx: IndexedTx | undefined;
}

/**
 * A single-node Cosmos chain over a {@link World}: x/auth accounts, CheckTx into an arrival-order
 * mempool, blocks on a timer (or {@link produceBlock} on demand) whose time is genesis time +
 * height × blockTimeMs (+ {@link advanceTime} shifts), DeliverTx with fees, sequences, gas and
 * all-or-nothing messages, a bounded block store with tx search, and simulate. Emits `newBlock`
 * and `tx` after each commit (the RPC websocket and the Hive server listen).
 */
export class Chain extends EventEmitter<ChainEvents> {
  readonly world: World;
  readonly chainId: string;
  readonly prefix: string;
  readonly gasDenom: string;
  readonly minGasPrice: string;
  readonly blockTimeMs: number;
  readonly genesisTimeMs: number;
  readonly accounts: AccountKeeper;
  readonly blocks: BlockStore;
  readonly mempool: Mempool;
  readonly validator: ValidatorInfo;
  readonly feeCollector: string;
  readonly genesisAppHash: string;
  /** ABCI query router (`abci.queries` answers the same queries as plain calls, for LCD and Hive). */
  readonly abci: AbciQueryRouter;
  readonly logger: Logger;
  readonly #ctx: ExecContext;
  readonly #maxBlockTxs: number;
  readonly #commitTimeoutMs: number;
  readonly #beginBlock = new Set<(height: number) => void>();
  readonly #commitWaiters = new Map<string, (tx: IndexedTx) => void>();
  readonly #timer: BlockTimer;
  #timeOffsetMs = 0;

  constructor(options: ChainOptions) {
    super();
    const { world } = options;
    this.world = world;
    this.chainId = world.block.chainId;
    this.prefix = world.prefix;
    this.gasDenom = options.gasDenom;
    this.minGasPrice = options.minGasPrice ?? "0.025";
    this.blockTimeMs = options.blockTimeMs ?? 1000;
    if (!(this.blockTimeMs > 0)) throw new Error(`blockTimeMs must be positive, got ${this.blockTimeMs}`);
    this.genesisTimeMs = options.genesisTimeMs ?? world.block.time * 1000;
    this.logger = options.logger;
    this.accounts = new AccountKeeper(world.journal);
    this.blocks = new BlockStore({ retainBlocks: options.retainBlocks ?? 256, indexedKeys: options.indexedKeys });
    this.mempool = new Mempool(options.maxMempoolTxs ?? 100_000);
    this.validator = devnetValidator(this.chainId);
    this.feeCollector = moduleAddress(this.prefix, "fee_collector");
    this.genesisAppHash = genesisAppHash(this.chainId);
    this.#maxBlockTxs = options.maxBlockTxs ?? 10_000;
    this.#commitTimeoutMs = options.broadcastCommitTimeoutMs ?? 10_000;
    // Accounts: holders that exist already (genesis written first), then every first receipt.
    for (const address of world.bank.holders()) this.accounts.ensure(address);
    this.accounts.ensure(this.feeCollector);
    world.bank.onCredit = (address) => void this.accounts.ensure(address);
    this.#ctx = {
      world,
      accounts: this.accounts,
      chainId: this.chainId,
      prefix: this.prefix,
      gasDenom: this.gasDenom,
      minGasPrice: dec(this.minGasPrice),
      feeCollector: this.feeCollector,
      logger: this.logger,
    };
    this.abci = new AbciQueryRouter(this);
    this.#timer = new BlockTimer(this.blockTimeMs, () => this.produceBlock(), (err) => this.logger.error({ err, height: this.height + 1 }, "block production failed"));
  }

  /** Height of the last committed block (0 before the first). */
  get height(): number {
    return this.blocks.latestHeight;
  }

  /** The app hash after the last committed block. */
  get appHash(): string {
    return this.blocks.latest()?.resultingAppHash ?? this.genesisAppHash;
  }

  /** Whether the block timer runs. */
  get running(): boolean {
    return this.#timer.running;
  }

  /** The header time of block `height` in unix ms (with every {@link advanceTime} so far). */
  blockTimeAt(height: number): number {
    return this.genesisTimeMs + height * this.blockTimeMs + this.#timeOffsetMs;
  }

  /** Starts the block timer; produces the first block at once if there is none yet. */
  start(): void {
    if (this.#timer.running) return;
    if (this.height === 0) this.produceBlock();
    this.#timer.start();
  }

  /** Stops the block timer (pending broadcast_tx_commit calls time out as usual). */
  stop(): void {
    this.#timer.stop();
  }

  /** Shifts the time of every later block by `seconds` (interest accrues over it in the models). */
  advanceTime(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`advanceTime: seconds must be a non-negative number, got ${seconds}`);
    this.#timeOffsetMs += Math.round(seconds * 1000);
  }

  /** Registers `fn(height)` to run at the start of each block, before its txs; returns an unsubscribe. */
  onBeginBlock(fn: (height: number) => void): () => void {
    this.#beginBlock.add(fn);
    return () => this.#beginBlock.delete(fn);
  }

  /** An auth account, if it exists. */
  account(address: string): AuthAccount | undefined {
    return this.accounts.get(address);
  }

  /**
   * Runs one block now: sets `world.block`, runs the begin-block hooks, delivers the mempool's
   * txs in arrival order, commits, prunes, rechecks what is left and emits the events.
   */
  produceBlock(): CommittedBlock {
    const t0 = performance.now();
    const previous = this.blocks.latest();
    const height = this.height + 1;
    const timeMs = this.blockTimeAt(height);
    this.world.block = { chainId: this.chainId, height, time: Math.floor(timeMs / 1000) };
    for (const fn of this.#beginBlock) {
      try {
        fn(height);
      } catch (err) {
        this.logger.error({ err, height }, "begin-block hook failed");
      }
    }
    const t1 = performance.now();
    const entries = this.mempool.take(this.#maxBlockTxs);
    const txs: IndexedTx[] = entries.map((e, index) => ({ hash: e.tx.hash, height, index, tx: e.tx.bytes, result: deliverTx(this.#ctx, e.tx, true) }));
    const t2 = performance.now();
    const block = buildBlock({ chainId: this.chainId, height, timeMs, previous, appHash: this.appHash, txs, validator: this.validator });
    this.blocks.add(block);
    const t3 = performance.now();
    this.#recheck();
    const t4 = performance.now();
    this.#safely("newBlock", () => this.emit("newBlock", block));
    for (const tx of txs) {
      this.#safely("tx", () => this.emit("tx", tx));
      const waiter = this.#commitWaiters.get(tx.hash);
      if (waiter) {
        this.#commitWaiters.delete(tx.hash);
        waiter(tx);
      }
    }
    // Wall-clock milliseconds of each phase (the benchmarks read this line at LOG_LEVEL=debug).
    const ms = (a: number, b: number) => Math.round((b - a) * 100) / 100;
    this.logger.debug({ height, txs: txs.length, ms: { begin: ms(t0, t1), deliver: ms(t1, t2), commit: ms(t2, t3), recheck: ms(t3, t4), events: ms(t4, performance.now()), total: ms(t0, performance.now()) } }, "block committed");
    return block;
  }

  /** CheckTx; on success the tx joins the mempool. Throws {@link MempoolError} for duplicates or a full pool. */
  checkTx(bytes: Uint8Array): CheckTxOutcome {
    const hash = txHash(bytes);
    if (this.mempool.has(hash)) throw new MempoolError("tx already exists in cache");
    if (this.mempool.size >= this.mempool.maxTxs) throw new MempoolError(`mempool is full: number of txs ${this.mempool.size} (max: ${this.mempool.maxTxs})`);
    let tx: DecodedTx;
    try {
      tx = decodeTx(bytes, this.prefix);
    } catch (err) {
      if (!(err instanceof AbciError)) throw err;
      return { hash, result: { code: err.code, codespace: err.codespace, log: err.log, data: new Uint8Array(), gasWanted: 0, gasUsed: 0, events: [] } };
    }
    const result = checkTx(this.#ctx, tx, this.mempool);
    if (result.code === 0) this.mempool.add({ tx });
    return { hash, result };
  }

  /** broadcast_tx_sync: CheckTx and its result (the tx joins the mempool if it passed). */
  broadcastSync(bytes: Uint8Array): CheckTxOutcome {
    return this.checkTx(bytes);
  }

  /** broadcast_tx_async: the hash only; a tx failing CheckTx is dropped silently, as CometBFT does. */
  broadcastAsync(bytes: Uint8Array): { hash: string } {
    return { hash: this.checkTx(bytes).hash };
  }

  /** broadcast_tx_commit: CheckTx, then wait for the tx's block (rejects after the commit timeout). */
  async broadcastCommit(bytes: Uint8Array): Promise<CommitOutcome> {
    const checked = this.checkTx(bytes);
    if (checked.result.code !== 0) return { ...checked, tx: undefined };
    return new Promise<CommitOutcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#commitWaiters.delete(checked.hash);
        reject(new Error("timed out waiting for tx to be included in a block"));
      }, this.#commitTimeoutMs);
      this.#commitWaiters.set(checked.hash, (tx) => {
        clearTimeout(timer);
        resolve({ ...checked, tx });
      });
    });
  }

  /** Simulates a tx on the current state, sequences as the mempool left them (always rolled back). Throws a {@link QueryError}. */
  simulate(bytes: Uint8Array): SimulateOutcome {
    let tx: DecodedTx;
    try {
      tx = decodeTx(bytes, this.prefix);
    } catch (err) {
      if (!(err instanceof AbciError)) throw err;
      throw new QueryError(GrpcCode.Unknown, `${err.log} With gas wanted: '0' and gas used: '0' `);
    }
    return simulateTx(this.#ctx, tx, this.mempool);
  }

  #recheck(): void {
    if (this.mempool.size === 0) {
      this.mempool.resetPending();
      return;
    }
    for (const entry of this.mempool.drain()) {
      const result = checkTx(this.#ctx, entry.tx, this.mempool, true);
      if (result.code === 0) this.mempool.add(entry);
      else this.logger.debug({ hash: entry.tx.hash, log: result.log }, "tx evicted from the mempool on recheck");
    }
  }

  #safely(event: keyof ChainEvents, fire: () => void): void {
    try {
      fire();
    } catch (err) {
      this.logger.error({ err, event }, "chain event listener failed");
    }
  }
}
