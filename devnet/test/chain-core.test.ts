import { Secp256k1, sha256 } from "@cosmjs/crypto";
import { toUtf8 } from "@cosmjs/encoding";
import { connectComet } from "@cosmjs/tendermint-rpc";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseQuery, matchesAll } from "../src/chain/query.js";
import { verifySecp256k1 } from "../src/chain/signature.js";
import { Journal } from "../src/state/journal.js";
import { KvStore } from "../src/state/kv-store.js";
import { CHAIN_ID, GAS, startChainFixture, type ChainFixture } from "./chain-fixture.js";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const to32 = (x: bigint) => Buffer.from(x.toString(16).padStart(64, "0"), "hex");

describe("secp256k1 verification (node crypto) agrees with @cosmjs/crypto", () => {
  it("accepts cosmjs signatures, rejects tampered and high-S ones", async () => {
    for (let i = 0; i < 20; i++) {
      const keypair = await Secp256k1.makeKeypair(sha256(toUtf8(`key ${i}`)));
      const pubkey = Secp256k1.compressPubkey(keypair.pubkey);
      const message = toUtf8(`sign doc ${i} ${"x".repeat(i * 13)}`);
      const sig = await Secp256k1.createSignature(sha256(message), keypair.privkey);
      const fixed = new Uint8Array([...sig.r(32), ...sig.s(32)]);
      expect(verifySecp256k1(pubkey, message, fixed)).toBe(true);
      const tampered = Uint8Array.from(fixed);
      tampered[10]! ^= 1;
      expect(verifySecp256k1(pubkey, message, tampered)).toBe(false);
      expect(verifySecp256k1(pubkey, toUtf8("other"), fixed)).toBe(false);
      const s = BigInt(`0x${Buffer.from(sig.s(32)).toString("hex")}`);
      const highS = new Uint8Array([...sig.r(32), ...to32(N - s)]);
      expect(verifySecp256k1(pubkey, message, highS)).toBe(false);
    }
    expect(verifySecp256k1(new Uint8Array(33).fill(9), toUtf8("x"), new Uint8Array(64).fill(1))).toBe(false);
  });
});

describe("event query language", () => {
  const events = new Map([
    ["tm.event", ["Tx"]],
    ["tx.height", ["12"]],
    ["message.sender", ["osmo1a", "osmo1b"]],
    ["wasm.action", ["liquidate"]],
  ]);
  it.each([
    ["tm.event='Tx'", true],
    ["tm.event = 'Tx' AND message.sender='osmo1b'", true],
    ["message.sender='osmo1c'", false],
    ["tx.height=12", true],
    ["tx.height>=12 AND tx.height<=12", true],
    ["tx.height>12", false],
    ["wasm.action CONTAINS 'quid'", true],
    ["wasm.action EXISTS", true],
    ["wasm.other EXISTS", false],
  ])("%s → %s", (query, expected) => {
    expect(matchesAll(parseQuery(query), events)).toBe(expected);
  });
  it.each(["", "tm.event", "tm.event=", "a='x' b='y'", "a='x' AND", "a=='x'"])("rejects %j", (query) => {
    expect(() => parseQuery(query)).toThrow(/failed to parse query/);
  });
});

describe("KvStore pages (cosmos-sdk pagination over a contract store)", () => {
  const store = new KvStore(new Journal());
  for (const k of ["b", "a", "d", "c", "e"]) store.set(k, k.toUpperCase());
  it("offset, limit, next key, total and reverse", () => {
    expect(store.page("", undefined, { offset: 1, limit: 2 })).toEqual({ entries: [["b", "B"], ["c", "C"]], next: "d", total: 5 });
    expect(store.page("d", undefined, { limit: 5 })).toEqual({ entries: [["d", "D"], ["e", "E"]], next: undefined, total: 2 });
    expect(store.page("", "c\u0000", { limit: 2, reverse: true })).toEqual({ entries: [["c", "C"], ["b", "B"]], next: "a", total: 3 });
  });
});

