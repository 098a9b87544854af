import { RetryableError } from "../errors.js";

/**
 * The one HTTP call of the chain clients (RPC, LCD, Hive): plain `fetch` with a per-request
 * timeout, a JSON answer, and errors that name the endpoint, what was asked, the status and the
 * start of the answer, but never the request body (a batch can be megabytes).
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
  headers: Headers;
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
  let status: number;
  let headers: Headers;
  let text: string;
  try {
    const res = await fetch(req.endpoint + (req.path ?? ""), {
      method: req.body === undefined ? "GET" : "POST",
      headers: req.body === undefined ? undefined : { "content-type": "application/json" },
      body: req.body,
      signal: AbortSignal.timeout(req.timeoutMs),
    });
    ({ status, headers } = res);
    text = await res.text();
  } catch (err) {
    throw new RetryableError(`${req.what} at ${req.endpoint} failed: ${transportProblem(err, req.timeoutMs)}`, { cause: err });
  }
  if (!req.anyStatus && (status < 200 || status > 299)) throw httpError(req, status, text);
  try {
    return { status, headers, body: JSON.parse(text) as unknown };
  } catch {
    throw httpError(req, status, text, "the answer is not JSON");
  }
}

/** The error for an answer that is not what was asked for: endpoint, status and its first characters. */
export function httpError(req: HttpRequest, status: number, answer: string, problem?: string): RetryableError {
  const quote = answer.length > QUOTE_CHARS ? `${answer.slice(0, QUOTE_CHARS)}…` : answer;
  return new RetryableError(`${req.what} at ${req.endpoint}: HTTP ${status}${problem ? `, ${problem}` : ""}: ${quote}`);
}

/** `timed out after 10000 ms`, or fetch's message with the system error code (`fetch failed (ECONNREFUSED)`). */
function transportProblem(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && err.name === "TimeoutError") return `timed out after ${timeoutMs} ms`;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === "string" ? `${message} (${code})` : message;
}
