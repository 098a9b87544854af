import { DevnetProcess } from "@mlb/devnet";
import { ChainClient, resolveMarsAddresses, readMarketState, pagedList, mars } from "@mlb/shared";
const d = await DevnetProcess.start({ flags: ["--positions", "3000", "--accounts", "300", "--scenario", "idle", "--funded", "10", "--activity", "0"] });
await d.waitForHeightAbove(2);
await d.crash(25);
await d.waitForHeightAbove((await d.status()).height + 1);
const l = await d.admin("GET", "/liquidatable"); const b = await d.admin("GET", "/bad-debt");
const bad = new Set(b.redBank.map((x) => x.user));
const client = new ChainClient({ rpc: [d.ready.rpc], lcd: [d.ready.lcd] });
const a = await resolveMarsAddresses(client, { ADDRESS_PROVIDER_ADDRESS: d.ready.contracts.addressProvider });
const st = await client.status();
const market = await readMarketState(client, a, st, { creditManager: false });
let n = 0, neg = 0;
for (const user of l.redBank) {
  if (bad.has(user)) continue;
  const debts = await pagedList(client, a.redBank, "user_debts", { user }, (x) => x.denom);
  const colls = await pagedList(client, a.redBank, "user_collaterals", { user, account_id: null }, (x) => x.denom);
  const pos = mars.redBankPositionFromJson(colls, debts);
  const health = mars.redBankHealth(pos, market.snapshot);
  const opts = mars.bestLiquidation(pos, market.snapshot, market.rules, { health });
  if (opts.length > 0 && opts[0].profitValue <= 0n) neg++;
  if (opts.length === 0 && n++ < 3) console.log(JSON.stringify({ user, hf: String(health.liquidationHealthFactor), debts, colls }, (k, v) => typeof v === "bigint" ? v.toString() : v));
}
console.log("liquidatable", l.redBank.length, "bad", bad.size, "empty", n, "best<=0", neg);
await d.stop();
