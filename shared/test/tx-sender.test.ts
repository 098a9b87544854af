import type { OfflineDirectSigner } from "@cosmjs/proto-signing";
import { createServer, type AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DEVNET_MNEMONIC } from "../../devnet/src/cli.js";
import { useDevnet, type TestDevnet } from "../../devnet/test/support/devnet.js";
import {
  AccountMissingError,
  CHAIN_PREFIXES,
  ChainClient,
  FeePolicy,
  Secret,
  SignerLeaseLostError,
  TxRejectedError,
  TxSender,
  TxSimulationError,
  TxTimeoutError,
  bankSendMsg,
  executeContractMsg,
  mars,
  queryAccount,
  queryAllBalances,
  queryBalance,
  topUpWorkers,
  walletFromMnemonic,
  type IncludedTx,
  type TxEvent,
} from "../src/index.js";
import { memoryLogger } from "./helpers/redis-fixture.js";

/**
 * The transaction path against the in-process devnet over real sockets: fee-market pricing on
 * both chains, simulate + sign + broadcast_tx_sync with locally tracked sequences, inclusion,
 * exact fee deduction, sequence-mismatch recovery, typed errors, and gas top-ups.
 */

const MNEMONIC = new Secret(DEFAULT_DEVNET_MNEMONIC);
/** HD accounts derived by the tests: the devnet funds 1..12; 20 and above start empty. */
const HD_ACCOUNTS = 25;

/** A loopback URL nothing listens on (a port that was just bound and released). */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** The attributes (as an object) of the first event of `type` with attribute `key` = `value`. */
function eventWith(events: TxEvent[], type: string, key: string, value: string): Record<string, string> | undefined {
  const e = events.find((e) => e.type === type && e.attributes.some((a) => a.key === key && a.value === value));
  return e && Object.fromEntries(e.attributes.map((a) => [a.key, a.value]));
}

/** The fee coin amount of a StdFee in `denom`. */
function feeAmount(fee: { amount: readonly { denom: string; amount: string }[] }, denom: string): bigint {
  return BigInt(fee.amount.find((c) => c.denom === denom)?.amount ?? "0");
}

const MARKETS = [
  // The devnet's fee market answers its minimum gas price: 0.0025 uosmo, 0.01 untrn.
  { chain: "osmosis", denom: "uosmo", price: "0.0025", fee200k: "500", multiplied: "463", cap: "0.003", capped: "371" },
  { chain: "neutron", denom: "untrn", price: "0.01", fee200k: "2000", multiplied: "1852", cap: "0.012", capped: "1482" },
] as const;