describe("chain internals over RPC", () => {
  let f: ChainFixture;
  beforeAll(async () => {
    f = await startChainFixture({ timer: false, retainBlocks: 5 });
  });
  afterAll(async () => {
    await f.close();
  });

  const signTx = async (from: string, msgs: { typeUrl: string; value: unknown }[], sequence: number, accountNumber: number) => {
    const client = await f.client();
    return TxRaw.encode(await client.sign(from, msgs, { amount: [{ denom: GAS, amount: "20000" }], gas: "800000" }, "", { accountNumber, sequence, chainId: CHAIN_ID })).finish();
  };

  it("all messages of a tx or none: a new account created by a reverted message disappears", async () => {
    const [a0, , , , fresh] = f.addresses as [string, string, string, string, string];
    const tx = await signTx(
      a0,
      [
        { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: a0, toAddress: fresh, amount: [{ denom: GAS, amount: "100" }] } },
        { typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract", value: { sender: a0, contract: f.counter, msg: toUtf8(JSON.stringify({ fail: {} })), funds: [] } },
      ],
      0,
      0,
    );
    const accountsBefore = f.chain.accounts.size;
    expect(f.chain.checkTx(tx).result.code).toBe(0);
    const block = f.chain.produceBlock();
    const result = block.txs[0]!.result;
    expect(result.code).toBe(5);
    expect(result.codespace).toBe("wasm");
    expect(result.log).toBe("failed to execute message; message index: 1: counter says no: execute wasm contract failed");
    expect(result.events.map((e) => e.type)).toEqual(["coin_spent", "coin_received", "transfer", "tx", "tx", "tx"]);
    expect(f.chain.account(fresh)).toBeUndefined();
    expect(f.chain.accounts.size).toBe(accountsBefore);
    expect(f.world.bank.balance(fresh, GAS)).toBe(0n);
    expect(f.chain.account(a0)?.sequence).toBe(1);
  });

  it("MsgMultiSend pays every output", async () => {
    const [a0, a1, a2] = f.addresses as [string, string, string];
    const before = [a1, a2].map((a) => f.world.bank.balance(a, GAS));
    const tx = await signTx(
      a0,
      [
        {
          typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
          value: {
            inputs: [{ address: a0, coins: [{ denom: GAS, amount: "30" }] }],
            outputs: [
              { address: a1, coins: [{ denom: GAS, amount: "10" }] },
              { address: a2, coins: [{ denom: GAS, amount: "20" }] },
            ],
          },
        },
      ],
      1,
      0,
    );
    expect(f.chain.checkTx(tx).result.code).toBe(0);
    expect(f.chain.produceBlock().txs[0]!.result.code).toBe(0);
    expect(f.world.bank.balance(a1, GAS) - before[0]!).toBe(10n);
    expect(f.world.bank.balance(a2, GAS) - before[1]!).toBe(20n);
  });

  it("simulates on the mempool's sequences, as cosmos-sdk simulates on its check state", async () => {
    const [, , a2] = f.addresses as [string, string, string];
    const increment = [{ typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract", value: { sender: a2, contract: f.counter, msg: toUtf8(JSON.stringify({ increment: {} })), funds: [] } }];
    expect(f.chain.checkTx(await signTx(a2, increment, 0, 2)).result.code).toBe(0);
    // Sequence 0 waits in the mempool: a simulation now wants 1, not the committed 0.
    const stale = await signTx(a2, increment, 0, 2);
    expect(() => f.chain.simulate(stale)).toThrow(/account sequence mismatch, expected 1, got 0/);
    expect(f.chain.simulate(await signTx(a2, increment, 1, 2)).gasUsed).toBeGreaterThan(0);
    expect(f.chain.produceBlock().txs[0]!.result.code).toBe(0);
    expect(f.chain.simulate(await signTx(a2, increment, 1, 2)).gasUsed).toBeGreaterThan(0);
  });

  it("keeps only the last retainBlocks blocks and their txs; tx_search pages and orders", async () => {
    const [, a1] = f.addresses as [string, string];
    const hashes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const tx = await signTx(a1, [{ typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract", value: { sender: a1, contract: f.counter, msg: toUtf8(JSON.stringify({ increment: {} })), funds: [] } }], i, 1);
      hashes.push(f.chain.checkTx(tx).hash);
      f.chain.produceBlock();
    }
    const comet = await connectComet(f.rpc.url);
    const asc = await comet.txSearch({ query: `message.sender='${a1}'`, per_page: 3, page: 1 });
    expect(asc.totalCount).toBe(4);
    expect(asc.txs.map((t) => Buffer.from(t.hash).toString("hex").toUpperCase())).toEqual(hashes.slice(0, 3));
    const desc = await comet.txSearch({ query: `message.sender='${a1}'`, per_page: 3, page: 2, order_by: "desc" });
    expect(desc.txs.map((t) => Buffer.from(t.hash).toString("hex").toUpperCase())).toEqual([hashes[0]]);
    await expect(comet.txSearch({ query: `message.sender='${a1}'`, per_page: 3, page: 3 })).rejects.toThrow(/page should be within \[1, 2\] range, given 3/);

    for (let i = 0; i < 5; i++) f.chain.produceBlock();
    const status = await comet.status();
    expect(status.syncInfo.latestBlockHeight - (status.syncInfo.earliestBlockHeight ?? 0)).toBe(4);
    expect(f.chain.blocks.tx(hashes[0]!)).toBeUndefined();
    await expect(comet.tx({ hash: Buffer.from(hashes[0]!, "hex") })).rejects.toThrow(/not found/);
    await expect(comet.block(1)).rejects.toThrow(/height 1 is not available, lowest height is/);
    expect((await comet.txSearch({ query: `message.sender='${a1}'` })).totalCount).toBe(0);
    comet.disconnect();
  });
});
