import { SigningCosmWasmClient } from "@cosmjs/cosmwasm";
import { BroadcastTxError, GasPrice, StargateClient, type StdFee } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { toUtf8 } from "@cosmjs/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAIN_ID, GAS, USDC, startChainFixture, type ChainFixture } from "./chain-fixture.js";

const fee = (gas: number, amount = Math.ceil(gas * 0.025)): StdFee => ({ amount: [{ denom: GAS, amount: String(amount) }], gas: String(gas) });
const execMsg = (sender: string, contract: string, msg: unknown, funds: { denom: string; amount: string }[] = []) => ({
  typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract",
  value: { sender, contract, msg: toUtf8(JSON.stringify(msg)), funds },
});
const sendMsg = (fromAddress: string, toAddress: string, amount: string, denom = GAS) => ({
  typeUrl: "/cosmos.bank.v1beta1.MsgSend",
  value: { fromAddress, toAddress, amount: [{ denom, amount }] },
});

describe("transactions through SigningCosmWasmClient", () => {
  let f: ChainFixture;
  let client: SigningCosmWasmClient;
  beforeAll(async () => {
    f = await startChainFixture({ blockTimeMs: 100 });
    client = await f.client();
  });
  afterAll(async () => {
    await f.close();
  });

  it("sendTokens with auto fee: balances, fee, sequence, pubkey, events", async () => {
    const [a0, a1, , , fresh] = f.addresses as [string, string, string, string, string];
    const before = BigInt((await client.getBalance(a0, GAS)).amount);
    const res = await client.sendTokens(a0, fresh, [{ denom: GAS, amount: "1234" }], "auto", "hello");
    expect(res.code).toBe(0);
    const feePaid = before - 1234n - BigInt((await client.getBalance(a0, GAS)).amount);
    expect(feePaid).toBe(BigInt(Math.ceil(Number(res.gasWanted) * 0.025)));
    expect(await client.getBalance(fresh, GAS)).toEqual({ denom: GAS, amount: "1234" });
    const fromAcc = await client.getAccount(a0);
    expect(fromAcc?.sequence).toBe(1);
    expect(fromAcc?.pubkey).not.toBeNull();
    const freshAcc = await client.getAccount(fresh);
    expect(freshAcc).toMatchObject({ address: fresh, sequence: 0, accountNumber: 5 });

    const types = res.events.map((e) => e.type);
    expect(types.slice(0, 7)).toEqual(["coin_spent", "coin_received", "transfer", "tx", "tx", "tx", "message"]);
    const attr = (type: string, key: string) => res.events.filter((e) => e.type === type).flatMap((e) => e.attributes.filter((a) => a.key === key).map((a) => a.value));
    expect(attr("tx", "fee_payer")).toEqual([a0]);
    expect(attr("tx", "acc_seq")).toEqual([`${a0}/0`]);
    expect(attr("message", "action")).toEqual(["/cosmos.bank.v1beta1.MsgSend"]);
    expect(attr("message", "module")).toEqual(["bank"]);
    expect(attr("transfer", "recipient")).toContain(fresh);
    expect(attr("transfer", "recipient")).toContain(f.chain.feeCollector);
    expect(attr("coin_received", "msg_index")).toEqual(["0"]);
    void a1;
  });

  it("execute with auto fee: wasm events, simulate gas equals delivered gas, getTx and searchTx", async () => {
    const [, a1] = f.addresses as [string, string];
    const msgs = [execMsg(a1, f.counter, { increment: { by: 2 } })];
    const simulated = await client.simulate(a1, msgs, "");
    const res = await client.execute(a1, f.counter, { increment: { by: 2 } }, "auto");
    expect(res.gasUsed).toBe(BigInt(simulated));
    const wasm = res.events.find((e) => e.type === "wasm")!;
    expect(wasm.attributes.slice(0, 4)).toEqual([
      { key: "_contract_address", value: f.counter },
      { key: "action", value: "increment" },
      { key: "count", value: "2" },
      { key: "sender", value: a1 },
    ]);
    const height = Number(wasm.attributes.find((a) => a.key === "height")!.value);
    expect(height).toBe(res.height);
    expect(res.events.find((e) => e.type === "execute")?.attributes[0]).toEqual({ key: "_contract_address", value: f.counter });
    expect(await client.queryContractSmart(f.counter, { count: {} })).toEqual({ count: 2 });

    const tx = await client.getTx(res.transactionHash);
    expect(tx).toMatchObject({ hash: res.transactionHash, height: res.height, code: 0 });
    expect(tx!.msgResponses[0]?.typeUrl).toBe("/cosmwasm.wasm.v1.MsgExecuteContractResponse");
    const bySender = await client.searchTx([{ key: "message.sender", value: a1 }]);
    expect(bySender.map((t) => t.hash)).toContain(res.transactionHash);
    const byContract = await client.searchTx(`wasm._contract_address='${f.counter}' AND tx.height=${res.height}`);
    expect(byContract.map((t) => t.hash)).toEqual([res.transactionHash]);
    const byExecute = await client.searchTx([{ key: "execute._contract_address", value: f.counter }]);
    expect(byExecute.length).toBeGreaterThanOrEqual(1);
    const range = await client.searchTx(`tx.height>=${res.height} AND tx.height<=${res.height}`);
    expect(range.map((t) => t.hash)).toContain(res.transactionHash);
  });

  it("a dynamic gas price config reads the chain's gas price (feemarket query)", async () => {
    const [, , , a3] = f.addresses as [string, string, string, string];
    const dynamic = await SigningCosmWasmClient.connectWithSigner(f.rpc.url, f.wallet, {
      gasPrice: { denom: GAS, minGasPrice: GasPrice.fromString(`0.0001${GAS}`), multiplier: 1.3 },
      broadcastPollIntervalMs: 50,
    });
    const res = await dynamic.sendTokens(a3, f.addresses[0]!, [{ denom: GAS, amount: "1" }], "auto");
    expect(res.code).toBe(0);
    dynamic.disconnect();
  });

  it("a contract can pay out through a bank message", async () => {
    const [, , a2] = f.addresses as [string, string, string];
    await client.execute(a2, f.counter, { increment: {} }, "auto", "", [{ denom: USDC, amount: "500" }]);
    const before = BigInt((await client.getBalance(a2, USDC)).amount);
    const res = await client.execute(a2, f.counter, { pay_out: { amount: "200", denom: USDC } }, "auto");
    expect(BigInt((await client.getBalance(a2, USDC)).amount) - before).toBe(200n);
    const transfers = res.events.filter((e) => e.type === "transfer").map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
    expect(transfers).toContainEqual({ recipient: a2, sender: f.counter, amount: `200${USDC}`, msg_index: "0" });
  });

  it("a failing contract call reverts its state but charges the fee and bumps the sequence", async () => {
    const [, a1] = f.addresses as [string, string];
    await expect(client.simulate(a1, [execMsg(a1, f.counter, { fail: { reason: "nope" } })], "")).rejects.toThrow(
      /failed to execute message; message index: 0: nope: execute wasm contract failed With gas wanted/,
    );
    const countBefore = await client.queryContractSmart(f.counter, { count: {} });
    const seqBefore = (await client.getAccount(a1))!.sequence;
    const balBefore = BigInt((await client.getBalance(a1, GAS)).amount);
    await expect(client.execute(a1, f.counter, { fail: { reason: "nope" } }, fee(300_000))).rejects.toThrow(
      /Code: 5; Raw log: failed to execute message; message index: 0: nope: execute wasm contract failed/,
    );
    expect(await client.queryContractSmart(f.counter, { count: {} })).toEqual(countBefore);
    expect((await client.getAccount(a1))!.sequence).toBe(seqBefore + 1);
    expect(balBefore - BigInt((await client.getBalance(a1, GAS)).amount)).toBe(7500n);
  });

  it("out of gas fails with the real text and still charges the fee", async () => {
    const [, a1] = f.addresses as [string, string];
    const res = await client.signAndBroadcast(a1, [execMsg(a1, f.counter, { increment: {} })], fee(40_000));
    expect(res.code).toBe(11);
    expect(res.rawLog).toMatch(/^out of gas in location: wasm execute; gasWanted: 40000, gasUsed: \d+: out of gas$/);
    expect(res.gasWanted).toBe(40_000n);
  });

  it("rejects a wrong sequence with the real error text", async () => {
    const [, , , a3] = f.addresses as [string, string, string, string];
    const acct = (await client.getAccount(a3))!;
    const signed = await client.sign(a3, [sendMsg(a3, f.addresses[0]!, "1")], fee(200_000), "", { accountNumber: acct.accountNumber, sequence: acct.sequence + 5, chainId: CHAIN_ID });
    const err = await client.broadcastTx(TxRaw.encode(signed).finish()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BroadcastTxError);
    expect((err as BroadcastTxError).code).toBe(32);
    expect((err as BroadcastTxError).codespace).toBe("sdk");
    expect((err as BroadcastTxError).log).toBe(`account sequence mismatch, expected ${acct.sequence}, got ${acct.sequence + 5}: incorrect account sequence`);
  });

  it("rejects an insufficient fee and a bad signature", async () => {
    const [, , , a3] = f.addresses as [string, string, string, string];
    const low = await client.signAndBroadcast(a3, [sendMsg(a3, f.addresses[0]!, "1")], fee(200_000, 1)).catch((e: unknown) => e);
    expect(low).toBeInstanceOf(BroadcastTxError);
    expect((low as BroadcastTxError).code).toBe(13);
    expect((low as BroadcastTxError).log).toBe(`insufficient fees; got: 1${GAS} required: 5000${GAS}: insufficient fee`);
    const acct = (await client.getAccount(a3))!;
    const wrongChain = await client.sign(a3, [sendMsg(a3, f.addresses[0]!, "1")], fee(200_000), "", { accountNumber: acct.accountNumber, sequence: acct.sequence, chainId: "other-chain" });
    const bad = await client.broadcastTx(TxRaw.encode(wrongChain).finish()).catch((e: unknown) => e);
    expect((bad as BroadcastTxError).code).toBe(4);
    expect((bad as BroadcastTxError).log).toMatch(/^signature verification failed; please verify account number \(3\), sequence \(\d+\) and chain-id \(devnet-test-1\): unauthorized$/);
  });

  it("an unknown message type is refused at CheckTx", async () => {
    const [a0] = f.addresses as [string];
    const err = await client
      .signAndBroadcast(a0, [{ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: { delegatorAddress: a0, validatorAddress: "osmovaloper1xyz", amount: { denom: GAS, amount: "1" } } }], fee(200_000))
      .catch((e: unknown) => e);
    expect((err as BroadcastTxError).code).toBe(2);
    expect((err as BroadcastTxError).log).toBe("unable to resolve type URL /cosmos.staking.v1beta1.MsgDelegate: tx parse error");
  });
});

