import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A counting HTTP proxy in front of the devnet's RPC, LCD and Hive, so that the HTTP requests
 * services in child processes send to the chain can be counted without touching their code: each
 * request is counted on arrival and passed through unchanged (method, path, headers, body). Only
 * ever listens on 127.0.0.1.
 */
export class CountingProxy {
  readonly #servers: http.Server[] = [];
  readonly #urls = new Map<string, string>();
  readonly #counts = new Map<string, number>();

  private constructor() {}

  /** One listener per target (`name` → URL, e.g. `hive` → `http://127.0.0.1:8085/graphql`). */
  static async start(targets: Record<string, string>): Promise<CountingProxy> {
    const proxy = new CountingProxy();
    try {
      for (const [name, target] of Object.entries(targets)) await proxy.#listen(name, new URL(target));
    } catch (err) {
      await proxy.close();
      throw err;
    }
    return proxy;
  }

  /** The proxied URL of target `name` (same path, the proxy's origin). */
  url(name: string): string {
    const url = this.#urls.get(name);
    if (url === undefined) throw new Error(`no proxy for ${name}; have ${[...this.#urls.keys()].join(", ")}`);
    return url;
  }

  /** Requests received so far, by target. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  /** Requests received so far over every target. */
  total(): number {
    let n = 0;
    for (const c of this.#counts.values()) n += c;
    return n;
  }

  async close(): Promise<void> {
    await Promise.all(this.#servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  async #listen(name: string, target: URL): Promise<void> {
    this.#counts.set(name, 0);
    const server = http.createServer((req, res) => {
      this.#counts.set(name, this.#counts.get(name)! + 1);
      // A fresh upstream connection per request: a pooled one may have just been closed by the
      // server's keep-alive timeout (ECONNRESET), and these are tens of requests a block.
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: withoutHopByHop(req.headers), agent: false },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
          answer.pipe(res);
        },
      );
      upstream.on("error", (err) => {
        if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
        res.end(`proxy ${name}: ${err.message}`);
      });
      req.pipe(upstream);
    });
    server.keepAliveTimeout = 60_000;
    this.#servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.#urls.set(name, `http://127.0.0.1:${port}${target.pathname === "/" ? "" : target.pathname}`);
  }
}

/** Headers of one connection, not to be forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}
