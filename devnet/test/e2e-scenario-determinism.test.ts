import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanDebts, type RawDebt } from "./support/chain-data.js";
import { startTestDevnet, type TestDevnet } from "./support/devnet.js";

/**
 * Determinism of the scenario engine: two devnets started with the same seed — genesis positions,
 * random-walk prices, background activity signed by seeded actors — show the same debtors (raw
 * `debts` entries, amounts included), the same oracle prices and the same chain (app hash, block
 * id) at the same height; a third with another seed differs. The block timer is parked (10 min
 * blocks) and every block is produced through the admin API, so heights line up exactly.
 */

const ARGS = ["--chain", "osmosis", "--scenario", "random-walk", "--positions", "150", "--activity", "4", "--block-time-ms", "600000"];
const BLOCKS = 15;

interface Snapshot {
  height: number;
  debts: RawDebt[];
  prices: { denom: string; price: string }[];
  appHash: string;
  blockId: string;
}

async function snapshot(t: TestDevnet): Promise<Snapshot> {
  const status = await t.comet.status();
  const height = status.syncInfo.latestBlockHeight;
  const block = await t.client.getBlock(height);
  return {
    height,
    debts: (await scanDebts(t)).entries,
    prices: await t.query(t.c.oracle, { prices: { limit: 30 } }),
    appHash: Buffer.from(status.syncInfo.latestAppHash ?? new Uint8Array()).toString("hex"),
    blockId: block.id,
  };
}

describe("scenario determinism", () => {
  let a: TestDevnet, b: TestDevnet, c: TestDevnet;
  let first: Snapshot[];
  beforeAll(async () => {
    [a, b, c] = await Promise.all([startTestDevnet([...ARGS, "--seed", "11"]), startTestDevnet([...ARGS, "--seed", "11"]), startTestDevnet([...ARGS, "--seed", "12"])]);
    first = await Promise.all([a, b, c].map(snapshot));
    for (let i = 0; i < BLOCKS; i++) {
      // One block at a time: the activity signed at a block's begin joins the next one.
      for (const t of [a, b, c]) expect((await t.admin<{ height: number }>("POST", "/blocks", { count: 1 })).body.height).toBe(i + 2);
    }
  });
  afterAll(async () => {
    await Promise.all([a, b, c].map((t) => t?.stop()));
  });

  it("the same seed gives the same debtors, prices and chain at the same height", async () => {
    const [sa, sb] = await Promise.all([snapshot(a), snapshot(b)]);
    expect(sa.height).toBe(BLOCKS + 1);
    expect(sb).toEqual(sa);
    expect(first[1]).toEqual(first[0]);
    // Things did happen: activity added debtors and the random walk moved prices.
    expect(new Set(sa.debts.map((d) => d.user)).size).toBeGreaterThan(new Set(first[0]!.debts.map((d) => d.user)).size);
    expect(sa.prices).not.toEqual(first[0]!.prices);
    const background = await a.client.searchTx(`wasm._contract_address='${a.c.redBank}'`);
    expect(background.length).toBeGreaterThan(BLOCKS * 2);
  });

  it("another seed gives other debtors, prices and chain", async () => {
    const [sa, sc] = await Promise.all([snapshot(a), snapshot(c)]);
    expect(sc.height).toBe(sa.height);
    expect(new Set(sc.debts.map((d) => d.user))).not.toEqual(new Set(sa.debts.map((d) => d.user)));
    expect(sc.prices).not.toEqual(sa.prices);
    expect(sc.appHash).not.toBe(sa.appHash);
    expect(sc.blockId).not.toBe(sa.blockId);
  });
});
