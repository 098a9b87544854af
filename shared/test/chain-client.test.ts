import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useDevnet, type TestDevnet } from "../../devnet/test/support/devnet.js";
import { AllEndpointsFailedError, ChainClient, ContractQueryError, HiveClient, compareBytes, prefixEnd, type StateModel } from "../src/index.js";

/**
 * The chain clients against the in-process devnet over real sockets: CometBFT RPC reads, raw
 * state paging and range scans, block events, failover from a dead node, the LCD fallback, and
 * batched Hive queries checked against one smart query each.
 */

const POSITIONS = 20;
const dn = useDevnet(["--chain", "osmosis", "--positions", String(POSITIONS), "--activity", "0"]);

/** Red Bank `debts` map prefix (spec §3.2). */
const DEBTS = Buffer.from("00056465627473", "hex");

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const entries = (models: StateModel[]) => models.map((m) => [hex(m.key), Buffer.from(m.value).toString("utf8")]);

/** A loopback URL nothing listens on (a port that was just bound and released). */
async function deadUrl(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** The debtor address of a `debts` key: prefix, u16 length, address, denom. */
function debtor(key: Uint8Array): string {
  const k = Buffer.from(key);
  return k.subarray(DEBTS.length + 2, DEBTS.length + 2 + k.readUInt16BE(DEBTS.length)).toString("utf8");
}

/** Every entry of a contract's state in one page. */
async function wholeState(client: ChainClient, contract: string): Promise<StateModel[]> {
  const page = await client.allState(contract, { limit: 100_000 });
  expect(page.nextKey).toBeNull();
  return page.models;
}

describe("keys", () => {
  it.each([
    ["00056465627473", "00056465627474"],
    ["00ff", "01"],
    ["01ffff", "02"],
    ["ffff", null],
    ["", null],
  ])("prefixEnd(%s) = %s", (prefix, end) => {
    const result = prefixEnd(Buffer.from(prefix, "hex"));
    expect(result === null ? null : hex(result)).toBe(end);
  });

  it("compareBytes orders bytewise, a prefix before its extensions", () => {
    const keys = ["0100", "00ff", "01", "", "00"].map((h) => Buffer.from(h, "hex"));
    expect(keys.sort(compareBytes).map(hex)).toEqual(["", "00", "00ff", "01", "0100"]);
  });
});

describe("ChainClient over RPC", () => {
  let t: TestDevnet;
  let client: ChainClient;
  beforeAll(() => {
    t = dn();
    client = new ChainClient({ rpc: [t.ready.rpc] });
  });

  it("status and block: chain id, heights and header times in unix seconds", async () => {
    await t.admin("POST", "/blocks", { count: 6 });
    const s = await client.status();
    expect(s.chainId).toBe(t.ready.chainId);
    expect(s.height).toBeGreaterThanOrEqual(6);
    const latest = await client.block(s.height);
    expect(latest).toEqual({ height: s.height, timeSec: s.timeSec });
    // Header times advance by exactly --block-time-ms (200 ms): five blocks are one second.
    expect((await client.block(s.height - 5)).timeSec).toBe(s.timeSec - 1);
    const header = (await t.comet.block(s.height)).block.header;
    expect(s.timeSec).toBe(Math.floor(header.time.getTime() / 1000));
  });

  it("smart: the same answer as cosmjs queryContractSmart, in one HTTP request", async () => {
    const msg = { markets: { limit: 30 } };
    const before = client.queryCount;
    const markets = await client.smart<{ denom: string }[]>(t.c.redBank, msg);
    expect(client.queryCount - before).toBe(1);
    expect(markets).toEqual(await t.query(t.c.redBank, msg));
    expect(markets.map((m) => m.denom)).toContain(t.neutral);
  });

  it("smart: a contract error is a ContractQueryError with the chain's text, not failed over", async () => {
    const twoNodes = new ChainClient({ rpc: [t.ready.rpc, t.ready.rpc] });
    const err = await twoNodes.smart(t.c.redBank, { market_v2: { denom: "unosuchdenom" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractQueryError);
    const e = err as ContractQueryError;
    expect([e.code, e.contract, e.query]).toEqual(["ERR_CONTRACT_QUERY", t.c.redBank, "market_v2"]);
    expect(e.log).toContain("query wasm contract failed");
    expect(e.log).toContain("not found");
    const cosmjsError = await t.query(t.c.redBank, { market_v2: { denom: "unosuchdenom" } }).catch((x: Error) => x.message);
    expect(cosmjsError).toContain(e.log);
    expect(twoNodes.queryCount).toBe(1);
  });

  it("allState: pages of 3 chained by nextKey give exactly the entries of one big page", async () => {
    const all = await wholeState(client, t.c.redBank);
    const paged: StateModel[] = [];
    let startKey: Uint8Array | undefined;
    let pages = 0;
    for (;;) {
      const page = await client.allState(t.c.redBank, { startKey, limit: 3 });
      expect(page.models.length).toBeLessThanOrEqual(3);
      expect(page.height).toBeGreaterThan(0);
      paged.push(...page.models);
      pages++;
      if (!page.nextKey) break;
      startKey = page.nextKey;
    }
    expect(all.length).toBeGreaterThan(3 * POSITIONS);
    expect(pages).toBe(Math.ceil(all.length / 3));
    expect(entries(paged)).toEqual(entries(all));
  });

  it("scanRange over the debts prefix yields exactly the debts entries and stops at the prefix end", async () => {
    const expected = (await wholeState(client, t.c.redBank)).filter((m) => hex(m.key).startsWith(hex(DEBTS)));
    const pageLimit = 7;
    const before = client.queryCount;
    const scanned: StateModel[] = [];
    for await (const page of client.scanRange(t.c.redBank, DEBTS, prefixEnd(DEBTS), { pageLimit })) {
      expect(page.models.length).toBeGreaterThan(0);
      scanned.push(...page.models);
    }
    expect(entries(scanned)).toEqual(entries(expected));
    expect(new Set(scanned.map((m) => debtor(m.key))).size).toBe(POSITIONS);
    // The page holding the first key past the prefix is the last one read (markets follow debts).
    expect(client.queryCount - before).toBe(Math.floor(expected.length / pageLimit) + 1);
  });

  it("scanRange with no end reads to the end of the state", async () => {
    const all = await wholeState(client, t.c.redBank);
    const scanned: StateModel[] = [];
    for await (const page of client.scanRange(t.c.redBank, DEBTS, null, { pageLimit: 50 })) scanned.push(...page.models);
    expect(entries(scanned)).toEqual(entries(all.filter((m) => compareBytes(m.key, DEBTS) >= 0)));
  });

  it("blockTxEvents: the events of each successful tx of a block, failed txs left out", async () => {
    const r = await t.exec(t.account(1), t.c.redBank, { deposit: {} }, [{ denom: t.neutral, amount: "1000000" }]);
    const txs = await client.blockTxEvents(r.height);
    const ours = txs.find((events) => events.some((e) => e.type === "tx" && e.attributes.some((a) => a.key === "fee")));
    expect(ours).toBeDefined();
    const wasm = txs.flat().filter((e) => e.type === "wasm");
    expect(wasm.map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])))).toContainEqual(
      expect.objectContaining({ _contract_address: t.c.redBank, action: "deposit", sender: t.account(1) }),
    );
    const failed = await t.send(t.account(2), [{ contract: t.c.redBank, msg: { deposit: {} } }]);
    expect(failed.code).not.toBe(0);
    const failedBlock = await client.blockTxEvents(failed.height);
    expect(failedBlock.flat().filter((e) => e.type === "wasm" || e.type === "execute")).toEqual([]);
  });
});

