import { makeCosmoshubPath } from "@cosmjs/amino";
import { SigningCosmWasmClient, setupWasmExtension, type DeliverTxResponse, type ExecuteResult, type WasmExtension } from "@cosmjs/cosmwasm";
import { toUtf8 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, QueryClient, calculateFee, type StdFee } from "@cosmjs/stargate";
import { connectComet, type CometClient } from "@cosmjs/tendermint-rpc";
import { createLogger } from "@mlb/shared";
import { MsgExecuteContract } from "cosmjs-types/cosmwasm/wasm/v1/tx";
import { afterAll, beforeAll } from "vitest";
import { DEFAULT_DEVNET_MNEMONIC, parseFlags } from "../../src/cli.js";
import { CHAIN_SPECS } from "../../src/genesis/chains.js";
import { Devnet, type DevnetReady } from "../../src/devnet.js";

/**
 * An in-process {@link Devnet} for one e2e test file, every server on a free loopback port, plus
 * what a foreign client needs to drive it: one cosmjs signing client over the HD wallet of the
 * documented mnemonic (owner = index 0, funded accounts 1..n), a raw-state query client, the
 * admin API and Hive. Transactions carry a fixed fee (so balance deltas are exact) and cosmjs
 * polls for inclusion every 100 ms instead of 3 s.
 */

export type Coin = { denom: string; amount: string };
export type Instruction = { contract: string; msg: unknown; funds?: Coin[] };

/** Gas limit of every test transaction; the fee is this × the chain's minimum gas price. */
export const GAS_LIMIT = 4_000_000;
/** Osmosis mainnet risk parameters of OSMO as the worked examples use them (spec §2.6 A, §4). */
export const OSMO_MAINNET_PARAMS = {
  max_loan_to_value: "0.73",
  liquidation_threshold: "0.75",
  liquidation_bonus: { starting_lb: "0", slope: "1", min_lb: "0.05", max_lb: "0.2" },
  protocol_liquidation_fee: "0.25",
};
/** Flags every test devnet gets before the file's own (later flags win). */
const BASE_FLAGS = ["--rpc-port", "0", "--lcd-port", "0", "--hive-port", "0", "--admin-port", "0", "--block-time-ms", "200", "--scenario", "idle", "--funded", "12"];