describe.each(MARKETS)("FeePolicy on $chain", (m) => {
  const dn = useDevnet(["--chain", m.chain, "--activity", "0"]);

  it("pays the fee market's price: exact StdFee of a gas limit, ceil(gasUsed × adjustment)", async () => {
    const t = dn();
    const client = new ChainClient({ rpc: [t.ready.rpc] });
    const fees = new FeePolicy({ client, chain: m.chain, denom: m.denom, minGasPrice: "0.0001", maxGasPrice: "1" });
    expect(await fees.gasPrice()).toEqual({ atomics: mars.parseDecimal(m.price), source: "market", capped: false });
    expect(await fees.fee(200_000)).toEqual({ amount: [{ denom: m.denom, amount: m.fee200k }], gas: "200000" });
    expect(fees.gasLimit(100_001)).toBe(130_002); // 130001.3 rounded up
    expect(new FeePolicy({ client, chain: m.chain, denom: m.denom, minGasPrice: "0", maxGasPrice: "1", gasAdjustment: "1.5" }).gasLimit(3)).toBe(5);
    expect(fees.feeAt(10, 0n)).toEqual({ amount: [], gas: "10" });
  });

  it("applies the multiplier exactly and cuts at the cap, logging the cap", async () => {
    const t = dn();
    const client = new ChainClient({ rpc: [t.ready.rpc] });
    const multiplied = new FeePolicy({ client, chain: m.chain, denom: m.denom, minGasPrice: "0.0001", maxGasPrice: "1", multiplier: "1.5" });
    // 123457 × price × 1.5, rounded up: osmosis 462.96375 → 463, neutron 1851.855 → 1852.
    expect(await multiplied.fee(123_457)).toEqual({ amount: [{ denom: m.denom, amount: m.multiplied }], gas: "123457" });

    const sink = memoryLogger();
    const capped = new FeePolicy({ client, chain: m.chain, denom: m.denom, minGasPrice: "0.0001", maxGasPrice: m.cap, multiplier: "1.5", logger: sink.logger });
    expect(await capped.gasPrice()).toEqual({ atomics: mars.parseDecimal(m.cap), source: "market", capped: true });
    expect(await capped.fee(123_457)).toEqual({ amount: [{ denom: m.denom, amount: m.capped }], gas: "123457" });
    const line = sink.lines.find((l) => l.msg === "gas price capped at the maximum");
    expect(line).toMatchObject({ level: "warn", chain: m.chain, baseGasPrice: m.price, maxGasPrice: m.cap });
  });

  it("falls back to the minimum gas price (× multiplier) when the fee market cannot be read", async () => {
    const sink = memoryLogger();
    const client = new ChainClient({ rpc: [await deadUrl()], timeoutMs: 2000 });
    const fees = new FeePolicy({ client, chain: m.chain, denom: m.denom, minGasPrice: "0.004", maxGasPrice: "1", multiplier: "1.5", logger: sink.logger });
    expect(await fees.gasPrice()).toEqual({ atomics: mars.parseDecimal("0.006"), source: "minimum", capped: false });
    expect(await fees.fee(100_001)).toEqual({ amount: [{ denom: m.denom, amount: "601" }], gas: "100001" }); // 600.006 → 601
    expect(sink.lines.some((l) => l.msg === "fee market query failed, paying the minimum gas price" && l.level === "warn")).toBe(true);
  });

  it("never pays below the minimum, and reads the market at most once per refresh interval, never waiting on a recent price", async () => {
    const t = dn();
    const client = new ChainClient({ rpc: [t.ready.rpc] });
    let now = 1_000_000;
    const fees = new FeePolicy({ client, chain: m.chain, denom: m.denom, minGasPrice: "0.05", maxGasPrice: "1", refreshMs: 1000, now: () => now });
    const before = client.queryCount;
    expect(await fees.gasPrice()).toEqual({ atomics: mars.parseDecimal("0.05"), source: "market", capped: false });
    await Promise.all([fees.fee(1), fees.fee(2), fees.gasPrice()]);
    now += 999;
    await fees.fee(3);
    expect(client.queryCount - before).toBe(1);
    now += 1;
    await fees.fee(4); // answered with the last price while the new read runs
    expect(client.queryCount - before).toBe(2);
    await fees.gasPrice();
    expect(client.queryCount - before).toBe(2);
    now += 20_000; // older than 10 × refreshMs: waits for the read under way ...
    expect(await fees.gasPrice()).toEqual({ atomics: mars.parseDecimal("0.05"), source: "market", capped: false });
    expect(client.queryCount - before).toBe(2);
    await fees.gasPrice(); // ... or, with none under way, for a new one
    expect(client.queryCount - before).toBe(3);
  });
});