describe("ChainClient JSON-RPC batches", () => {
  /** An HTTP proxy in front of the devnet's RPC that counts requests and, when `batches` is off, answers a batch as some proxies do. */
  async function proxy(t: TestDevnet, o: { batches: boolean }) {
    const seen: { calls: number; methods: string[] }[] = [];
    const server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const parsed = JSON.parse(body) as { method: string } | { method: string }[];
        const list = Array.isArray(parsed) ? parsed : [parsed];
        seen.push({ calls: list.length, methods: list.map((c) => c.method) });
        if (Array.isArray(parsed) && !o.batches) {
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "batch requests are not supported" } }));
          return;
        }
        const answer = await fetch(t.ready.rpc, { method: "POST", headers: { "content-type": "application/json" }, body });
        res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => server.close(r)) };
  }

  it("reads made together leave in one request and get their own answers; simulations go alone", async () => {
    const t = dn();
    const p = await proxy(t, { batches: true });
    try {
      const client = new ChainClient({ rpc: [p.url] });
      const users = (await t.query<{ denom: string }[]>(t.c.redBank, { markets: { limit: 30 } })).map((m) => m.denom);
      const asked = users.map((denom) => ({ market: { denom } }));
      const answers = await Promise.all(asked.map((q) => client.smart(t.c.redBank, q)));
      expect(answers).toEqual(await Promise.all(asked.map((q) => t.query(t.c.redBank, q))));
      expect(p.seen).toEqual([{ calls: asked.length, methods: asked.map(() => "abci_query") }]);
      // A contract error in a batch is that call's own, the others are answered.
      const mixed = await Promise.allSettled([client.smart(t.c.redBank, { market_v2: { denom: "unosuchdenom" } }), client.smart(t.c.redBank, asked[0])]);
      expect(mixed[0].status === "rejected" && mixed[0].reason).toBeInstanceOf(ContractQueryError);
      expect(mixed[1]).toEqual({ status: "fulfilled", value: answers[0] });
      // Simulations never wait in a batch.
      p.seen.length = 0;
      await Promise.all([client.abciQuery("/cosmos.tx.v1beta1.Service/Simulate", new Uint8Array()), client.abciQuery("/cosmos.tx.v1beta1.Service/Simulate", new Uint8Array())]);
      expect(p.seen.map((x) => x.calls)).toEqual([1, 1]);
      // At most maxBatch calls per request.
      p.seen.length = 0;
      const small = new ChainClient({ rpc: [p.url], maxBatch: 3 });
      await Promise.all(Array.from({ length: 7 }, () => small.smart(t.c.redBank, asked[0])));
      expect(p.seen.map((x) => x.calls)).toEqual([3, 3, 1]);
    } finally {
      await p.close();
    }
  });

  it("a node that does not answer batches gets one call per request from then on, and every read its answer", async () => {
    const t = dn();
    const p = await proxy(t, { batches: false });
    try {
      const client = new ChainClient({ rpc: [p.url] });
      const q = { markets: { limit: 30 } };
      const expected = await t.query(t.c.redBank, q);
      expect(await Promise.all([client.smart(t.c.redBank, q), client.smart(t.c.redBank, q)])).toEqual([expected, expected]);
      expect(p.seen.map((x) => x.calls)).toEqual([2, 1, 1]);
      await Promise.all([client.smart(t.c.redBank, q), client.smart(t.c.redBank, q)]);
      expect(p.seen.map((x) => x.calls)).toEqual([2, 1, 1, 1, 1]);
    } finally {
      await p.close();
    }
  });
});

