/**
 * Every block, in order, exactly once, whatever the websocket does: NewBlock events over the
 * CometBFT websocket (failing over between endpoints, reconnecting with backoff), and after any gap
 * (a reconnect, a missed event) the missing heights filled in from RPC before the new one. A
 * watchdog warns when no block arrived for a while and, after `exitAfterMs`, calls `onStalled`
 * (the manager exits so its supervisor restarts it: a chain that stalls that long needs a human).
 */
import WebSocket from "ws";
import type { Logger } from "pino";
import { backoffDelayMs, type ChainClient, type Component } from "@mlb/shared";

export interface BlockWatcherOptions {
  /** ws:// or wss:// URLs of `/websocket`, tried in order. */
  endpoints: readonly string[];
  /** RPC reads for backfill and for the first height. */
  client: ChainClient;
  logger: Logger;
  /** Called for each height in order; the next waits for it. */
  onBlock(height: number): Promise<void>;
  /** Silence after which a warning is logged (default 10 s). */
  warnAfterMs?: number;
  /** Silence after which `onStalled` is called (default 60 s). */
  exitAfterMs?: number;
  onStalled(silentMs: number): void;
}

export class BlockWatcher implements Component {
  readonly name = "block-watcher";
  readonly #o: BlockWatcherOptions;
  #socket: WebSocket | undefined;
  #stopped = false;
  #endpoint = 0;
  #failures = 0;
  /** Last height handed to onBlock. */
  #last: number | null = null;
  /** Highest height announced (by an event or the chain), maybe not handled yet. */
  #head = 0;
  #draining: Promise<void> = Promise.resolve();
  #lastBlockAt = Date.now();
  #watchdog: NodeJS.Timeout | undefined;
  #warned = false;
  /** Heights delivered and reconnects made, for tests and the report. */
  readonly stats = { delivered: 0, backfilled: 0, reconnects: 0 };

  constructor(options: BlockWatcherOptions) {
    this.#o = options;
  }

  get lastHeight(): number | null {
    return this.#last;
  }

  async start(): Promise<void> {
    this.#connect();
    const warnAfter = this.#o.warnAfterMs ?? 10_000;
    const exitAfter = this.#o.exitAfterMs ?? 60_000;
    this.#watchdog = setInterval(() => {
      const silent = Date.now() - this.#lastBlockAt;
      if (silent > exitAfter) this.#o.onStalled(silent);
      else if (silent > warnAfter && !this.#warned) {
        this.#warned = true;
        this.#o.logger.warn({ silentMs: silent, lastHeight: this.#last }, "no new block for a while");
      }
    }, Math.min(1_000, warnAfter));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#watchdog);
    this.#socket?.terminate();
    await this.#draining;
  }

  ready(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  #connect(): void {
    if (this.#stopped) return;
    const url = this.#o.endpoints[this.#endpoint % this.#o.endpoints.length]!;
    const socket = new WebSocket(url);
    this.#socket = socket;
    socket.on("open", () => {
      this.#failures = 0;
      socket.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "subscribe", params: { query: "tm.event='NewBlock'" } }));
      this.#o.logger.info({ url }, "subscribed to NewBlock");
      // Whatever happened while we were away: catch up from RPC.
      void this.#o.client.status().then((s) => this.#announce(s.height), (err: unknown) => this.#o.logger.warn({ err }, "reading the chain height failed"));
    });
    socket.on("message", (data) => {
      const height = newBlockHeight(data.toString());
      if (height !== null) this.#announce(height);
    });
    socket.on("error", (err) => this.#o.logger.warn({ err, url }, "websocket error"));
    socket.on("close", () => {
      if (this.#stopped) return;
      this.#failures++;
      this.#endpoint++;
      this.stats.reconnects++;
      const delayMs = backoffDelayMs(this.#failures, { baseMs: 200, maxMs: 10_000 });
      this.#o.logger.warn({ url, delayMs, next: this.#o.endpoints[this.#endpoint % this.#o.endpoints.length] }, "websocket closed; reconnecting");
      setTimeout(() => this.#connect(), delayMs);
    });
  }

  /** A height exists: hand every height up to it to onBlock, in order (the first run starts at it). */
  #announce(height: number): void {
    if (height <= this.#head) return;
    this.#head = height;
    this.#lastBlockAt = Date.now();
    this.#warned = false;
    this.#draining = this.#draining.then(() => this.#drain());
  }

  async #drain(): Promise<void> {
    while (!this.#stopped && (this.#last === null || this.#last < this.#head)) {
      const next = this.#last === null ? this.#head : this.#last + 1;
      if (next < this.#head) this.stats.backfilled++;
      try {
        await this.#o.onBlock(next);
      } catch (err) {
        this.#o.logger.error({ err, height: next }, "handling a block failed; moving on");
      }
      this.#last = next;
      this.stats.delivered++;
    }
  }
}

/** The height of a NewBlock event message, or null for anything else (the subscribe ack). */
export function newBlockHeight(text: string): number | null {
  try {
    const msg = JSON.parse(text) as { result?: { data?: { type?: string; value?: { block?: { header?: { height?: string } } } } } };
    const h = msg.result?.data?.value?.block?.header?.height;
    return h === undefined ? null : Number(h);
  } catch {
    return null;
  }
}