describe("TxSender on the osmosis devnet", () => {
  const dn = useDevnet(["--chain", "osmosis", "--activity", "0"]);
  let t: TestDevnet;
  let client: ChainClient;
  let fees: FeePolicy;
  let wallet: OfflineDirectSigner;
  let addresses: string[];
  const gas = "uosmo";

  const sender = (index: number, logger = memoryLogger().logger) => new TxSender({ client, signer: wallet, address: addresses[index]!, fees, logger });
  const balance = (address: string) => queryBalance(client, address, gas);
  const included = async (s: TxSender, hash: string): Promise<IncludedTx> => {
    const tx = await s.waitForTx(hash, { timeoutMs: 20_000 });
    expect(tx.code, tx.rawLog).toBe(0);
    return tx;
  };

  // A wallet of the documented mnemonic and a fee policy 10% above the devnet's minimum.
  beforeAll(async () => {
    t = dn();
    client = new ChainClient({ rpc: [t.ready.rpc] });
    fees = new FeePolicy({ client, chain: "osmosis", denom: gas, minGasPrice: "0.0025", maxGasPrice: "1", multiplier: "1.1" });
    wallet = await walletFromMnemonic(MNEMONIC, CHAIN_PREFIXES.osmosis, HD_ACCOUNTS);
    addresses = (await wallet.getAccounts()).map((a) => a.address);
    if (addresses[1] !== t.account(1)) throw new Error(`HD index 1 is ${addresses[1]}, the devnet funded ${t.account(1)}`);
  });

  it("a bank send: simulated gas × 1.3, exact fee deducted, included with its events", async () => {
    const s = sender(1);
    const from = addresses[1]!;
    const to = addresses[20]!;
    const msg = bankSendMsg(from, to, [{ denom: gas, amount: "12345" }]);
    const [before, gasUsed] = [await balance(from), await s.simulate([msg])];
    const simulated = await s.simulateTx([msg]);
    expect(simulated.gasUsed).toBe(gasUsed);
    expect(eventWith(simulated.events, "transfer", "recipient", to)).toMatchObject({ sender: from, amount: `12345${gas}` });
    const sent = await s.broadcast([msg]);
    expect(sent.hash).toMatch(/^[0-9A-F]{64}$/);
    expect(sent.gasLimit).toBe(fees.gasLimit(gasUsed));
    expect(sent.fee).toEqual(await fees.fee(sent.gasLimit));
    expect(sent.sequence).toBe(0);
    expect(sent.broadcastAtMs).toBeLessThanOrEqual(Date.now());

    const tx = await included(s, sent.hash);
    expect(tx).toMatchObject({ hash: sent.hash, gasWanted: sent.gasLimit, gasUsed });
    expect(eventWith(tx.events, "transfer", "recipient", to)).toMatchObject({ sender: from, amount: `12345${gas}` });
    expect(eventWith(tx.events, "tx", "fee_payer", from)).toMatchObject({ fee: `${feeAmount(sent.fee, gas)}${gas}` });
    expect(before - (await balance(from))).toBe(12_345n + feeAmount(sent.fee, gas));
    expect(await balance(to)).toBe(12_345n);
  });

  it("queryAllBalances gives every denom an account holds, each as queryBalance reads it", async () => {
    const address = addresses[3]!;
    const all = await queryAllBalances(client, address);
    expect(all.size).toBeGreaterThan(1);
    for (const [denom, amount] of all) expect(await queryBalance(client, address, denom)).toBe(amount);
    expect(await queryAllBalances(client, addresses[24]!)).toEqual(new Map()); // never funded
  });

  it("a Red Bank deposit: included, exact fee and funds deducted, the contract's events returned", async () => {
    const s = sender(1);
    const from = addresses[1]!;
    const before = await balance(from);
    const sent = await s.broadcast([executeContractMsg(from, t.c.redBank, { deposit: {} }, [{ denom: gas, amount: "1000000" }])]);
    expect(sent.sequence).toBe(1);
    const tx = await included(s, sent.hash);
    expect(eventWith(tx.events, "wasm", "action", "deposit")).toMatchObject({ _contract_address: t.c.redBank });
    expect(before - (await balance(from))).toBe(1_000_000n + feeAmount(sent.fee, gas));
    const collateral = await t.query<{ amount: string }>(t.c.redBank, { user_collateral: { user: from, denom: gas } });
    expect(BigInt(collateral.amount)).toBeGreaterThanOrEqual(999_999n);
  });

  it("5 txs from one signer back-to-back without waiting: sequences n..n+4, all included in order", async () => {
    const s = sender(2);
    const from = addresses[2]!;
    const n = (await queryAccount(client, from)).sequence;
    // Each broadcast returns at mempool admission; the next one simulates and signs while the
    // earlier ones are still pending (simulated with the mempool's sequence, as cosmos-sdk does).
    const sent = [];
    for (const i of [1, 2, 3, 4, 5]) sent.push(await s.broadcast([bankSendMsg(from, addresses[21]!, [{ denom: gas, amount: String(i) }])]));
    expect(sent.map((r) => r.sequence)).toEqual([n, n + 1, n + 2, n + 3, n + 4]);
    const txs = await Promise.all(sent.map((r) => included(s, r.hash)));
    for (let i = 1; i < txs.length; i++) {
      const [prev, cur] = [txs[i - 1]!, txs[i]!];
      expect(cur.height > prev.height || (cur.height === prev.height && cur.index > prev.index), `sequence ${n + i} lands after ${n + i - 1}`).toBe(true);
    }
    expect((await queryAccount(client, from)).sequence).toBe(n + 5);
    expect(await balance(addresses[21]!)).toBe(15n);
  });

  it("concurrent broadcasts from one signer get consecutive sequences and all land", async () => {
    const s = sender(2);
    const from = addresses[2]!;
    const n = (await queryAccount(client, from)).sequence;
    const sent = await Promise.all([1, 2, 3].map((i) => s.broadcast([bankSendMsg(from, addresses[21]!, [{ denom: gas, amount: String(i) }])])));
    expect(sent.map((r) => r.sequence).sort((a, b) => a - b)).toEqual([n, n + 1, n + 2]);
    await Promise.all(sent.map((r) => included(s, r.hash)));
    expect(await balance(addresses[21]!)).toBe(21n);
  });

  it("after load(), every simulation is one query, also while its transactions wait in the mempool", async () => {
    const s = sender(7);
    const from = addresses[7]!;
    await s.load(); // account, sequence and chain id read now
    const msgs = [bankSendMsg(from, addresses[21]!, [{ denom: gas, amount: "1" }])];
    const queries = async (run: () => Promise<unknown>) => {
      const before = client.queryCount;
      await run();
      return client.queryCount - before;
    };
    expect(await queries(() => s.simulateTx(msgs))).toBe(1);
    const first = await s.broadcast(msgs);
    // The node simulates on its check state, where the first tx already took its sequence: the
    // sender's own next sequence is right at once, not the one its last simulation ran with.
    expect(await queries(() => s.simulateTx(msgs))).toBe(1);
    const second = await s.broadcast(msgs);
    expect(second.sequence).toBe(first.sequence + 1);
    await Promise.all([included(s, first.hash), included(s, second.hash)]);
    expect(await queries(() => s.simulateTx(msgs))).toBe(1);
  });

  it("simulates with the sequence after the transaction it is sending, which the node checks first", async () => {
    // A fee price read once and fresh for the whole test: every query counted below is the sender's.
    const steady = new FeePolicy({ client, chain: "osmosis", denom: gas, minGasPrice: "0.0025", maxGasPrice: "1", refreshMs: 3_600_000 });
    const from = addresses[8]!;
    const s = new TxSender({ client, signer: wallet, address: from, fees: steady });
    const msgs = [bankSendMsg(from, addresses[21]!, [{ denom: gas, amount: "1" }])];
    await s.load();
    await steady.gasPrice();
    const before = client.queryCount;
    const sending = s.broadcast(msgs, { gasLimit: 200_000 });
    while (client.queryCount === before) await new Promise((r) => setImmediate(r)); // broadcast_tx_sync is on its way
    const sent = client.queryCount;
    await s.simulateTx(msgs);
    expect(client.queryCount - sent).toBe(1);
    await included(s, (await sending).hash);
  });

  it("recovers once from a sequence mismatch when another client signed behind its back", async () => {
    const sink = memoryLogger();
    const s = sender(3, sink.logger);
    const from = addresses[3]!;
    const first = await s.broadcast([bankSendMsg(from, addresses[22]!, [{ denom: gas, amount: "1" }])]);
    await included(s, first.hash);
    // cosmjs, with the same key, sends a tx the sender does not know about.
    const foreign = await t.client.sendTokens(from, addresses[22]!, [{ denom: gas, amount: "2" }], t.fee);
    expect(foreign.code).toBe(0);
    const next = await s.broadcast([bankSendMsg(from, addresses[22]!, [{ denom: gas, amount: "3" }])]);
    expect(next.sequence).toBe(first.sequence + 2);
    await included(s, next.hash);
    expect(await balance(addresses[22]!)).toBe(6n);
    expect(sink.lines.find((l) => l.msg === "sequence out of step, re-signing with the chain's")).toMatchObject({ sent: first.sequence + 1, expected: first.sequence + 2, signer: from });
  });

  it("a failing execute fails in simulation with the contract's text; nothing is broadcast", async () => {
    const s = sender(4);
    const from = addresses[4]!;
    const [account, funds] = [await queryAccount(client, from), await balance(from)];
    const borrow = executeContractMsg(from, t.c.redBank, { borrow: { denom: gas, amount: "1000000" } });
    const err = await s.broadcast([borrow]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TxSimulationError);
    const e = err as TxSimulationError;
    expect(e.log).toMatch(/Borrow amount exceeds maximum allowed given current collateral value/);
    expect(e).toMatchObject({ code: "ERR_TX_SIMULATION", signer: from, abciCode: 6, codespace: "sdk" });
    expect(await queryAccount(client, from)).toEqual(account);
    expect(await balance(from)).toBe(funds);
  });

  it("a CheckTx rejection throws TxRejectedError with the chain's code and log, and does not use up the sequence", async () => {
    const s = sender(5);
    const from = addresses[5]!;
    const cheap = new TxSender({ client, signer: wallet, address: from, fees: new FeePolicy({ client, chain: "osmosis", denom: gas, minGasPrice: "0.0001", maxGasPrice: "0.001" }) });
    const err = await cheap.broadcast([bankSendMsg(from, addresses[22]!, [{ denom: gas, amount: "1" }])]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TxRejectedError);
    expect(err).toMatchObject({ code: "ERR_TX_REJECTED", stage: "check", signer: from, abciCode: 13, codespace: "sdk" });
    expect((err as TxRejectedError).log).toMatch(/insufficient fee/);
    const ok = await s.broadcast([bankSendMsg(from, addresses[22]!, [{ denom: gas, amount: "1" }])]);
    expect(ok.sequence).toBe(0);
    await included(s, ok.hash);
    const again = await cheap.broadcast([bankSendMsg(from, addresses[22]!, [{ denom: gas, amount: "1" }])], { gasLimit: 200_000 }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TxRejectedError);
  });

  it("a sender whose signer lease is lost signs nothing: SignerLeaseLostError", async () => {
    let leased = true;
    const from = addresses[8]!;
    const s = new TxSender({ client, signer: wallet, address: from, fees, holdsLease: () => leased });
    const msg = bankSendMsg(from, addresses[22]!, [{ denom: gas, amount: "1" }]);
    await included(s, (await s.broadcast([msg])).hash);
    leased = false;
    const account = await queryAccount(client, from);
    await expect(s.broadcast([msg])).rejects.toMatchObject({ name: "SignerLeaseLostError", code: "ERR_SIGNER_LEASE_LOST", signer: from });
    await expect(s.sign([msg], await fees.fee(200_000))).rejects.toBeInstanceOf(SignerLeaseLostError);
    expect(await queryAccount(client, from)).toEqual(account);
  });

  it("waitForTx gives up with TxTimeoutError after timeoutMs", async () => {
    const s = sender(1);
    const hash = "AB".repeat(32);
    const started = Date.now();
    const err = await s.waitForTx(hash, { timeoutMs: 300, pollMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TxTimeoutError);
    expect(err).toMatchObject({ code: "ERR_TX_TIMEOUT", txHash: hash, timeoutMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("an account that never received funds cannot sign: AccountMissingError", async () => {
    await expect(sender(24).simulate([bankSendMsg(addresses[24]!, addresses[1]!, [{ denom: gas, amount: "1" }])])).rejects.toBeInstanceOf(AccountMissingError);
  });

  it("top-up: one tx from the master pays exactly `amount` to the worker below the minimum, nothing to the others", async () => {
    const master = sender(6);
    const [rich, empty] = [addresses[7]!, addresses[23]!];
    const richBefore = await balance(rich);
    expect(await balance(empty)).toBe(0n);
    const options = { denom: gas, minBalance: 1_000_000n, amount: 2_500_000n };
    const result = await topUpWorkers(master, [rich, empty], options);
    expect(result.sent).toEqual([{ address: empty, amount: 2_500_000n }]);
    expect(result.tx?.hash).toMatch(/^[0-9A-F]{64}$/);
    expect(await balance(empty)).toBe(2_500_000n);
    expect(await balance(rich)).toBe(richBefore);
    expect(await topUpWorkers(master, [rich, empty], options)).toEqual({ sent: [] });
    // The topped-up worker can now sign (its account exists and pays its own gas).
    const worker = sender(23);
    const sent = await worker.broadcast([bankSendMsg(empty, rich, [{ denom: gas, amount: "1" }])]);
    await included(worker, sent.hash);
  });
});

describe("TxSender with blocks every 15 ms", () => {
  // Blocks commit while the sender simulates and broadcasts with its pending sequence: the devnet,
  // as cosmos-sdk, checks a simulation's sequence against its check state (the mempool's).
  const dn = useDevnet(["--chain", "osmosis", "--activity", "0", "--block-time-ms", "15"]);

  it("100 back-to-back broadcasts all pass simulation and CheckTx and land", async () => {
    const t = dn();
    const client = new ChainClient({ rpc: [t.ready.rpc] });
    const fees = new FeePolicy({ client, chain: "osmosis", denom: "uosmo", minGasPrice: "0.0025", maxGasPrice: "1" });
    const wallet = await walletFromMnemonic(MNEMONIC, CHAIN_PREFIXES.osmosis, 3);
    const [, to, from] = (await wallet.getAccounts()).map((a) => a.address) as [string, string, string];
    const s = new TxSender({ client, signer: wallet, address: from, fees });
    const sent = [];
    for (let i = 0; i < 100; i++) sent.push(await s.broadcast([bankSendMsg(from, to, [{ denom: "uosmo", amount: "1" }])]));
    expect(sent.map((r) => r.sequence)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const last = await s.waitForTx(sent[99]!.hash, { timeoutMs: 20_000 });
    expect(last.code, last.rawLog).toBe(0);
    expect((await queryAccount(client, from)).sequence).toBe(100);
  });
});