describe("ChainClient failover", () => {
  let t: TestDevnet;
  let dead: string;
  let broken: Server;
  let brokenUrl: string;
  beforeAll(async () => {
    t = dn();
    dead = await deadUrl();
    broken = createHttpServer((_req, res) => res.writeHead(502, { "content-type": "text/html" }).end(`<html>${"x".repeat(1000)}</html>`));
    await new Promise<void>((resolve) => broken.listen(0, "127.0.0.1", resolve));
    brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => broken.close(resolve));
  });

  it("a dead first RPC fails over to the second; the next call goes straight to the good one", async () => {
    const client = new ChainClient({ rpc: [dead, t.ready.rpc], timeoutMs: 2_000 });
    expect((await client.status()).chainId).toBe(t.ready.chainId);
    expect(client.queryCount).toBe(2);
    await client.status();
    expect(client.queryCount).toBe(3);
  });

  it("errors name the endpoint, the method, the status and the start of the body", async () => {
    const client = new ChainClient({ rpc: [dead, brokenUrl] });
    const err = (await client.status().catch((e: unknown) => e)) as AllEndpointsFailedError;
    expect(err).toBeInstanceOf(AllEndpointsFailedError);
    expect(err.failures[0]!.error).toMatch(new RegExp(`^rpc status at ${dead} failed: connect ECONNREFUSED `));
    expect(err.failures[1]!.error).toBe(`rpc status at ${brokenUrl}: HTTP 502: <html>${"x".repeat(194)}…`);
  });

  it("a node slower than the timeout fails over", async () => {
    const silent = createHttpServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const client = new ChainClient({ rpc: [silentUrl, t.ready.rpc], timeoutMs: 300 });
      expect((await client.status()).chainId).toBe(t.ready.chainId);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("every RPC dead: smart and allState fall back to the LCD with the same answers", async () => {
    const viaRpc = new ChainClient({ rpc: [t.ready.rpc] });
    const viaLcd = new ChainClient({ rpc: [dead], lcd: [t.ready.lcd] });
    const msg = { markets: { limit: 30 } };
    expect(await viaLcd.smart(t.c.redBank, msg)).toEqual(await viaRpc.smart(t.c.redBank, msg));
    expect(viaLcd.queryCount).toBe(2);

    const first = await viaRpc.allState(t.c.redBank, { startKey: DEBTS, limit: 5 });
    const page = await viaLcd.allState(t.c.redBank, { startKey: DEBTS, limit: 5 });
    expect(entries(page.models)).toEqual(entries(first.models));
    expect(hex(page.nextKey!)).toBe(hex(first.nextKey!));
    expect(page.height).toBeGreaterThanOrEqual(first.height);
    const scanned: StateModel[] = [];
    for await (const p of viaLcd.scanRange(t.c.redBank, DEBTS, prefixEnd(DEBTS), { pageLimit: 9 })) scanned.push(...p.models);
    const expected: StateModel[] = [];
    for await (const p of viaRpc.scanRange(t.c.redBank, DEBTS, prefixEnd(DEBTS), { pageLimit: 100 })) expected.push(...p.models);
    expect(entries(scanned)).toEqual(entries(expected));

    const err = await viaLcd.smart(t.c.redBank, { market_v2: { denom: "unosuchdenom" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractQueryError);
    expect((err as ContractQueryError).log).toContain("not found");
  });

  it("RPC and LCD all dead: one error lists every endpoint", async () => {
    const client = new ChainClient({ rpc: [dead], lcd: [brokenUrl] });
    const err = (await client.smart(t.c.redBank, { markets: {} }).catch((e: unknown) => e)) as AllEndpointsFailedError;
    expect(err).toBeInstanceOf(AllEndpointsFailedError);
    expect(err.failures.map((f) => f.endpoint)).toEqual([dead, brokenUrl]);
    expect(err.failures[1]!.error).toMatch(/^lcd wasm smart at http:\/\/127\.0\.0\.1:\d+: HTTP 502, the answer is not JSON: <html>x+…$/);
  });
});

describe("HiveClient", () => {
  let t: TestDevnet;
  let users: string[];
  beforeAll(async () => {
    t = dn();
    // Zero interest everywhere, so positions do not change between blocks while we compare.
    await t.zeroInterest(t.ready.denoms.map((d) => d.denom));
    const client = new ChainClient({ rpc: [t.ready.rpc] });
    const debtors = new Set<string>();
    for await (const page of client.scanRange(t.c.redBank, DEBTS, prefixEnd(DEBTS), { pageLimit: 100 })) page.models.forEach((m) => debtors.add(debtor(m.key)));
    const withoutPosition = Array.from({ length: 12 }, (_, i) => t.account(i + 1));
    const pool = [...debtors, ...withoutPosition];
    users = Array.from({ length: 120 }, (_, i) => (i === 77 ? "osmo1notanaddress" : pool[i % pool.length]!));
  });

  it("120 user_position_liquidation_pricing queries answer as 120 smart queries, in order", async () => {
    const queries = users.map((user) => ({ contract: t.c.redBank, msg: { user_position_liquidation_pricing: { user } } }));
    const hive = new HiveClient({ endpoints: [t.ready.hive] });
    const results = await hive.contractQueries(queries);
    expect(hive.queryCount).toBe(1);

    const chain = new ChainClient({ rpc: [t.ready.rpc] });
    const expected = await Promise.all(
      queries.map((q) => chain.smart(q.contract, q.msg).then((data) => ({ ok: true as const, data }), (err: ContractQueryError) => ({ ok: false as const, error: err.log }))),
    );
    expect(results).toHaveLength(120);
    results.forEach((r, i) => {
      const e = expected[i]!;
      expect(r, `query ${i}`).toEqual(e.ok ? e : { ok: false, error: expect.stringMatching(/^Generic error: addr_validate errored/) });
      // Hive gives the contract's text; the chain's log wraps it (`Generic error: <text>: query wasm contract failed: ...`).
      if (!r.ok && !e.ok) expect(e.error).toContain(`${r.error}: query wasm contract failed`);
    });
    expect(results.filter((r) => !r.ok)).toHaveLength(1);
    expect(results.filter((r) => r.ok && (r.data as { health_status: unknown }).health_status !== "not_borrowing").length).toBeGreaterThan(0);

    // Smaller operations and batches: more HTTP requests, the same results.
    const small = new HiveClient({ endpoints: [t.ready.hive] });
    expect(await small.contractQueries(queries, { aliasesPerOperation: 7, operationsPerRequest: 4 })).toEqual(results);
    expect(small.queryCount).toBe(Math.ceil(Math.ceil(120 / 7) / 4));
  });

  it("mixes contracts in one operation and fails over from a dead endpoint", async () => {
    const hive = new HiveClient({ endpoints: [await deadUrl(), t.ready.hive] });
    const results = await hive.contractQueries([
      { contract: t.c.redBank, msg: { markets: { limit: 30 } } },
      { contract: t.c.oracle, msg: { price: { denom: t.neutral } } },
      { contract: t.c.redBank, msg: { no_such_query: {} } },
    ]);
    expect(results[0]).toEqual({ ok: true, data: await t.query(t.c.redBank, { markets: { limit: 30 } }) });
    expect(results[1]).toEqual({ ok: true, data: await t.query(t.c.oracle, { price: { denom: t.neutral } }) });
    expect(results[2]).toEqual({ ok: false, error: expect.stringContaining("no_such_query") });
    expect(hive.queryCount).toBe(2);
    expect(await hive.contractQueries([])).toEqual([]);
  });
});
