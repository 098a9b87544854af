/**
 * The batcher against the devnet over real sockets, with bank sends standing in for liquidations:
 * what is planned for a signer in the same moment leaves in one transaction, a part the simulation
 * fails on is returned with the chain's error while the rest is sent, a declined part stays out,
 * and each part's events and fee share are its own.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ChainClient, FeePolicy, InclusionWatcher, Secret, TxSender, TxSimulationError, bankSendMsg, keyedSigners, queryBalance } from "@mlb/shared";
import { DEFAULT_DEVNET_MNEMONIC } from "../../devnet/src/cli.js";
import { useDevnet } from "../../devnet/test/support/devnet.js";
import { Batcher, eventsOfMessages, failedMessageIndex, feeShares, type SimulatedPart } from "../src/executors/batcher.js";

const GAS = "uosmo";

describe("Batcher", () => {
  const devnet = useDevnet(["--chain", "osmosis", "--positions", "0", "--activity", "0", "--funded", "4"]);
  let client: ChainClient;
  let accounts: { address: string; sender: TxSender }[];
  let batcher: (maxPerTx: number, fillWaitMs?: number) => Batcher;

  beforeAll(async () => {
    const t = devnet();
    client = new ChainClient({ rpc: [t.ready.rpc] });
    const fees = new FeePolicy({ client, chain: "osmosis", denom: GAS, minGasPrice: "0.0025", maxGasPrice: "1" });
    accounts = (await keyedSigners(new Secret(DEFAULT_DEVNET_MNEMONIC), "osmo", 5)).map(({ address, signer }) => ({ address, sender: new TxSender({ client, signer, address, fees }) }));
    const inclusions = new InclusionWatcher(client);
    batcher = (maxPerTx, fillWaitMs) => new Batcher({ maxPerTx, fillWaitMs, inclusions, feeAmount: (fee) => BigInt(fee.amount.find((c) => c.denom === GAS)?.amount ?? "0") });
  });

  const send = (from: number, to: number, amount: bigint) => [bankSendMsg(accounts[from]!.address, accounts[to]!.address, [{ denom: GAS, amount: amount.toString() }])];
  const balance = (i: number) => queryBalance(client, accounts[i]!.address, GAS);

  it("sends what is planned in the same moment in one transaction; the part the simulation fails on gets the chain's error", async () => {
    const b = batcher(8);
    const { sender } = accounts[1]!;
    const [before1, before2, before3] = await Promise.all([balance(1), balance(2), balance(3)]);
    const parts: SimulatedPart[] = [];
    // While a transaction is simulated, what is submitted for its signer waits for the next one.
    const openInSimulation: boolean[] = [];
    const accept = (p: SimulatedPart) => (parts.push(p), openInSimulation.push(b.open(sender)), true);
    expect(b.open(sender)).toBe(true);
    const [a, failing, c] = await Promise.allSettled([
      b.submit(sender, send(1, 2, 1_000n), { sinceHeight: 0, accept }),
      b.submit(sender, send(1, 3, before1 * 10n), { sinceHeight: 0, accept }), // more than the balance
      b.submit(sender, send(1, 3, 2_000n), { sinceHeight: 0, accept }),
    ]);
    expect(openInSimulation.length).toBeGreaterThan(0);
    expect(openInSimulation.every((open) => !open)).toBe(true);
    expect(b.open(sender)).toBe(true);
    expect(failing.status).toBe("rejected");
    expect((failing as PromiseRejectedResult).reason).toBeInstanceOf(TxSimulationError);
    expect(String((failing as PromiseRejectedResult).reason.message)).toMatch(/message index: 1: .*insufficient funds/);
    const first = (a as PromiseFulfilledResult<Awaited<ReturnType<Batcher["submit"]>>>).value!;
    const third = (c as PromiseFulfilledResult<Awaited<ReturnType<Batcher["submit"]>>>).value!;
    expect(first.hash).toBe(third.hash);
    expect([first.size, first.from, first.to, third.from, third.to]).toEqual([2, 0, 1, 1, 2]);
    // The last simulation (without the failing part): each part saw only its own transfer.
    const last = parts.slice(-2);
    expect(last.map((p) => p.events.filter((e) => e.type === "transfer").map((e) => e.attributes.find((x) => x.key === "amount")?.value))).toEqual([["1000uosmo"], ["2000uosmo"]]);
    const included = await first.included;
    expect(included.code).toBe(0);
    // The fee shares add up to what the transaction paid.
    const fee = before1 - 3_000n - (await balance(1));
    expect(first.fee + third.fee).toBe(fee);
    expect([(await balance(2)) - before2, (await balance(3)) - before3]).toEqual([1_000n, 2_000n]);
    expect(eventsOfMessages(included.events, third.from, third.to).some((e) => e.type === "transfer" && e.attributes.some((x) => x.value === accounts[3]!.address))).toBe(true);
  });

  it("leaves a declined part out, and sends one at a time when MAX_LIQUIDATIONS_PER_TX is 1", async () => {
    const b = batcher(8);
    const { sender } = accounts[4]!;
    const [kept, declined] = await Promise.all([
      b.submit(sender, send(4, 2, 10n), { sinceHeight: 0, accept: () => true }),
      b.submit(sender, send(4, 3, 20n), { sinceHeight: 0, accept: () => false }),
    ]);
    expect(declined).toBeNull();
    expect(kept!.size).toBe(1);
    expect((await kept!.included).code).toBe(0);

    const single = batcher(1);
    const sent = await Promise.all([1n, 2n, 3n].map((n) => single.submit(sender, send(4, 2, n), { sinceHeight: 0, accept: () => true })));
    expect(new Set(sent.map((s) => s!.hash)).size).toBe(3);
    expect(sent.map((s) => s!.size)).toEqual([1, 1, 1]);
    expect((await Promise.all(sent.map((s) => s!.included))).map((r) => r.code)).toEqual([0, 0, 0]);
  });

  it("waits for liquidations still being planned to fill a transaction, until they are dropped or the wait is over", async () => {
    const { sender } = accounts[2]!;
    // Two being planned: the first submitted waits for the second (the wait would outlast the test).
    const b = batcher(8, 600_000);
    const [one, two] = [b.expect(), b.expect()];
    one();
    const first = b.submit(sender, send(2, 3, 5n), { sinceHeight: 0, accept: () => true });
    await new Promise((r) => setTimeout(r, 300));
    two();
    const second = b.submit(sender, send(2, 3, 6n), { sinceHeight: 0, accept: () => true });
    const [a, c] = await Promise.all([first, second]);
    expect(a!.hash).toBe(c!.hash);
    expect(a!.size).toBe(2);
    // One being planned is dropped (released, never submitted): the waiting one leaves at once.
    const dropped = b.expect();
    const alone = b.submit(sender, send(2, 3, 7n), { sinceHeight: 0, accept: () => true });
    setTimeout(dropped, 200);
    expect((await alone)!.size).toBe(1);
    // One that never comes: the transaction leaves when the wait is over, not before.
    const short = batcher(8, 400);
    short.expect();
    const submitted = Date.now();
    const late = await short.submit(sender, send(2, 3, 8n), { sinceHeight: 0, accept: () => true });
    expect(late!.size).toBe(1);
    expect(late!.broadcastAtMs - submitted).toBeGreaterThanOrEqual(390);
    expect((await Promise.all([a!.included, late!.included])).map((r) => r.code)).toEqual([0, 0]);
  });

  it("reads the failing message's index and splits fees exactly", () => {
    expect(failedMessageIndex("failed to execute message; message index: 12: Health factor is not less than 1")).toBe(12);
    expect(failedMessageIndex("out of gas")).toBeUndefined();
    expect(feeShares(10n, 3)).toEqual([4n, 3n, 3n]);
    expect(feeShares(9n, 3)).toEqual([3n, 3n, 3n]);
    expect(feeShares(1n, 2)).toEqual([1n, 0n]);
  });
});
