import { setupWasmExtension } from "@cosmjs/cosmwasm";
import { setupAuthExtension, setupBankExtension, QueryClient } from "@cosmjs/stargate";
import { connectComet, type CometClient } from "@cosmjs/tendermint-rpc";
import { QueryAllContractStateRequest, QueryAllContractStateResponse } from "cosmjs-types/cosmwasm/wasm/v1/query";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { toUtf8 } from "@cosmjs/encoding";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mapKey } from "../src/state/storage.js";
import { CHAIN_ID, GAS, USDC, startChainFixture, type ChainFixture } from "./chain-fixture.js";

type Json = Record<string, unknown>;
const b64json = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64");

describe("ABCI queries and LCD routes", () => {
  let f: ChainFixture;
  let comet: CometClient;
  let qc: ReturnType<typeof makeQueryClient>;
  const entryKey = (i: number) => Buffer.from(mapKey("entries", `k${String(i).padStart(4, "0")}`), "latin1");
  function makeQueryClient(c: CometClient) {
    return QueryClient.withExtensions(c, setupWasmExtension, setupAuthExtension, setupBankExtension);
  }
  const lcd = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${f.lcd.url}${path}`, init);
    return { status: res.status, body: (await res.json()) as Json };
  };

  beforeAll(async () => {
    f = await startChainFixture({ blockTimeMs: 100 });
    const client = await f.client();
    await client.execute(f.addresses[0]!, f.counter, { fill: { n: 25 } }, "auto");
    await client.execute(f.addresses[0]!, f.counter, { increment: { by: 3 } }, "auto");
    comet = await connectComet(f.rpc.url);
    qc = makeQueryClient(comet);
  });
  afterAll(async () => {
    comet.disconnect();
    await f.close();
  });

  it("raw contract state by key", async () => {
    const raw = async (key: Uint8Array) => Buffer.from((await qc.wasm.queryContractRaw(f.counter, key)).data).toString();
    expect(JSON.parse(await raw(Buffer.from("count")))).toBe(3);
    expect(JSON.parse(await raw(entryKey(7)))).toEqual({ n: 7 });
    expect(await raw(Buffer.from("missing"))).toBe("");
  });

  it("all contract state: bytewise order, key pagination with next_key, offset and count_total", async () => {
    const all = await qc.wasm.getAllContractState(f.counter);
    const keys = all.models.map((m) => Buffer.from(m.key).toString("latin1"));
    expect(keys).toEqual([...keys].sort());
    expect(keys).toHaveLength(27); // contract_info, count, 25 entries
    expect(all.pagination?.nextKey.length).toBe(0);

    // Walk with limit 10 and next_key, exactly as a collector does.
    const walk = async (limit: number) => {
      const seen: string[] = [];
      let key: Uint8Array = new Uint8Array();
      for (;;) {
        const data = QueryAllContractStateRequest.encode({ address: f.counter, pagination: { key, offset: 0n, limit: BigInt(limit), countTotal: false, reverse: false } }).finish();
        const res = QueryAllContractStateResponse.decode((await qc.queryAbci("/cosmwasm.wasm.v1.Query/AllContractState", data)).value);
        seen.push(...res.models.map((m) => Buffer.from(m.key).toString("latin1")));
        key = res.pagination!.nextKey;
        if (key.length === 0) return seen;
      }
    };
    expect(await walk(10)).toEqual(keys);
    expect(await walk(1)).toEqual(keys);

    // Offset paging with count_total (the original collector's and manager's way).
    const data = QueryAllContractStateRequest.encode({ address: f.counter, pagination: { key: new Uint8Array(), offset: 20n, limit: 5n, countTotal: true, reverse: false } }).finish();
    const page = QueryAllContractStateResponse.decode((await qc.queryAbci("/cosmwasm.wasm.v1.Query/AllContractState", data)).value);
    expect(page.models.map((m) => Buffer.from(m.key).toString("latin1"))).toEqual(keys.slice(20, 25));
    expect(page.pagination!.total).toBe(27n);

    // A start key (inclusive), as cosmjs' getAllContractState(address, paginationKey) sends it.
    const fromEntries = await qc.wasm.getAllContractState(f.counter, entryKey(20));
    expect(fromEntries.models.map((m) => Buffer.from(m.key).toString("latin1"))).toEqual(keys.slice(keys.indexOf(entryKey(20).toString("latin1"))));
    expect(fromEntries.pagination?.total).toBe(0n);
  });

  it("auth and bank queries, with NotFound for unknown accounts", async () => {
    const acc = await qc.auth.account(f.addresses[0]!);
    expect(acc?.typeUrl).toBe("/cosmos.auth.v1beta1.BaseAccount");
    expect(await qc.bank.balance(f.addresses[1]!, USDC)).toEqual({ denom: USDC, amount: "5000000000" });
    await expect(qc.auth.account(f.addresses[4]!)).rejects.toThrow(`Query failed with (22): rpc error: code = NotFound desc = account ${f.addresses[4]} not found: key not found`);
    await expect(qc.bank.balance("cosmos1xyz", GAS)).rejects.toThrow(/Query failed with \(18\): decoding bech32 failed/);
    await expect(qc.queryAbci("/no.such.Service/Method", new Uint8Array())).rejects.toThrow("Query failed with (6): unknown query path: /no.such.Service/Method: unknown request");
  });

  it("LCD wasm routes: smart, raw, state with pagination.key/next_key, contract info", async () => {
    const smart = await lcd(`/cosmwasm/wasm/v1/contract/${f.counter}/smart/${b64json({ count: {} })}`);
    expect(smart).toEqual({ status: 200, body: { data: { count: 3 } } });
    const raw = await lcd(`/cosmwasm/wasm/v1/contract/${f.counter}/raw/${Buffer.from("count").toString("base64")}`);
    expect(raw.body).toEqual({ data: Buffer.from("3").toString("base64") });
    const first = await lcd(`/cosmwasm/wasm/v1/contract/${f.counter}/state?pagination.limit=4`);
    const models = first.body.models as { key: string; value: string }[];
    expect(models).toHaveLength(4);
    expect(models[0]!.key).toMatch(/^[0-9A-F]+$/);
    const next = (first.body.pagination as { next_key: string; total: string }).next_key;
    expect(typeof next).toBe("string");
    const second = await lcd(`/cosmwasm/wasm/v1/contract/${f.counter}/state?pagination.key=${encodeURIComponent(next)}&pagination.limit=100`);
    expect((second.body.models as unknown[]).length).toBe(23);
    expect(second.body.pagination).toEqual({ next_key: null, total: "0" });
    const info = await lcd(`/cosmwasm/wasm/v1/contract/${f.counter}`);
    expect((info.body.contract_info as Json).label).toBe("counter");

    const failing = await lcd(`/cosmwasm/wasm/v1/contract/${f.counter}/smart/${b64json({ boom: {} })}`);
    expect(failing.status).toBe(500);
    expect(failing.body).toEqual({ code: 2, message: "Generic error: unknown query boom: query wasm contract failed: unknown request", details: [] });
  });

  it("LCD bank, auth, fee and block routes", async () => {
    const [a0, , , , fresh] = f.addresses as [string, string, string, string, string];
    const balances = await lcd(`/cosmos/bank/v1beta1/balances/${f.addresses[1]}`);
    expect(balances.body).toEqual({ balances: [{ denom: GAS, amount: "1000000000000" }, { denom: USDC, amount: "5000000000" }], pagination: { next_key: null, total: "2" } });
    const acc = await lcd(`/cosmos/auth/v1beta1/accounts/${a0}`);
    expect(acc.body.account).toMatchObject({ "@type": "/cosmos.auth.v1beta1.BaseAccount", address: a0, account_number: "0", sequence: "2" });
    const missing = await lcd(`/cosmos/auth/v1beta1/accounts/${fresh}`);
    expect(missing).toEqual({ status: 404, body: { code: 5, message: `rpc error: code = NotFound desc = account ${fresh} not found: key not found`, details: [] } });
    expect((await lcd("/osmosis/txfees/v1beta1/cur_eip_base_fee")).body).toEqual({ base_fee: "0.025000000000000000" });
    const latest = await lcd("/cosmos/base/tendermint/v1beta1/blocks/latest");
    const header = (latest.body.block as { header: { chain_id: string; height: string } }).header;
    expect(header.chain_id).toBe(CHAIN_ID);
    expect(Number(header.height)).toBeGreaterThan(0);
    expect((await lcd("/no/such/route")).status).toBe(404);
  });

  it("LCD simulate and broadcast (sync)", async () => {
    const client = await f.client();
    const [, , a2] = f.addresses as [string, string, string];
    const msg = { typeUrl: "/cosmwasm.wasm.v1.MsgExecuteContract", value: { sender: a2, contract: f.counter, msg: toUtf8(JSON.stringify({ increment: {} })), funds: [] } };
    const { accountNumber, sequence } = await client.getSequence(a2);
    const signed = TxRaw.encode(await client.sign(a2, [msg], { amount: [{ denom: GAS, amount: "10000" }], gas: "400000" }, "", { accountNumber, sequence, chainId: CHAIN_ID })).finish();
    const txBytes = Buffer.from(signed).toString("base64");
    const sim = await lcd("/cosmos/tx/v1beta1/simulate", { method: "POST", body: JSON.stringify({ tx_bytes: txBytes }) });
    expect(sim.status).toBe(200);
    const gasUsed = Number((sim.body.gas_info as { gas_used: string }).gas_used);
    expect(gasUsed).toBeGreaterThan(60_000);
    expect(gasUsed).toBe(await client.simulate(a2, [msg], ""));
    const sent = await lcd("/cosmos/tx/v1beta1/txs", { method: "POST", body: JSON.stringify({ tx_bytes: txBytes, mode: "BROADCAST_MODE_SYNC" }) });
    const txResponse = sent.body.tx_response as { code: number; txhash: string };
    expect(txResponse.code).toBe(0);
    const included = await client.broadcastTx(signed).catch((e: Error) => e.message);
    expect(included).toMatch(/tx already exists in cache|not yet found|sequence mismatch/);
    for (let i = 0; i < 50 && !(await client.getTx(txResponse.txhash)); i++) await new Promise((r) => setTimeout(r, 50));
    expect((await client.getTx(txResponse.txhash))?.code).toBe(0);
    const got = await lcd(`/cosmos/tx/v1beta1/txs/${txResponse.txhash}`);
    expect(got.status).toBe(200);
    const gotTx = got.body.tx as { body: { messages: Json[] }; auth_info: { signer_infos: { sequence: string }[] } };
    expect(gotTx.body.messages[0]).toEqual({ "@type": "/cosmwasm.wasm.v1.MsgExecuteContract", sender: a2, contract: f.counter, msg: { increment: {} }, funds: [] });
    expect(gotTx.auth_info.signer_infos[0]!.sequence).toBe(String(sequence));
    expect((got.body.tx_response as { code: number; height: string }).code).toBe(0);
    expect((await lcd(`/cosmos/tx/v1beta1/txs/${"AB".repeat(32)}`)).status).toBe(404);
    const again = await lcd("/cosmos/tx/v1beta1/txs", { method: "POST", body: JSON.stringify({ tx_bytes: txBytes, mode: "BROADCAST_MODE_SYNC" }) });
    expect((again.body.tx_response as { code: number; raw_log: string }).code).toBe(32);
  });
});
