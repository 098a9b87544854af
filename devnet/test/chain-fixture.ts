import { makeCosmoshubPath } from "@cosmjs/amino";
import { SigningCosmWasmClient } from "@cosmjs/cosmwasm";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice } from "@cosmjs/stargate";
import { createLogger, type Logger } from "@mlb/shared";
import { Chain } from "../src/chain/index.js";
import { ContractError, response, variant, type Contract, type ExecuteContext, type QueryContext, type Response } from "../src/contracts/host.js";
import { startLcdServer } from "../src/servers/lcd-server.js";
import { startRpcServer, type RunningServer } from "../src/servers/rpc-server.js";
import { JsonMap, Item } from "../src/state/storage.js";
import { World } from "../src/state/world.js";

/** A fixed test mnemonic (never holds anything real). */
export const MNEMONIC = "noise measure pledge device write practice zoo object kitten vast radar drama ability visit pond afraid fan safe help tongue subway arrest switch panel";
export const GAS = "uosmo";
export const USDC = "uusdc";
export const CHAIN_ID = "devnet-test-1";
export const GENESIS_TIME_S = 1_700_000_000;

const COUNT = new Item<number>("count");
const ENTRIES = new JsonMap<{ n: number }>("entries", 1);

/**
 * A small contract model for the chain tests: a counter that emits wasm attributes, pays funds
 * out through a bank message, writes many map entries (for all-state pagination), and fails on
 * demand after writing (to prove the revert).
 */
export class CounterContract implements Contract {
  readonly contractName = "crates.io:devnet-counter";
  readonly contractVersion = "1.0.0";

  execute(ctx: ExecuteContext, msg: unknown): Response {
    const [name, args] = variant(msg);
    switch (name) {
      case "increment": {
        const by = Number(args.by ?? 1);
        const count = (COUNT.load(ctx.store) ?? 0) + by;
        COUNT.save(ctx.store, count);
        return response().attr("action", "increment").attr("count", count).attr("sender", ctx.sender).attr("height", ctx.block.height).attr("time", ctx.block.time);
      }
      case "fail": {
        COUNT.save(ctx.store, 999_999);
        throw new ContractError(String(args.reason ?? "counter says no"));
      }
      case "pay_out": {
        const amount = String(args.amount);
        return response().attr("action", "pay_out").send(String(args.to ?? ctx.sender), [{ denom: String(args.denom ?? GAS), amount }]);
      }
      case "fill": {
        const n = Number(args.n);
        for (let i = 0; i < n; i++) ENTRIES.save(ctx.store, { n: i }, `k${String(i).padStart(4, "0")}`);
        return response().attr("action", "fill").attr("n", n);
      }
      default:
        throw new ContractError(`unknown execute message ${name}`);
    }
  }

  query(ctx: QueryContext, msg: unknown): unknown {
    const [name] = variant(msg);
    if (name === "count") return { count: COUNT.load(ctx.store) ?? 0 };
    if (name === "block") return ctx.block;
    throw new ContractError(`unknown query ${name}`);
  }
}

/** A running devnet for one test file: chain, RPC and LCD servers, wallet, counter contract. */
export interface ChainFixture {
  chain: Chain;
  world: World;
  rpc: RunningServer;
  lcd: RunningServer;
  wallet: DirectSecp256k1HdWallet;
  /** HD accounts 0..3 of {@link MNEMONIC} (all funded with GAS and USDC), and an unfunded one (index 4). */
  addresses: string[];
  counter: string;
  logger: Logger;
  /** A signing client for the wallet with the "1uosmo" gas price and a fast poll interval. */
  client(): Promise<SigningCosmWasmClient>;
  close(): Promise<void>;
}

/** Options of {@link startChainFixture}. */
export interface ChainFixtureOptions {
  blockTimeMs?: number;
  /** Start the block timer (default true); false: the test calls `chain.produceBlock()`. */
  timer?: boolean;
  retainBlocks?: number;
}

/** Starts a chain with funded accounts and the counter contract, plus its RPC and LCD servers. */
export async function startChainFixture(options: ChainFixtureOptions = {}): Promise<ChainFixture> {
  const logger = createLogger({ service: "devnet-test", level: "silent" });
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "osmo", hdPaths: [0, 1, 2, 3, 4].map((i) => makeCosmoshubPath(i)) });
  const addresses = (await wallet.getAccounts()).map((a) => a.address);
  const world = new World({ prefix: "osmo", chainId: CHAIN_ID, time: GENESIS_TIME_S });
  for (const a of addresses.slice(0, 4)) {
    world.bank.mint(a, GAS, 1_000_000_000_000n);
    world.bank.mint(a, USDC, 5_000_000_000n);
  }
  const counter = world.instantiate(new CounterContract(), "counter", addresses[0]!).address;
  const chain = new Chain({ world, gasDenom: GAS, minGasPrice: "0.025", blockTimeMs: options.blockTimeMs ?? 150, retainBlocks: options.retainBlocks, logger });
  if (options.timer ?? true) chain.start();
  else chain.produceBlock();
  const rpc = await startRpcServer(chain, { port: 0, logger });
  const lcd = await startLcdServer(chain, { port: 0, logger });
  const clients: SigningCosmWasmClient[] = [];
  return {
    chain,
    world,
    rpc,
    lcd,
    wallet,
    addresses,
    counter,
    logger,
    client: async () => {
      const c = await SigningCosmWasmClient.connectWithSigner(rpc.url, wallet, { gasPrice: GasPrice.fromString(`0.025${GAS}`), broadcastPollIntervalMs: 50, broadcastTimeoutMs: 10_000 });
      clients.push(c);
      return c;
    },
    close: async () => {
      for (const c of clients) c.disconnect();
      chain.stop();
      await rpc.close();
      await lcd.close();
    },
  };
}
