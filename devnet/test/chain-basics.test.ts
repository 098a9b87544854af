import { CosmWasmClient } from "@cosmjs/cosmwasm";
import { StargateClient } from "@cosmjs/stargate";
import { Comet38Client, connectComet } from "@cosmjs/tendermint-rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAIN_ID, GAS, GENESIS_TIME_S, USDC, startChainFixture, type ChainFixture } from "./chain-fixture.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("chain basics over CometBFT RPC with cosmjs", () => {
  let f: ChainFixture;
  beforeAll(async () => {
    f = await startChainFixture({ blockTimeMs: 100 });
  });
  afterAll(async () => {
    await f.close();
  });

  it("connectComet picks the Comet 0.38 client and reads status", async () => {
    const comet = await connectComet(f.rpc.url);
    expect(comet).toBeInstanceOf(Comet38Client);
    const status = await comet.status();
    expect(status.nodeInfo.network).toBe(CHAIN_ID);
    expect(status.nodeInfo.version).toMatch(/^0\.38\./);
    expect(status.syncInfo.latestBlockHeight).toBeGreaterThan(0);
    comet.disconnect();
  });

  it("StargateClient: chain id, advancing height, balances, accounts", async () => {
    const client = await StargateClient.connect(f.rpc.url);
    expect(await client.getChainId()).toBe(CHAIN_ID);
    const h1 = await client.getHeight();
    await sleep(350);
    const h2 = await client.getHeight();
    expect(h2).toBeGreaterThan(h1);
    const [a0, a1, , , unfunded] = f.addresses;
    expect(await client.getBalance(a0!, GAS)).toEqual({ denom: GAS, amount: "1000000000000" });
    expect(await client.getAllBalances(a1!)).toEqual([
      { denom: GAS, amount: "1000000000000" },
      { denom: USDC, amount: "5000000000" },
    ]);
    const acc = await client.getAccount(a1!);
    expect(acc).toMatchObject({ address: a1, accountNumber: 1, sequence: 0, pubkey: null });
    expect(await client.getAccount(unfunded!)).toBeNull();
    await expect(client.getSequence(unfunded!)).rejects.toThrow(/does not exist on chain/);
    client.disconnect();
  });

  it("block headers carry deterministic times and link to their parent", async () => {
    const client = await StargateClient.connect(f.rpc.url);
    const b2 = await client.getBlock(2);
    const b3 = await client.getBlock(3);
    expect(b2.header.chainId).toBe(CHAIN_ID);
    expect(b2.header.height).toBe(2);
    expect(new Date(b2.header.time).getTime()).toBe(GENESIS_TIME_S * 1000 + 2 * 100);
    expect(new Date(b3.header.time).getTime()).toBe(GENESIS_TIME_S * 1000 + 3 * 100);
    expect(b2.id).toMatch(/^[0-9A-F]{64}$/);
    const comet = await connectComet(f.rpc.url);
    const full = await comet.block(3);
    expect(Buffer.from(full.block.header.lastBlockId!.hash).toString("hex").toUpperCase()).toBe(b2.id);
    expect(full.block.lastCommit?.height).toBe(2);
    const results = await comet.blockResults(3);
    expect(results.height).toBe(3);
    const chainInfo = await comet.blockchain(1, 3);
    expect(chainInfo.blockMetas.map((m) => m.header.height)).toEqual([3, 2, 1]);
    const validators = await comet.validatorsAll();
    expect(validators.validators).toHaveLength(1);
    const genesis = await comet.genesis();
    expect(genesis.chainId).toBe(CHAIN_ID);
    const info = await comet.abciInfo();
    expect(info.lastBlockHeight).toBeGreaterThan(0);
    comet.disconnect();
  });

  it("answers GET URI calls as CometBFT does", async () => {
    const status = (await (await fetch(`${f.rpc.url}/status`)).json()) as { result: { node_info: { network: string } } };
    expect(status.result.node_info.network).toBe(CHAIN_ID);
    const block = (await (await fetch(`${f.rpc.url}/block?height=2`)).json()) as { result: { block: { header: { height: string } } } };
    expect(block.result.block.header.height).toBe("2");
    const tooHighRes = await fetch(`${f.rpc.url}/block?height=100000`);
    expect(tooHighRes.status).toBe(500);
    const tooHigh = (await tooHighRes.json()) as { error: { code: number; data: string } };
    expect(tooHigh.error.code).toBe(-32603);
    expect(tooHigh.error.data).toMatch(/must be less than or equal to the current blockchain height/);
    const unknown = await fetch(`${f.rpc.url}/no_such_method`);
    expect(unknown.status).toBe(404);
  });

  it("CosmWasmClient: contract info, smart queries and contract errors", async () => {
    const client = await CosmWasmClient.connect(f.rpc.url);
    const info = await client.getContract(f.counter);
    expect(info).toMatchObject({ address: f.counter, codeId: 1, creator: f.addresses[0], label: "counter" });
    expect(await client.queryContractSmart(f.counter, { count: {} })).toEqual({ count: 0 });
    await expect(client.queryContractSmart(f.counter, { nope: {} })).rejects.toThrow(
      "Query failed with (6): Generic error: unknown query nope: query wasm contract failed: unknown request",
    );
    const block = await client.queryContractSmart(f.counter, { block: {} });
    expect(block.chainId).toBe(CHAIN_ID);
    client.disconnect();
  });
});
