import { createHash } from "node:crypto";
import { makeCosmoshubPath } from "@cosmjs/amino";
import { CosmWasmClient, SigningCosmWasmClient } from "@cosmjs/cosmwasm";
import { toBase64, toUtf8 } from "@cosmjs/encoding";
import { Bip39, EnglishMnemonic, Slip10, Slip10Curve } from "@cosmjs/crypto";
import { DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { GasPrice, type StdFee } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { CHAIN_SPECS, DEFAULT_DEVNET_MNEMONIC, type ChainSpec, type DevnetProcess } from "@mlb/devnet";
import { median, round } from "../stats.js";

/**
 * Red Bank liquidations per block: K liquidate txs of distinct liquidatable users, signed in
 * advance by M funded accounts (several txs per signer, manual sequences), broadcast with
 * `broadcast_tx_sync` right after a block is committed (each signer's txs in sequence order, all
 * signers at once), then counted in the blocks that follow.
 */

export interface LiquidationOptions {
  /** Txs per run (K). */
  txs: number;
  /** Signers (M), from HD index 1 of the devnet mnemonic (its funded accounts). */
  signers: number;
  /** Price drop of every non-USDC denom, in percent, applied once before the runs. */
  crashPct: number;
  runs: number;
  log(message: string): void;
}

/** One run's figures. */
export interface LiquidationRun {
  /** Height of the block after which the broadcast started; the txs aim at the next one. */
  after_height: number;
  sent: number;
  /** Passed CheckTx (code 0). */
  accepted: number;
  /** Our txs in each block from after_height + 1 on. */
  included_per_block: number[];
  included_first_block: number;
  /** DeliverTx code 0, over all blocks. */
  succeeded: number;
  succeeded_first_block: number;
  blocks: number;
  /** First request sent to last response received. */
  broadcast_ms: number;
  /** broadcast_ms / sent: what admitting one tx costs the devnet (JSON-RPC + decode + ante + signature). */
  checktx_ms_per_tx: number;
  /** The first inclusion block, from the chain's debug line: all phases, and DeliverTx alone. */
  block_time_ms: number | undefined;
  deliver_ms: number | undefined;
  deliver_ms_per_tx: number | undefined;
  /** Start of the first inclusion block minus start of the block before it (1000 when on time). */
  block_interval_ms: number | undefined;
  sign_ms_per_tx: number;
  /** CheckTx and DeliverTx failures by log (first 80 chars). */
  failures: Record<string, number>;
}

export interface LiquidationSetup {
  crash_pct: number;
  liquidatable: number;
  liquidatable_query_ms: number;
  signers: number;
  gas_limit: number;
  fee: string;
}

interface Target {
  user: string;
  debt: { denom: string; amount: bigint };
  collateralDenom: string;
}

interface Signer {
  address: string;
  accountNumber: number;
  sequence: number;
}

interface SignedTx {
  signer: number;
  bytes: Uint8Array;
  hash: string;
}

const toHash = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").toUpperCase();

/** `price × (100 − pct) / 100` on decimal strings (18 decimals at most, as the admin API wants). */
export function dropPrice(price: string, pct: number): string {
  const [int, frac = ""] = price.split(".");
  const atomics = BigInt(int! + frac.padEnd(18, "0").slice(0, 18));
  const out = (atomics * BigInt(100 - pct)) / 100n;
  const s = out.toString().padStart(19, "0");
  const f = s.slice(-18).replace(/0+$/, "");
  return `${s.slice(0, -18)}${f ? `.${f}` : ""}`;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

function tally(map: Record<string, number>, log: string): void {
  const key = log.slice(0, 80) || "(empty log)";
  map[key] = (map[key] ?? 0) + 1;
}

export class LiquidationBench {
  readonly #devnet: DevnetProcess;
  readonly #options: LiquidationOptions;
  readonly #spec: ChainSpec;
  #query!: CosmWasmClient;
  #signing!: SigningCosmWasmClient;
  /** One offline client per signer (an HD wallet would re-derive every key on each signature). */
  #offline: SigningCosmWasmClient[] = [];
  #signers: string[] = [];
  #targets: string[] = [];
  #fee!: StdFee;
  setup!: LiquidationSetup;

  constructor(devnet: DevnetProcess, options: LiquidationOptions) {
    this.#devnet = devnet;
    this.#options = options;
    const spec = Object.values(CHAIN_SPECS).find((s) => s.chainId === devnet.ready.chainId);
    if (!spec) throw new Error(`unknown chain id ${devnet.ready.chainId}`);
    this.#spec = spec;
  }

  /** Crashes prices, finds the liquidatable users, derives the signers, sizes gas from a simulation. */
  async prepare(): Promise<void> {
    const { ready } = this.#devnet;
    const o = this.#options;
    const prices = Object.fromEntries(this.#spec.markets.filter((m) => m.role !== "neutral").map((m) => [m.denom, dropPrice(m.price, o.crashPct)]));
    await this.#devnet.admin("POST", "/prices", { prices, kind: "both" });
    // A block so that queries and CheckTx see the new prices at a new height (state is live anyway).
    await this.#devnet.waitForHeightAbove((await this.#devnet.status()).height);
    const t0 = performance.now();
    const liq = await this.#devnet.admin<{ redBank: string[] }>("GET", "/liquidatable");
    const liquidatableMs = performance.now() - t0;
    this.#targets = liq.redBank;
    o.log(`liquidations: ${liq.redBank.length.toLocaleString("en-US")} liquidatable after a ${o.crashPct} % crash (GET /liquidatable ${(liquidatableMs / 1000).toFixed(1)} s)`);
    if (this.#targets.length < o.txs * o.runs) throw new Error(`only ${this.#targets.length} liquidatable users, need ${o.txs} × ${o.runs} runs (raise BENCH_POSITIONS or lower BENCH_LIQUIDATIONS)`);

    const m = Math.min(o.signers, ready.accounts.length);
    const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(DEFAULT_DEVNET_MNEMONIC));
    const wallets = await Promise.all(Array.from({ length: m }, (_, i) => DirectSecp256k1Wallet.fromKey(Slip10.derivePath(Slip10Curve.Secp256k1, seed, makeCosmoshubPath(i + 1)).privkey, this.#spec.prefix)));
    this.#signers = await Promise.all(wallets.map(async (w) => (await w.getAccounts())[0]!.address));
    const mismatch = this.#signers.findIndex((a, i) => a !== ready.accounts[i]);
    if (mismatch >= 0) throw new Error(`HD account ${mismatch + 1} is ${this.#signers[mismatch]}, the ready line says ${ready.accounts[mismatch]} (a custom --mnemonic?)`);
    this.#offline = await Promise.all(wallets.map((w) => SigningCosmWasmClient.offline(w)));
    this.#query = await CosmWasmClient.connect(ready.rpc);
    this.#signing = await SigningCosmWasmClient.connectWithSigner(ready.rpc, wallets[0]!, { gasPrice: GasPrice.fromString(`${this.#spec.minGasPrice}${this.#spec.gasDenom}`) });

    // Gas: twice the most any of a few sample liquidations simulates to.
    const samples = await this.#positions(this.#targets.slice(-5));
    let gas = 0;
    for (const t of samples) gas = Math.max(gas, await this.#signing.simulate(this.#signers[0]!, [this.#msg(this.#signers[0]!, t)], ""));
    const gasLimit = Math.ceil((gas * 2) / 10_000) * 10_000;
    const amount = Math.ceil(gasLimit * Number(this.#spec.minGasPrice));
    this.#fee = { amount: [{ denom: this.#spec.gasDenom, amount: String(amount) }], gas: String(gasLimit) };
    this.setup = { crash_pct: o.crashPct, liquidatable: this.#targets.length, liquidatable_query_ms: round(liquidatableMs), signers: m, gas_limit: gasLimit, fee: `${amount}${this.#spec.gasDenom}` };
  }

  /** One run on users `run·K .. run·K + K − 1` of the liquidatable list. */
  async run(run: number): Promise<LiquidationRun> {
    const o = this.#options;
    const { ready } = this.#devnet;
    const targets = await this.#positions(this.#targets.slice(run * o.txs, (run + 1) * o.txs));
    const m = this.#signers.length;
    const signers: Signer[] = await pool(this.#signers, 16, async (address) => ({ address, ...(await this.#query.getSequence(address)) }));

    // Sign everything before the measured block.
    const tSign = performance.now();
    const signed: SignedTx[] = [];
    for (const [i, t] of targets.entries()) {
      const s = signers[i % m]!;
      const raw = await this.#offline[i % m]!.sign(s.address, [this.#msg(s.address, t)], this.#fee, "", { accountNumber: s.accountNumber, sequence: s.sequence + Math.floor(i / m), chainId: ready.chainId });
      const bytes = TxRaw.encode(raw).finish();
      signed.push({ signer: i % m, bytes, hash: toHash(bytes) });
    }
    const signMs = performance.now() - tSign;

    // Start right after a block: the whole next interval is ours.
    const after = await this.#devnet.waitForHeightAbove((await this.#devnet.status()).height, 30_000, 2);
    const failures: Record<string, number> = {};
    const accepted = new Set<string>();
    const bySigner = Array.from({ length: m }, (_, s) => signed.filter((x) => x.signer === s));
    let rpcId = 0;
    const t0 = performance.now();
    let tLast = t0;
    await Promise.all(
      bySigner.map(async (txs) => {
        for (const tx of txs) {
          const res = await fetch(ready.rpc, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method: "broadcast_tx_sync", params: { tx: toBase64(tx.bytes) } }) });
          const body = (await res.json()) as { result?: { code: number; log: string }; error?: { message: string; data?: string } };
          tLast = Math.max(tLast, performance.now());
          if (body.result?.code === 0) accepted.add(tx.hash);
          else tally(failures, `CheckTx: ${body.result?.log ?? `${body.error?.message} ${body.error?.data ?? ""}`}`);
        }
      }),
    );
    const broadcastMs = tLast - t0;

    // Count our txs in the blocks that follow.
    const perBlock: number[] = [];
    let found = 0;
    let succeeded = 0;
    let succeededFirst = 0;
    for (let h = after + 1; found < accepted.size && h <= after + 10; h++) {
      await this.#devnet.waitForHeightAbove(h - 1, 30_000, 20);
      const [block, results] = await Promise.all([this.#rpc<{ block: { data: { txs: string[] | null } } }>(`block?height=${h}`), this.#rpc<{ txs_results: { code: number; log: string }[] | null }>(`block_results?height=${h}`)]);
      let mine = 0;
      for (const [i, b64] of (block.block.data.txs ?? []).entries()) {
        if (!accepted.has(toHash(Buffer.from(b64, "base64")))) continue;
        mine++;
        const r = results.txs_results?.[i];
        if (r?.code === 0) {
          succeeded++;
          if (h === after + 1) succeededFirst++;
        } else tally(failures, `DeliverTx: ${r?.log ?? "?"}`);
      }
      found += mine;
      perBlock.push(mine);
    }

    const first = this.#devnet.blocks.get(after + 1);
    const prev = this.#devnet.blocks.get(after);
    const startOf = (b: typeof first) => (b ? b.time - b.ms.total : NaN);
    return {
      after_height: after,
      sent: signed.length,
      accepted: accepted.size,
      included_per_block: perBlock,
      included_first_block: perBlock[0] ?? 0,
      succeeded,
      succeeded_first_block: succeededFirst,
      blocks: perBlock.filter((n) => n > 0).length,
      broadcast_ms: round(broadcastMs),
      checktx_ms_per_tx: round(broadcastMs / signed.length, 3),
      block_time_ms: first?.ms.total,
      deliver_ms: first?.ms.deliver,
      deliver_ms_per_tx: first && first.txs ? round(first.ms.deliver / first.txs, 3) : undefined,
      block_interval_ms: first && prev ? round(startOf(first) - startOf(prev)) : undefined,
      sign_ms_per_tx: round(signMs / signed.length, 3),
      failures,
    };
  }

  close(): void {
    this.#query?.disconnect();
    this.#signing?.disconnect();
  }

  #msg(sender: string, t: Target) {
    return {
      typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract",
      value: {
        sender,
        contract: this.#devnet.ready.contracts.redBank,
        msg: toUtf8(JSON.stringify({ liquidate: { user: t.user, collateral_denom: t.collateralDenom } })),
        funds: [{ denom: t.debt.denom, amount: t.debt.amount.toString() }],
      },
    };
  }

  /** Each user's first debt (1 % of it, at least 1 unit, is repaid) and first enabled collateral. */
  async #positions(users: readonly string[]): Promise<Target[]> {
    const redBank = this.#devnet.ready.contracts.redBank;
    const out = await pool(users, 32, async (user): Promise<Target | undefined> => {
      const [debts, colls] = await Promise.all([
        this.#query.queryContractSmart(redBank, { user_debts: { user } }) as Promise<{ denom: string; amount: string }[]>,
        this.#query.queryContractSmart(redBank, { user_collaterals: { user } }) as Promise<{ denom: string; amount: string; enabled: boolean }[]>,
      ]);
      const debt = debts.find((d) => BigInt(d.amount) > 0n);
      const coll = colls.find((c) => c.enabled && BigInt(c.amount) > 0n && c.denom !== debt?.denom);
      if (!debt || !coll) return undefined;
      const amount = BigInt(debt.amount) / 100n;
      return { user, debt: { denom: debt.denom, amount: amount > 0n ? amount : 1n }, collateralDenom: coll.denom };
    });
    return out.filter((t): t is Target => t !== undefined);
  }

  async #rpc<T>(path: string): Promise<T> {
    const res = await fetch(`${this.#devnet.ready.rpc}/${path}`);
    const body = (await res.json()) as { result?: T; error?: unknown };
    if (!body.result) throw new Error(`RPC ${path}: ${JSON.stringify(body.error)}`);
    return body.result;
  }
}

/**
 * Medians over the runs of the figures the table and the JSON summary show, plus the sustained
 * rate they imply: the devnet is one thread, so each block interval has to fit both the CheckTx of
 * the next block's txs and the DeliverTx of this one's: interval / (CheckTx + DeliverTx per tx).
 */
export function summarizeRuns(runs: readonly LiquidationRun[], blockTimeMs: number) {
  const med = (f: (r: LiquidationRun) => number | undefined) => {
    const xs = runs.map(f).filter((x): x is number => x !== undefined && !Number.isNaN(x));
    return xs.length ? median(xs) : undefined;
  };
  const check = med((r) => r.checktx_ms_per_tx);
  const deliver = med((r) => r.deliver_ms_per_tx);
  return {
    sent: med((r) => r.sent),
    accepted: med((r) => r.accepted),
    included_first_block: med((r) => r.included_first_block),
    succeeded: med((r) => r.succeeded),
    succeeded_first_block: med((r) => r.succeeded_first_block),
    blocks: med((r) => r.blocks),
    block_time_ms: med((r) => r.block_time_ms),
    deliver_ms_per_tx: med((r) => r.deliver_ms_per_tx),
    block_interval_ms: med((r) => r.block_interval_ms),
    broadcast_ms: med((r) => r.broadcast_ms),
    checktx_ms_per_tx: med((r) => r.checktx_ms_per_tx),
    sign_ms_per_tx: med((r) => r.sign_ms_per_tx),
    sustained_per_block_estimate: check !== undefined && deliver !== undefined ? Math.floor(blockTimeMs / (check + deliver)) : undefined,
  };
}
