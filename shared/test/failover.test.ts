import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AllEndpointsFailedError, EndpointPool, UnrecoverableError } from "../src/index.js";

/** Fetches `/status` from an endpoint and fails on anything but 200, as the chain clients do. */
async function get(endpoint: string): Promise<string> {
  const res = await fetch(`${endpoint}/status`);
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  return res.text();
}

function serve(status: number, body: string): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(status);
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const url = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

describe("EndpointPool over real sockets", () => {
  let good: Server;
  let broken: Server;
  let closedUrl: string;

  beforeAll(async () => {
    good = await serve(200, "good");
    broken = await serve(502, "bad gateway");
    const closed = await serve(200, "gone");
    closedUrl = url(closed);
    await new Promise((r) => closed.close(r));
  });
  afterAll(async () => {
    await Promise.all([good, broken].map((s) => new Promise((r) => s.close(r))));
  });

  it("fails over from a closed port and a 502 to the next endpoint, then prefers the healthy one", async () => {
    let now = 1_000;
    const pool = new EndpointPool([closedUrl, url(broken), url(good)], { kind: "rpc", cooldownMs: 5_000, now: () => now });
    expect(await pool.run(get)).toBe("good");
    expect(pool.order()).toEqual([url(good), closedUrl, url(broken)]);
    expect(await pool.run(get)).toBe("good");
    now += 5_001; // cooldown over: the preferred order comes back
    expect(pool.order()).toEqual([closedUrl, url(broken), url(good)]);
  });

  it("names every endpoint and its error when all fail", async () => {
    const pool = new EndpointPool([closedUrl, url(broken)], { kind: "lcd" });
    const err = await pool.run(get).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AllEndpointsFailedError);
    expect((err as AllEndpointsFailedError).failures).toEqual([
      { endpoint: closedUrl, error: "fetch failed" },
      { endpoint: url(broken), error: "HTTP 502" },
    ]);
  });

  it("does not fail over on an unrecoverable error", async () => {
    const pool = new EndpointPool([url(good), url(broken)], { kind: "rpc" });
    let calls = 0;
    await expect(
      pool.run(async () => {
        calls++;
        throw new UnrecoverableError("invalid query");
      }),
    ).rejects.toThrow("invalid query");
    expect(calls).toBe(1);
  });
});