export interface TestDevnet {
  devnet: Devnet;
  ready: DevnetReady;
  c: DevnetReady["contracts"];
  chain: "osmosis" | "neutron";
  /** Market denoms by symbol (OSMO/NTRN under `gas`, USDC under `neutral`). */
  gas: string;
  neutral: string;
  atom: string;
  owner: string;
  /** Funded account `i` (HD index i, 1-based). */
  account(i: number): string;
  client: SigningCosmWasmClient;
  comet: CometClient;
  qc: QueryClient & WasmExtension;
  /** The fixed fee every helper transaction pays. */
  fee: StdFee;
  feeAmount: bigint;
  /** One MsgExecuteContract; throws cosmjs' error (with the raw log) when the tx fails. */
  exec(sender: string, contract: string, msg: unknown, funds?: Coin[]): Promise<ExecuteResult>;
  /** Several MsgExecuteContract in one tx; returns the result without throwing on failure. */
  send(sender: string, instructions: Instruction[], memo?: string): Promise<DeliverTxResponse>;
  /** Runs a tx that must fail; returns cosmjs' error message. */
  execError(sender: string, contract: string, msg: unknown, funds?: Coin[]): Promise<string>;
  query<T>(contract: string, msg: unknown): Promise<T>;
  balance(address: string, denom: string): Promise<bigint>;
  admin<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Owner `set_price_source` fixed (a signed tx). */
  setOwnerPrice(denom: string, price: string): Promise<void>;
  /** Owner: zero interest and reserve factor on these markets (signed txs), so amounts stay exact. */
  zeroInterest(denoms: string[]): Promise<void>;
  /** Owner: `update_asset_params` with the stored params overridden by `patch`. */
  updateAssetParams(denom: string, patch: Record<string, unknown>): Promise<void>;
  /**
   * Owner, in one signed tx, as shared/tools/devnet-conformance.mjs administers markets: a fixed
   * price, the stored asset params overridden by `params`, a zero-rate interest model with no
   * reserve factor (Red Bank `update_asset` [OSMO], asset params [NTRN]) and, [OSMO], the target
   * health factor.
   */
  setUpMarkets(denoms: string[], o: { price: string; params: Record<string, unknown>; targetHealthFactor?: string }): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a devnet with the base flags plus `args`. */
export async function startTestDevnet(args: string[] = []): Promise<TestDevnet> {
  const flags = parseFlags([...BASE_FLAGS, ...args]);
  const devnet = new Devnet(flags, createLogger({ service: "devnet-e2e", level: "silent" }));
  const ready = await devnet.start();
  const spec = CHAIN_SPECS[flags.chain];
  const sym = (s: string) => spec.markets.find((m) => m.symbol === s)!.denom;
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(flags.mnemonic ?? DEFAULT_DEVNET_MNEMONIC, {
    prefix: spec.prefix,
    hdPaths: Array.from({ length: flags.funded + 1 }, (_, i) => makeCosmoshubPath(i)),
  });
  const addresses = (await wallet.getAccounts()).map((a) => a.address);
  if (addresses[0] !== ready.owner) throw new Error(`wallet owner ${addresses[0]} is not the devnet owner ${ready.owner}`);
  const gasPrice = GasPrice.fromString(`${spec.minGasPrice}${spec.gasDenom}`);
  const client = await SigningCosmWasmClient.connectWithSigner(ready.rpc, wallet, { gasPrice, broadcastPollIntervalMs: 100, broadcastTimeoutMs: 20_000 });
  const comet = await connectComet(ready.rpc);
  const qc = QueryClient.withExtensions(comet, setupWasmExtension);
  const fee = calculateFee(GAS_LIMIT, gasPrice);
  const gas = spec.markets.find((m) => m.role === "gas")!.denom;
  const neutral = spec.markets.find((m) => m.role === "neutral")!.denom;

  const t: TestDevnet = {
    devnet,
    ready,
    c: ready.contracts,
    chain: flags.chain,
    gas,
    neutral,
    atom: sym("ATOM"),
    owner: ready.owner,
    account: (i) => {
      if (i < 1 || i > flags.funded) throw new Error(`no funded account ${i}`);
      return addresses[i]!;
    },
    client,
    comet,
    qc,
    fee,
    feeAmount: BigInt(fee.amount[0]!.amount),
    exec: (sender, contract, msg, funds = []) => client.execute(sender, contract, msg as never, fee, "", funds),
    send: (sender, instructions, memo = "") =>
      client.signAndBroadcast(
        sender,
        instructions.map((i) => ({
          typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract",
          value: MsgExecuteContract.fromPartial({ sender, contract: i.contract, msg: toUtf8(JSON.stringify(i.msg)), funds: i.funds ?? [] }),
        })),
        fee,
        memo,
      ),
    execError: async (sender, contract, msg, funds = []) => {
      try {
        await client.execute(sender, contract, msg as never, fee, "", funds);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error(`expected ${JSON.stringify(msg)} to fail`);
    },
    query: <T>(contract: string, msg: unknown) => client.queryContractSmart(contract, msg as never) as Promise<T>,
    balance: async (address, denom) => BigInt((await client.getBalance(address, denom)).amount),
    admin: async <T>(method: "GET" | "POST", path: string, body?: unknown) => {
      const res = await fetch(`${ready.admin}${path}`, { method, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as T };
    },
    setOwnerPrice: async (denom, price) => {
      await t.exec(ready.owner, ready.contracts.oracle, { set_price_source: { denom, price_source: { fixed: { price } } } });
    },
    zeroInterest: async (denoms) => {
      const irm = { optimal_utilization_rate: "0.8", base: "0", slope_1: "0", slope_2: "0" };
      if (flags.chain === "neutron") {
        for (const d of denoms) await t.updateAssetParams(d, { reserve_factor: "0", interest_rate_model: irm });
        return;
      }
      const instructions = denoms.map((denom) => ({ contract: ready.contracts.redBank, msg: { update_asset: { denom, params: { reserve_factor: "0", interest_rate_model: irm } } } }));
      expectOk(await t.send(ready.owner, instructions));
    },
    updateAssetParams: async (denom, patch) => {
      const params = await t.query<Record<string, unknown>>(ready.contracts.params, { asset_params: { denom } });
      await t.exec(ready.owner, ready.contracts.params, { update_asset_params: { add_or_update: { params: { ...params, ...patch } } } });
    },
    setUpMarkets: async (denoms, o) => {
      const irm = { optimal_utilization_rate: "0.8", base: "0", slope_1: "0", slope_2: "0" };
      const neutron = flags.chain === "neutron";
      const { oracle, params, redBank } = ready.contracts;
      const instructions: Instruction[] = [];
      for (const denom of denoms) {
        const stored = await t.query<Record<string, unknown>>(params, { asset_params: { denom } });
        const rates = neutron ? { reserve_factor: "0", interest_rate_model: irm } : {};
        instructions.push({ contract: oracle, msg: { set_price_source: { denom, price_source: { fixed: { price: o.price } } } } });
        instructions.push({ contract: params, msg: { update_asset_params: { add_or_update: { params: { ...stored, ...o.params, ...rates } } } } });
        if (!neutron) instructions.push({ contract: redBank, msg: { update_asset: { denom, params: { reserve_factor: "0", interest_rate_model: irm } } } });
      }
      if (o.targetHealthFactor) instructions.push({ contract: params, msg: { update_target_health_factor: o.targetHealthFactor } });
      expectOk(await t.send(ready.owner, instructions));
    },
    stop: async () => {
      client.disconnect();
      comet.disconnect();
      await devnet.stop();
    },
  };
  return t;
}

/**
 * Registers beforeAll/afterAll that start and stop a devnet for the current file (or describe);
 * the returned getter gives it to the tests.
 */
export function useDevnet(args: string[] = []): () => TestDevnet {
  let t: TestDevnet | undefined;
  beforeAll(async () => {
    t = await startTestDevnet(args);
  });
  afterAll(async () => {
    await t?.stop();
  });
  return () => {
    if (!t) throw new Error("the devnet is not running (beforeAll failed?)");
    return t;
  };
}

/** Throws with the raw log unless the tx succeeded. */
export function expectOk(r: DeliverTxResponse): DeliverTxResponse {
  if (r.code !== 0) throw new Error(`tx ${r.transactionHash} failed with code ${r.code}: ${r.rawLog}`);
  return r;
}
