import { describe, expect, it } from "vitest";
import { GENESIS_TIME_MS } from "../src/devnet.js";
import { useDevnet, type TestDevnet } from "./support/devnet.js";

/**
 * The admin API's chain controls over HTTP (devnet/README.md "Admin API"): status, blocks, time,
 * prices of both oracle kinds, and 400/404 answers for bad requests — each checked against what
 * a cosmjs client sees on the chain.
 */

const dn = useDevnet(["--chain", "osmosis"]);

interface Status { height: number; nextBlockTimeMs: number; redBankPositions: number; creditAccounts: number; liquidations: number }
const price = async (t: TestDevnet, denom: string, kind: "default" | "liquidation") => (await t.query<{ price: string }>(t.c.oracle, { price: { denom, kind } })).price;

describe("admin API: status, blocks, time, prices, bad requests", () => {
  it("GET /status: height, next block time, counts", async () => {
    const t = dn();
    const { status, body } = await t.admin<Status>("GET", "/status");
    expect(status).toBe(200);
    expect(body).toMatchObject({ redBankPositions: 0, creditAccounts: 0, liquidations: 0 });
    expect(body.height).toBeGreaterThan(0);
    const block = await t.client.getBlock(body.height);
    expect(new Date(block.header.time).getTime()).toBe(body.nextBlockTimeMs - 200);
    expect(body.nextBlockTimeMs).toBe(GENESIS_TIME_MS + (body.height + 1) * 200);
  });

  it("POST /blocks produces blocks now and returns the new height", async () => {
    const t = dn();
    const before = await t.client.getHeight();
    const { status, body } = await t.admin<{ height: number }>("POST", "/blocks", { count: 25 });
    expect(status).toBe(200);
    // 25 blocks in one call: far more than the 200 ms timer could make meanwhile.
    expect(body.height).toBeGreaterThanOrEqual(before + 25);
    expect(body.height).toBeLessThan(before + 25 + 10);
    expect(await t.client.getHeight()).toBeGreaterThanOrEqual(body.height);
    const times = await Promise.all([body.height - 1, body.height].map(async (h) => new Date((await t.client.getBlock(h)).header.time).getTime()));
    expect(times[1]! - times[0]!).toBe(200);
    const one = await t.admin<{ height: number }>("POST", "/blocks", {});
    expect(one.body.height).toBeGreaterThan(body.height);
  });

  it("POST /time moves the clock: a debtor's user_debt grows by the borrow rate over the skipped time", async () => {
    const t = dn();
    const user = t.account(1);
    await t.exec(user, t.c.redBank, { deposit: {} }, [{ denom: t.atom, amount: "1000000000" }]);
    await t.exec(user, t.c.redBank, { borrow: { denom: t.neutral, amount: "2000000000" } });
    const market = await t.query<{ borrow_rate: string }>(t.c.redBank, { market: { denom: t.neutral } });
    expect(Number(market.borrow_rate)).toBeGreaterThan(0);
    const debt = async () => BigInt((await t.query<{ amount: string }>(t.c.redBank, { user_debt: { user, denom: t.neutral } })).amount);
    const d0 = await debt();
    const before = (await t.admin<Status>("GET", "/status")).body.nextBlockTimeMs;
    const days = 30;
    const moved = await t.admin<{ nextBlockTime: number }>("POST", "/time", { seconds: days * 86_400 });
    expect(moved.status).toBe(200);
    expect(moved.body.nextBlockTime - before).toBeGreaterThanOrEqual(days * 86_400_000);
    expect(moved.body.nextBlockTime - before).toBeLessThan(days * 86_400_000 + 2_000);
    const h = (await t.admin<{ height: number }>("POST", "/blocks", { count: 1 })).body.height;
    expect(new Date((await t.client.getBlock(h)).header.time).getTime()).toBeGreaterThanOrEqual(before + days * 86_400_000);
    const d1 = await debt();
    // Linear accrual: d1 ≈ d0 · (1 + rate · 30 days / year), seconds of normal blocks aside.
    const expected = Number(d0) * (1 + (Number(market.borrow_rate) * days) / 365);
    expect(d1).toBeGreaterThan(d0);
    expect(Math.abs(Number(d1) - expected) / expected).toBeLessThan(1e-4);
  });

  it("POST /prices sets both kinds, only the liquidation kind, or only the default kind", async () => {
    const t = dn();
    const post = (body: unknown) => t.admin<{ ok: boolean }>("POST", "/prices", body);
    expect((await post({ prices: { [t.atom]: "4" } })).body).toEqual({ ok: true }); // kind defaults to both
    expect([await price(t, t.atom, "default"), await price(t, t.atom, "liquidation")]).toEqual(["4", "4"]);
    await post({ prices: { [t.atom]: "3.5" }, kind: "liquidation" });
    expect([await price(t, t.atom, "default"), await price(t, t.atom, "liquidation")]).toEqual(["4", "3.5"]);
    await post({ prices: { [t.atom]: "5" }, kind: "default" });
    expect([await price(t, t.atom, "default"), await price(t, t.atom, "liquidation")]).toEqual(["5", "3.5"]);
    await post({ prices: { [t.atom]: "8", [t.gas]: "0.25" }, kind: "both" });
    expect([await price(t, t.atom, "default"), await price(t, t.atom, "liquidation"), await price(t, t.gas, "liquidation")]).toEqual(["8", "8", "0.25"]);
    // Health follows the liquidation kind: the debtor of the previous test is judged at liquidation prices.
    await post({ prices: { [t.atom]: "2" }, kind: "liquidation" });
    const pos = await t.query<{ health_status: { borrowing: { liq_threshold_hf: string } } }>(t.c.redBank, { user_position_liquidation_pricing: { user: t.account(1) } });
    expect(Number(pos.health_status.borrowing.liq_threshold_hf)).toBeLessThan(1);
    expect((await t.admin<{ redBank: string[] }>("GET", "/liquidatable")).body.redBank).toContain(t.account(1));
    await post({ prices: { [t.atom]: "8" }, kind: "both" });
    expect((await t.admin<{ redBank: string[] }>("GET", "/liquidatable")).body.redBank).not.toContain(t.account(1));
  });

  const BAD: [string, string, unknown, RegExp][] = [
    ["POST", "/prices", { prices: "uosmo=1" }, /prices must be an object/],
    ["POST", "/prices", {}, /prices must be an object/],
    ["POST", "/prices", { prices: { uosmo: 0.5 } }, /price of uosmo must be a positive decimal string/],
    ["POST", "/prices", { prices: { uosmo: "-1" } }, /price of uosmo must be a positive decimal string/],
    ["POST", "/prices", { prices: { uosmo: "1.0000000000000000001" } }, /price of uosmo must be a positive decimal string/],
    ["POST", "/prices", { prices: { uosmo: "0" } }, /price of uosmo must be a positive decimal string/],
    ["POST", "/prices", { prices: { ufoo: "1" }, kind: "liquidation" }, /ufoo is not a market denom/],
    ["POST", "/prices", { prices: { uosmo: "1" }, kind: "twap" }, /kind must be default, liquidation or both/],
    ["POST", "/blocks", { count: 0 }, /count must be a whole number >= 1/],
    ["POST", "/blocks", { count: 1.5 }, /count must be a whole number >= 1/],
    ["POST", "/blocks", { count: "many" }, /count must be a whole number >= 1/],
    ["POST", "/time", {}, /seconds must be a whole number >= 1/],
    ["POST", "/time", { seconds: -60 }, /seconds must be a whole number >= 1/],
    ["POST", "/positions", { count: 0 }, /count must be a whole number >= 1/],
    ["POST", "/credit-accounts", {}, /count must be a whole number >= 1/],
    ["GET", "/liquidations?since=-1", undefined, /since must be a whole number >= 0/],
    ["POST", "/blocks", "{not json", /body is not JSON/],
    ["POST", "/blocks", "[1,2]", /body must be a JSON object/],
  ];

  it.each(BAD)("%s %s with %j answers 400 with an error", async (method, path, body, error) => {
    const t = dn();
    const before = await t.client.getHeight();
    const gasPrice = await price(t, t.gas, "default");
    const res = await t.admin<{ error: string }>(method as "GET" | "POST", path, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(error);
    expect(await price(t, t.gas, "default")).toBe(gasPrice); // nothing was applied
    expect((await t.admin<Status>("GET", "/status")).body).toMatchObject({ redBankPositions: 0, creditAccounts: 0 });
    expect(await t.client.getHeight()).toBeLessThan(before + 5);
  });

  it("unknown routes answer 404 listing the routes", async () => {
    const t = dn();
    const res = await t.admin<{ error: string; routes: string[] }>("POST", "/status");
    expect(res.status).toBe(404);
    expect(res.body.routes).toEqual(expect.arrayContaining(["GET /status", "POST /prices", "POST /blocks", "POST /time", "POST /positions", "POST /credit-accounts", "GET /liquidatable", "GET /liquidations", "GET /bad-debt"]));
  });
});
