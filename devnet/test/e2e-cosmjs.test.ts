import { CosmWasmClient } from "@cosmjs/cosmwasm";
import { sha256 } from "@cosmjs/crypto";
import { toHex } from "@cosmjs/encoding";
import { StargateClient } from "@cosmjs/stargate";
import { Comet38Client, WebsocketClient, type comet38 } from "@cosmjs/tendermint-rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAIN_SPECS } from "../src/genesis/chains.js";
import { hive } from "./support/chain-data.js";
import { useDevnet } from "./support/devnet.js";

/**
 * The devnet as a foreign cosmjs 0.38 application sees it, over real sockets: StargateClient and
 * CosmWasmClient queries, a signed tx waited for and found again (getTx, searchTx by
 * `wasm._contract_address`, the block's tx list), websocket subscriptions to NewBlock and to Tx
 * events of the Red Bank only, and the same state through the LCD and Hive GraphQL.
 */

const dn = useDevnet(["--chain", "osmosis"]);

type Stream<T> = { subscribe(l: { next(v: T): void; error(e: unknown): void; complete(): void }): { unsubscribe(): void } };

/** The first `n` items of a cosmjs stream (rejects after `ms`). */
function take<T>(stream: Stream<T>, n: number, ms = 5_000): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const seen: T[] = [];
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`${seen.length} of ${n} events within ${ms} ms`));
    }, ms);
    const sub = stream.subscribe({
      next: (v) => {
        seen.push(v);
        if (seen.length < n) return;
        clearTimeout(timer);
        sub.unsubscribe();
        resolve(seen);
      },
      error: (e) => reject(e instanceof Error ? e : new Error(String(e))),
      complete: () => undefined,
    });
  });
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64");

