/**
 * The block watcher against a devnet over a real websocket, through a TCP proxy the test can cut:
 * after the connection drops it reconnects and fills the missed heights from RPC, so every height
 * is delivered once and in order.
 */
import { afterAll, describe, expect, it } from "vitest";
import { ChainClient, createLogger } from "@mlb/shared";
import { useDevnet } from "../../devnet/test/support/devnet.js";
import { BlockWatcher } from "../src/block-watcher.js";
import { proxy } from "./support/ws-proxy.js";

describe("BlockWatcher", () => {
  const devnet = useDevnet(["--block-time-ms", "100"]);
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of closers) await c();
  });

  it("delivers every height once, in order, across a dropped websocket (backfilled from RPC)", async () => {
    const t = devnet();
    const p = await proxy(new URL(t.ready.rpc));
    closers.push(p.close);
    const heights: number[] = [];
    const watcher = new BlockWatcher({
      endpoints: [p.url],
      client: new ChainClient({ rpc: [t.ready.rpc] }),
      logger: createLogger({ service: "test", level: "silent" }),
      onBlock: async (h) => void heights.push(h),
      onStalled: () => undefined,
    });
    await watcher.start();
    closers.push(() => watcher.stop());
    while (heights.length < 5) await new Promise((r) => setTimeout(r, 50));
    // Down for a second: about ten blocks happen meanwhile; the watcher retries with backoff.
    p.cut(1_000);
    await new Promise((r) => setTimeout(r, 1_200));
    const resumeAt = (await t.admin<{ height: number }>("GET", "/status")).body.height;
    while ((heights.at(-1) ?? 0) < resumeAt + 3) await new Promise((r) => setTimeout(r, 50));
    await watcher.stop();
    expect(watcher.stats.reconnects).toBeGreaterThanOrEqual(1);
    expect(watcher.stats.backfilled).toBeGreaterThan(0);
    for (let i = 1; i < heights.length; i++) expect(heights[i], `after ${heights[i - 1]}`).toBe(heights[i - 1]! + 1);
  });

  it("fails over to the next endpoint and calls onStalled after the configured silence", async () => {
    const t = devnet();
    let stalled = 0;
    const heights: number[] = [];
    const watcher = new BlockWatcher({
      endpoints: ["ws://127.0.0.1:1/websocket", t.ready.rpc.replace(/^http/, "ws") + "/websocket"],
      client: new ChainClient({ rpc: [t.ready.rpc] }),
      logger: createLogger({ service: "test", level: "silent" }),
      onBlock: async (h) => void heights.push(h),
      warnAfterMs: 100,
      exitAfterMs: 300,
      onStalled: () => void stalled++,
    });
    await watcher.start();
    while (heights.length < 3) await new Promise((r) => setTimeout(r, 50));
    expect(stalled).toBe(0);
    // The chain stalls: no block for longer than exitAfterMs.
    t.devnet.chain.stop();
    await new Promise((r) => setTimeout(r, 600));
    t.devnet.chain.start();
    await watcher.stop();
    expect(stalled).toBeGreaterThan(0);
  });
});
