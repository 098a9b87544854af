import { decodeTxRaw } from "@cosmjs/proto-signing";
import { describe, expect, it } from "vitest";
import { actorAddress } from "../src/scenario/positions.js";
import { debtors, scanDebts } from "./support/chain-data.js";
import { useDevnet } from "./support/devnet.js";

/**
 * The crash scenario with background activity, watched from outside: few liquidatable debtors
 * before the crash height, many after (the oracle drops every asset but USDC by 30 %), signed
 * background txs against the Red Bank in the blocks (found by tx_search, sent by nobody the test
 * knows), and the raw `debts` map gaining new debtors while repaid ones disappear.
 */

const CRASH_AT = 40;
const POSITIONS = 200;
const SEED = 5;
const dn = useDevnet(["--chain", "osmosis", "--scenario", "crash", "--crash-at-block", String(CRASH_AT), "--crash-pct", "30", "--positions", String(POSITIONS), "--activity", "3", "--seed", String(SEED)]);

type Liquidatable = { height: number; redBank: string[]; creditAccounts: string[] };
const genesisDebtors = Array.from({ length: POSITIONS }, (_, i) => actorAddress("osmo", "redbank-debtor", SEED, i));

describe("crash scenario with background activity", () => {
  let before: Liquidatable;

  it("before the crash height: genesis prices and few liquidatable debtors", async () => {
    const t = dn();
    before = (await t.admin<Liquidatable>("GET", "/liquidatable")).body;
    expect(before.height).toBeLessThan(CRASH_AT);
    expect(await t.query(t.c.oracle, { price: { denom: t.atom } })).toEqual({ denom: t.atom, price: "8" });
    expect(before.redBank.length).toBeLessThanOrEqual(POSITIONS / 10); // ~2 % are generated below HF 1
    expect(debtors((await scanDebts(t)).entries).size).toBeGreaterThanOrEqual(POSITIONS);
  });

  it("from the crash height on: prices down 30 % (USDC unchanged) and many debtors liquidatable", async () => {
    const t = dn();
    const height = await t.client.getHeight();
    const produced = await t.admin<{ height: number }>("POST", "/blocks", { count: Math.max(1, CRASH_AT - height) });
    expect(produced.body.height).toBeGreaterThanOrEqual(CRASH_AT);
    const prices = Object.fromEntries((await t.query<{ denom: string; price: string }[]>(t.c.oracle, { prices: { limit: 30 } })).map((p) => [p.denom, p.price]));
    expect(prices).toMatchObject({ [t.atom]: "5.6", [t.gas]: "0.35", [t.neutral]: "1" });
    const after = (await t.admin<Liquidatable>("GET", "/liquidatable")).body;
    expect(after.height).toBeGreaterThanOrEqual(CRASH_AT);
    // Asset-vs-asset positions keep their health (every asset but USDC drops alike); those with
    // USDC debt drop: with this seed 6 before, 25 after.
    expect(after.redBank.length).toBeGreaterThanOrEqual(Math.max(15, 3 * before.redBank.length));
  });

  it("background txs land in blocks: tx_search by wasm._contract_address finds txs the test never sent", async () => {
    const t = dn();
    const txs = await t.client.searchTx(`wasm._contract_address='${t.c.redBank}'`);
    expect(txs.length).toBeGreaterThan(30);
    const ours = new Set([t.owner, ...Array.from({ length: 12 }, (_, i) => t.account(i + 1))]);
    const senders = new Set<string>();
    const actions = new Set<string>();
    for (const tx of txs) {
      expect(decodeTxRaw(tx.tx).body.memo).toBe("devnet background activity");
      for (const e of tx.events) {
        for (const a of e.attributes) {
          if (e.type === "message" && a.key === "sender") senders.add(a.value);
          if (e.type === "wasm" && a.key === "action") actions.add(a.value);
        }
      }
    }
    expect(senders.size).toBeGreaterThan(10);
    for (const s of senders) expect(ours.has(s)).toBe(false);
    expect([...actions]).toEqual(expect.arrayContaining(["deposit", "borrow", "repay"]));
    expect(txs.filter((tx) => tx.code === 0).length).toBeGreaterThan(txs.length / 2);
  });

  it("the raw debts map gains new debtors and loses repaid ones as blocks go by; genesis debtors stay", async () => {
    const t = dn();
    const s1 = debtors((await scanDebts(t)).entries);
    for (let i = 0; i < 30; i++) await t.admin("POST", "/blocks", { count: 1 });
    const s2 = debtors((await scanDebts(t)).entries);
    const added = [...s2].filter((u) => !s1.has(u));
    const gone = [...s1].filter((u) => !s2.has(u));
    expect(added.length).toBeGreaterThan(0);
    expect(gone.length).toBeGreaterThan(0);
    for (const u of genesisDebtors) expect(s2.has(u)).toBe(true);
    for (const u of [...added, ...gone]) expect(genesisDebtors).not.toContain(u);
    // A vanished debtor repaid: its last Red Bank tx is a repay that cleared the debt.
    const txs = await t.client.searchTx(`message.sender='${gone[0]}'`);
    const last = txs.filter((tx) => tx.code === 0).at(-1)!;
    const wasm = last.events.find((e) => e.type === "wasm")!;
    expect(wasm.attributes).toContainEqual({ key: "action", value: "repay" });
    expect(await t.query(t.c.redBank, { user_debts: { user: gone[0] } })).toEqual([]);
  });
});