describe("cosmjs end to end [OSMO]", () => {
  let stargate: StargateClient;
  let wasm: CosmWasmClient;
  let comet: Comet38Client;
  beforeAll(async () => {
    const t = dn();
    stargate = await StargateClient.connect(t.ready.rpc);
    wasm = await CosmWasmClient.connect(t.ready.rpc);
    // cosmjs 0.38.1 QueueingStreamingSocket: when the socket connects with an empty request queue,
    // `processQueue` leaves `isProcessingQueue` set and no later request is ever sent. Queue one
    // request before the connection opens (create and call without yielding to I/O).
    comet = await Comet38Client.create(new WebsocketClient(t.ready.rpc.replace(/^http/, "ws")));
    expect((await comet.status()).nodeInfo.network).toBe("osmosis-devnet-1");
  });
  afterAll(() => {
    stargate?.disconnect();
    wasm?.disconnect();
    comet?.disconnect();
  });

  it("connects: chain id, height, genesis balances, accounts and smart queries", async () => {
    const t = dn();
    expect(await stargate.getChainId()).toBe("osmosis-devnet-1");
    expect(await stargate.getHeight()).toBeGreaterThan(0);
    const untouched = t.account(12);
    const balances = await stargate.getAllBalances(untouched);
    const expected = CHAIN_SPECS.osmosis.markets.map((m) => ({ denom: m.denom, amount: (10_000_000n * 10n ** BigInt(m.decimals)).toString() }));
    expect([...balances].sort((a, b) => a.denom.localeCompare(b.denom))).toEqual(expected.sort((a, b) => a.denom.localeCompare(b.denom)));
    expect(await stargate.getAccount(untouched)).toMatchObject({ address: untouched, sequence: 0, pubkey: null });
    expect(await stargate.getAccount(t.ready.owner)).toMatchObject({ address: t.ready.owner });
    const markets = await wasm.queryContractSmart(t.c.redBank, { markets: { limit: 30 } });
    expect(markets.map((m: { denom: string }) => m.denom).sort()).toEqual(t.ready.denoms.map((d) => d.denom).sort());
    expect(await wasm.queryContractSmart(t.c.oracle, { price: { denom: t.gas } })).toEqual({ denom: t.gas, price: "0.5" });
    expect(await wasm.getContract(t.c.redBank)).toMatchObject({ address: t.c.redBank });
  });

  it("signs and broadcasts, then finds the tx by hash, by wasm._contract_address and in its block", async () => {
    const t = dn();
    const user = t.account(1);
    const r = await t.exec(user, t.c.redBank, { deposit: {} }, [{ denom: t.neutral, amount: "5000000" }]);
    const tx = await stargate.getTx(r.transactionHash);
    expect(tx).toMatchObject({ code: 0, height: r.height, hash: r.transactionHash });
    const found = await stargate.searchTx(`wasm._contract_address='${t.c.redBank}'`);
    expect(found.map((x) => x.hash)).toContain(r.transactionHash);
    const bySender = await stargate.searchTx(`message.sender='${user}' AND tx.height=${r.height}`);
    expect(bySender.map((x) => x.hash)).toEqual([r.transactionHash]);
    const block = await stargate.getBlock(r.height);
    expect(block.txs.map((b) => toHex(sha256(b)).toUpperCase())).toContain(r.transactionHash);
    expect(await stargate.getBalance(user, t.neutral)).toEqual({ denom: t.neutral, amount: (10_000_000_000_000n - 5_000_000n).toString() });
    expect(await wasm.queryContractSmart(t.c.redBank, { user_collateral: { user, denom: t.neutral } })).toMatchObject({ amount: "5000000", enabled: true });
  });

  it("streams NewBlock events over the websocket, heights consecutive, times block-time apart", async () => {
    const blocks = await take<comet38.NewBlockEvent>(comet.subscribeNewBlock(), 3);
    const heights = blocks.map((b) => b.header.height);
    expect(heights).toEqual([heights[0], heights[0]! + 1, heights[0]! + 2]);
    expect(blocks[1]!.header.time.getTime() - blocks[0]!.header.time.getTime()).toBe(200);
    expect(blocks[0]!.header.chainId).toBe("osmosis-devnet-1");
  });

  it("streams only the Red Bank's txs to a wasm._contract_address subscription", async () => {
    const t = dn();
    const events = take<comet38.TxEvent>(comet.subscribeTx(`wasm._contract_address='${t.c.redBank}'`), 1);
    // A bank send first (must not match), then a Red Bank deposit (must).
    await t.client.sendTokens(t.account(2), t.account(3), [{ denom: t.gas, amount: "1" }], t.fee);
    const r = await t.exec(t.account(2), t.c.redBank, { deposit: {} }, [{ denom: t.neutral, amount: "7000000" }]);
    const [ev] = await events;
    expect(toHex(ev!.hash).toUpperCase()).toBe(r.transactionHash);
    expect(ev!.height).toBe(r.height);
    expect(ev!.result.code).toBe(0);
    const wasmEvent = ev!.result.events.find((e) => e.type === "wasm");
    expect(wasmEvent?.attributes).toEqual(expect.arrayContaining([{ key: "_contract_address", value: t.c.redBank }, { key: "action", value: "deposit" }]));
  });

  it("answers the same state through the LCD (smart, bank) and Hive (aliases, batch, errors as data)", async () => {
    const t = dn();
    const user = t.account(1);
    const q = { user_collateral: { user, denom: t.neutral } };
    const direct = await wasm.queryContractSmart(t.c.redBank, q);
    const lcd = (await (await fetch(`${t.ready.lcd}/cosmwasm/wasm/v1/contract/${t.c.redBank}/smart/${b64(q)}`)).json()) as { data: unknown };
    expect(lcd.data).toEqual(direct);
    const bank = (await (await fetch(`${t.ready.lcd}/cosmos/bank/v1beta1/balances/${user}/by_denom?denom=${encodeURIComponent(t.neutral)}`)).json()) as { balance: unknown };
    expect(bank.balance).toEqual(await stargate.getBalance(user, t.neutral));

    const op = (alias2: string, q2: unknown) => ({
      query: `query($rb:String!,$q1:JSON!,$q2:JSON!){ coll: wasm { contractQuery(contractAddress:$rb, query:$q1) } ${alias2}: wasm { contractQuery(contractAddress:$rb, query:$q2) } }`,
      variables: { rb: t.c.redBank, q1: q, q2 },
    });
    const answers = await hive<{ data: Record<string, { contractQuery: unknown }> }[]>(t, [op("market", { market: { denom: t.neutral } }), op("bad", { no_such_query: {} })]);
    expect(answers).toHaveLength(2);
    expect(answers[0]!.data.coll!.contractQuery).toEqual(direct);
    expect(answers[0]!.data.market!.contractQuery).toEqual(await wasm.queryContractSmart(t.c.redBank, { market: { denom: t.neutral } }));
    expect(answers[1]!.data.coll!.contractQuery).toEqual(direct);
    expect(answers[1]!.data.bad!.contractQuery).toMatchObject({ error: expect.stringContaining("no_such_query") });
  });
});