describe("mempool and block assembly", () => {
  let f: ChainFixture;
  beforeAll(async () => {
    f = await startChainFixture({ timer: false });
  });
  afterAll(async () => {
    await f.close();
  });

  it("takes several txs of one signer with manual sequences into one block, in arrival order", async () => {
    const client = await f.client();
    const [a0, a1] = f.addresses as [string, string];
    const q = await StargateClient.connect(f.rpc.url);
    const s0 = (await q.getSequence(a0)).sequence;
    const s1 = (await q.getSequence(a1)).sequence;
    const sign = (from: string, seq: number, accountNumber: number, msg: unknown) =>
      client.sign(from, [msg as ReturnType<typeof sendMsg>], fee(300_000), "", { accountNumber, sequence: seq, chainId: CHAIN_ID }).then((t) => TxRaw.encode(t).finish());
    const txs = [
      await sign(a0, s0, 0, execMsg(a0, f.counter, { increment: {} })),
      await sign(a1, s1, 1, sendMsg(a1, a0, "7")),
      await sign(a0, s0 + 1, 0, execMsg(a0, f.counter, { increment: { by: 10 } })),
      await sign(a0, s0 + 2, 0, sendMsg(a0, a1, "9")),
      await sign(a1, s1 + 1, 1, execMsg(a1, f.counter, { increment: {} })),
    ];
    const hashes: string[] = [];
    for (const tx of txs) hashes.push(await q.broadcastTxSync(tx));
    // A duplicate is refused by the mempool, a gap in sequence by CheckTx.
    await expect(q.broadcastTxSync(txs[0]!)).rejects.toThrow(/tx already exists in cache/);
    const gap = await sign(a0, s0 + 5, 0, sendMsg(a0, a1, "1"));
    await expect(q.broadcastTxSync(gap)).rejects.toThrow(`account sequence mismatch, expected ${s0 + 3}, got ${s0 + 5}`);

    const block = f.chain.produceBlock();
    expect(block.txs.map((t) => t.hash)).toEqual(hashes);
    expect(block.txs.map((t) => t.result.code)).toEqual([0, 0, 0, 0, 0]);
    expect(await client.queryContractSmart(f.counter, { count: {} })).toEqual({ count: 12 });
    expect((await q.getSequence(a0)).sequence).toBe(s0 + 3);
    const found = await q.searchTx(`tx.height=${block.header.height}`);
    expect(found.map((t) => t.txIndex)).toEqual([0, 1, 2, 3, 4]);
    expect(f.chain.produceBlock().txs).toEqual([]);
    q.disconnect();
  });

  it("broadcast_tx_commit waits for the block; block time follows height and advanceTime", async () => {
    const client = await f.client();
    const [a0] = f.addresses as [string];
    const { sequence } = await client.getSequence(a0);
    const signed = TxRaw.encode(await client.sign(a0, [execMsg(a0, f.counter, { increment: {} })], fee(300_000), "", { accountNumber: 0, sequence, chainId: CHAIN_ID })).finish();
    const heights: number[] = [];
    const off = f.chain.onBeginBlock((h) => heights.push(h));
    f.chain.advanceTime(3600);
    const pending = fetch(f.rpc.url, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "broadcast_tx_commit", params: { tx: Buffer.from(signed).toString("base64") } }) });
    await new Promise((r) => setTimeout(r, 50));
    const block = f.chain.produceBlock();
    off();
    const body = (await (await pending).json()) as { result: { check_tx: { code: number }; tx_result: { code: number; events: { type: string; attributes: { key: string; value: string }[] }[] }; height: string } };
    expect(body.result.check_tx.code).toBe(0);
    expect(body.result.tx_result.code).toBe(0);
    expect(body.result.height).toBe(String(block.header.height));
    expect(heights).toEqual([block.header.height]);
    const expectedMs = f.chain.genesisTimeMs + block.header.height * f.chain.blockTimeMs + 3_600_000;
    expect(block.header.timeMs).toBe(expectedMs);
    const wasm = body.result.tx_result.events.find((e) => e.type === "wasm")!;
    expect(wasm.attributes.find((a) => a.key === "time")?.value).toBe(String(Math.floor(expectedMs / 1000)));
    expect(f.world.block).toMatchObject({ height: block.header.height, time: Math.floor(expectedMs / 1000) });
  });
});
