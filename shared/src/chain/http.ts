import { EventEmitter } from "node:events";
import type { IncomingHttpHeaders } from "node:http";
import { Pool } from "undici";
import { RetryableError } from "../errors.js";

/**
 * The one HTTP call of the chain clients (RPC, LCD, Hive): undici connection pools (keep-alive)
 * with a per-request timeout, a JSON answer, and errors that name the endpoint, what was asked,
 * the status and the start of the answer, but never the request body (a batch can be megabytes).
 * Not `fetch`: its per-request cost (streams, abort signals, request cloning) was the largest part
 * of an executor's CPU time in a burst of liquidations; undici's `request` costs about a third of
 * `node:http`'s per call (bench/README.md).
 */

/** One request to one endpoint. */
export interface HttpRequest {
  /** Base URL of the endpoint; errors name it. */
  endpoint: string;
  /** Appended to `endpoint`; kept out of errors (it can carry a whole query). */
  path?: string;
  /** What is asked, for errors: `rpc abci_query`, `lcd wasm smart`, `hive batch`. */
  what: string;
  /** The JSON body of a POST; a GET when absent. */
  body?: string;
  timeoutMs: number;
  /** Return answers of any HTTP status (the caller reads error bodies); otherwise non-2xx throws. */
  anyStatus?: boolean;
}

/** A JSON answer. */
export interface HttpAnswer {
  status: number;
  /** Lower-case names. */
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** How much of an answer an error quotes. */
const QUOTE_CHARS = 200;

/**
 * Sends `req` and parses the answer as JSON. Transport failures, timeouts, answers that are not
 * JSON and (unless `anyStatus`) non-2xx statuses throw a {@link RetryableError}, which an
 * `EndpointPool` answers by failing over to the next endpoint.
 */
export async function requestJson(req: HttpRequest): Promise<HttpAnswer> {
  let answer: { status: number; headers: IncomingHttpHeaders; text: string };
  try {
    answer = await send(new URL(req.endpoint + (req.path ?? "")), req.body, req.timeoutMs);
  } catch (err) {
    throw new RetryableError(`${req.what} at ${req.endpoint} failed: ${transportProblem(err)}`, { cause: err });
  }
  const { status, headers, text } = answer;
  if (!req.anyStatus && (status < 200 || status > 299)) throw httpError(req, status, text);
  try {
    return { status, headers, body: JSON.parse(text) as unknown };
  } catch {
    throw httpError(req, status, text, "the answer is not JSON");
  }
}

/** One pool of keep-alive connections per origin: a node is asked many times a block. */
const pools = new Map<string, Pool>();

async function send(url: URL, body: string | undefined, timeoutMs: number): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`unsupported protocol ${url.protocol}`);
  let pool = pools.get(url.origin);
  if (pool === undefined) pools.set(url.origin, (pool = new Pool(url.origin)));
  const headers: Record<string, string> = body === undefined ? {} : { "content-type": "application/json" };
  // Credentials in the endpoint URL (https://user:key@rpc.example) go as basic auth, as node:http sends them.
  if (url.username !== "") headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`;
  // The whole exchange, not just idle time: a node that trickles its answer is as bad as a silent
  // one. undici takes an emitter of "abort" as the signal (an AbortController costs more per request).
  const abort = new EventEmitter();
  let timedOut = false;
  const timer = setTimeout(() => ((timedOut = true), abort.emit("abort")), timeoutMs);
  try {
    const res = await pool.request({ path: url.pathname + url.search, method: body === undefined ? "GET" : "POST", headers, body, signal: abort });
    return { status: res.statusCode, headers: res.headers as IncomingHttpHeaders, text: await res.body.text() };
  } catch (err) {
    throw timedOut ? new TimeoutError(timeoutMs) : err;
  } finally {
    clearTimeout(timer);
  }
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/** The error for an answer that is not what was asked for: endpoint, status and its first characters. */
export function httpError(req: HttpRequest, status: number, answer: string, problem?: string): RetryableError {
  const quote = answer.length > QUOTE_CHARS ? `${answer.slice(0, QUOTE_CHARS)}…` : answer;
  return new RetryableError(`${req.what} at ${req.endpoint}: HTTP ${status}${problem ? `, ${problem}` : ""}: ${quote}`);
}

/** The transport's message with the system error code when it does not say it (`connect ECONNREFUSED 127.0.0.1:1`). */
function transportProblem(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message;
}
