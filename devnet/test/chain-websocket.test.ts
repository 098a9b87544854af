import { Comet38Client, WebsocketClient, type comet38 } from "@cosmjs/tendermint-rpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { CHAIN_ID, startChainFixture, type ChainFixture } from "./chain-fixture.js";

/** Collects `n` items from a cosmjs xstream (or fails after `ms`). */
function collect<T>(stream: { subscribe(l: { next(v: T): void; error(e: unknown): void; complete(): void }): { unsubscribe(): void } }, n: number, ms = 5000): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const seen: T[] = [];
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`got ${seen.length} of ${n} events within ${ms} ms`));
    }, ms);
    const sub = stream.subscribe({
      next: (v) => {
        seen.push(v);
        if (seen.length >= n) {
          clearTimeout(timer);
          sub.unsubscribe();
          resolve(seen);
        }
      },
      error: (e) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
      complete: () => undefined,
    });
  });
}

describe("websocket subscriptions", () => {
  let f: ChainFixture;
  let comet: Comet38Client;
  beforeAll(async () => {
    f = await startChainFixture({ blockTimeMs: 100 });
    comet = await Comet38Client.create(new WebsocketClient(f.rpc.url.replace(/^http/, "ws")));
  });
  afterAll(async () => {
    comet.disconnect();
    await f.close();
  });

  it("pushes NewBlock events that cosmjs decodes, heights increasing", async () => {
    const blocks = await collect<comet38.NewBlockEvent>(comet.subscribeNewBlock(), 3);
    const heights = blocks.map((b) => b.header.height);
    expect(heights[1]).toBe(heights[0]! + 1);
    expect(heights[2]).toBe(heights[1]! + 1);
    expect(blocks[0]!.header.chainId).toBe(CHAIN_ID);
    expect(blocks[1]!.lastCommit?.height).toBe(heights[0]);
    const headers = await collect<comet38.Header>(comet.subscribeNewBlockHeader(), 2);
    expect(headers[1]!.height).toBe(headers[0]!.height + 1);
    expect(headers[0]!.time.getTime()).toBe(f.chain.blockTimeAt(headers[0]!.height));
  });

  it("answers ordinary RPC calls over the websocket", async () => {
    const status = await comet.status();
    expect(status.nodeInfo.network).toBe(CHAIN_ID);
    const block = await comet.block(1);
    expect(block.block.header.height).toBe(1);
  });

  it("pushes Tx events filtered by an event query", async () => {
    const client = await f.client();
    const [a0, a1] = f.addresses as [string, string];
    const txs = collect<comet38.TxEvent>(comet.subscribeTx(`wasm._contract_address='${f.counter}'`), 2);
    await new Promise((r) => setTimeout(r, 100));
    await client.sendTokens(a0, a1, [{ denom: "uosmo", amount: "5" }], "auto"); // not a wasm tx: filtered out
    const first = await client.execute(a0, f.counter, { increment: {} }, "auto");
    const second = await client.execute(a1, f.counter, { increment: {} }, "auto");
    const events = await txs;
    expect(events.map((e) => Buffer.from(e.hash).toString("hex").toUpperCase())).toEqual([first.transactionHash, second.transactionHash]);
    expect(events[0]!.height).toBe(first.height);
    expect(events[0]!.result.code).toBe(0);
    expect(events[0]!.result.events.some((e) => e.type === "wasm")).toBe(true);
  });

  it("speaks the raw protocol the original Go manager reads", async () => {
    const ws = new WebSocket(`${f.rpc.url.replace(/^http/, "ws")}/websocket`);
    const messages: { id: number; result?: { query?: string; data?: { type: string; value: { block: { header: Record<string, unknown> } } }; events?: Record<string, string[]> } }[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on("open", () => ws.send(JSON.stringify({ jsonrpc: "2.0", method: "subscribe", id: 0, params: { query: "tm.event='NewBlock'" } })));
      ws.on("message", (d) => {
        messages.push(JSON.parse(d.toString()));
        if (messages.length >= 3) resolve();
      });
      ws.on("error", reject);
    });
    expect(messages[0]).toEqual({ jsonrpc: "2.0", id: 0, result: {} });
    const event = messages[1]!.result!;
    expect(event.query).toBe("tm.event='NewBlock'");
    expect(event.data?.type).toBe("tendermint/event/NewBlock");
    const header = event.data!.value.block.header;
    expect(header).toMatchObject({ chain_id: CHAIN_ID, version: { block: "11", app: "0" } });
    expect(header.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(event.events?.["tm.event"]).toEqual(["NewBlock"]);
    ws.send(JSON.stringify({ jsonrpc: "2.0", method: "unsubscribe", id: 1, params: { query: "tm.event='NewBlock'" } }));
    ws.send(JSON.stringify({ jsonrpc: "2.0", method: "subscribe", id: 2, params: { query: "tm.event='NewBlock' AND" } }));
    const replies = await new Promise<{ id: number; error?: { code: number } }[]>((resolve) => {
      const got: { id: number; error?: { code: number } }[] = [];
      ws.on("message", (d) => {
        const m = JSON.parse(d.toString());
        if (m.id === 1 || m.id === 2) got.push(m);
        if (got.length === 2) resolve(got);
      });
    });
    expect(replies.find((r) => r.id === 1)).toEqual({ jsonrpc: "2.0", id: 1, result: {} });
    expect(replies.find((r) => r.id === 2)?.error?.code).toBe(-32603);
    ws.close();
  });

  it("closing the server ends websocket connections", async () => {
    const g = await startChainFixture({ timer: false });
    const ws = new WebSocket(`${g.rpc.url.replace(/^http/, "ws")}/websocket`);
    await new Promise((r) => ws.on("open", r));
    const closed = new Promise((r) => ws.on("close", r));
    await g.close();
    await closed;
    expect(ws.readyState).toBe(WebSocket.CLOSED);
  });
});
