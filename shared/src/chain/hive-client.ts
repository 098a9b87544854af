import type { Logger } from "pino";
import { RetryableError } from "../errors.js";
import { EndpointPool } from "../runtime/failover.js";
import { requestJson } from "./http.js";

/** One smart query for {@link HiveClient.contractQueries}. */
export interface ContractQuery {
  contract: string;
  msg: unknown;
}

/** The answer to one query: the contract's JSON, or the error Hive returned for it. */
export type ContractQueryResult = { ok: true; data: unknown } | { ok: false; error: string };

/** Options of {@link HiveClient}. */
export interface HiveClientOptions {
  /** Hive GraphQL URLs (`https://…/graphql`), in order of preference. */
  endpoints: readonly string[];
  logger?: Logger;
  /** Timeout of each HTTP request, in milliseconds (default 10000). */
  timeoutMs?: number;
}

/** How {@link HiveClient.contractQueries} packs queries into requests. */
export interface HiveBatchOptions {
  /** Aliased `wasm` fields per GraphQL operation (default 50, Hive's limit per root field). */
  aliasesPerOperation?: number;
  /** Operations per HTTP request, sent as one JSON array (default 10). */
  operationsPerRequest?: number;
}

/** A GraphQL operation and how many queries it carries. */
interface Operation {
  body: { query: string; variables: Record<string, unknown> };
  size: number;
}

/** One element of a batch answer. */
interface GraphqlAnswer {
  data?: Record<string, { contractQuery?: unknown } | null> | null;
  errors?: { message: string; path?: (string | number)[] }[];
}

/**
 * Many contract smart queries through Mars Hive (spec/mars-contracts.md §8), in few HTTP requests:
 * queries become aliased `wasm { contractQuery }` fields of one operation (`q0`, `q1`, …, with the
 * addresses and queries as `String!`/`JSON!` variables), and several operations go in one HTTP
 * batch (a JSON array, answered by an array in the same order). Failover over the endpoints is
 * per HTTP request. `queryCount` counts the HTTP requests sent.
 */
export class HiveClient {
  /** HTTP requests sent so far, answered or not. */
  queryCount = 0;
  readonly #pool: EndpointPool;
  readonly #timeoutMs: number;

  constructor(options: HiveClientOptions) {
    this.#pool = new EndpointPool(options.endpoints, { kind: "hive", logger: options.logger });
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  /**
   * Runs `queries` and returns their results in the same order. A contract error comes back as
   * `{ok: false}` (Hive answers `{"error": "..."}` as data), as does a GraphQL error of a field or
   * operation; a transport failure on every endpoint throws `AllEndpointsFailedError`. Requests
   * are sent one after another.
   */
  async contractQueries(queries: ContractQuery[], opts: HiveBatchOptions = {}): Promise<ContractQueryResult[]> {
    const perOperation = positive(opts.aliasesPerOperation ?? 50, "aliasesPerOperation");
    const perRequest = positive(opts.operationsPerRequest ?? 10, "operationsPerRequest");
    const operations = chunk(queries, perOperation).map(operation);
    const results: ContractQueryResult[] = [];
    for (const batch of chunk(operations, perRequest)) {
      const answers = await this.#pool.run((endpoint) => this.#post(endpoint, batch));
      batch.forEach((op, i) => results.push(...readAnswer(answers[i]!, op.size)));
    }
    return results;
  }

  /** POSTs one batch; an answer that is not an array of one element per operation fails over. */
  async #post(endpoint: string, batch: Operation[]): Promise<GraphqlAnswer[]> {
    this.queryCount++;
    const req = { endpoint, what: `hive batch of ${batch.length}`, body: JSON.stringify(batch.map((op) => op.body)), timeoutMs: this.#timeoutMs };
    const { body } = await requestJson(req);
    if (!Array.isArray(body) || body.length !== batch.length) {
      throw new RetryableError(`${req.what} at ${endpoint}: expected an array of ${batch.length} answers, got ${JSON.stringify(body).slice(0, 200)}`);
    }
    return body as GraphqlAnswer[];
  }
}

/** The aliased operation for `queries`; each distinct contract address is one variable. */
function operation(queries: ContractQuery[]): Operation {
  const contracts = new Map<string, string>();
  const variables: Record<string, unknown> = {};
  const fields = queries.map((q, i) => {
    let c = contracts.get(q.contract);
    if (c === undefined) {
      c = `c${contracts.size}`;
      contracts.set(q.contract, c);
      variables[c] = q.contract;
    }
    variables[`q${i}`] = q.msg;
    return `q${i}: wasm { contractQuery(contractAddress: $${c}, query: $q${i}) }`;
  });
  const declarations = [...contracts.values()].map((c) => `$${c}: String!`).concat(queries.map((_, i) => `$q${i}: JSON!`));
  return { body: { query: `query(${declarations.join(", ")}) { ${fields.join(" ")} }`, variables }, size: queries.length };
}

/** The results of one operation's `size` queries, from its answer. */
function readAnswer(answer: GraphqlAnswer, size: number): ContractQueryResult[] {
  const errors = answer?.errors ?? [];
  return Array.from({ length: size }, (_, i): ContractQueryResult => {
    const alias = `q${i}`;
    const value = answer?.data?.[alias]?.contractQuery;
    if (value === undefined || value === null) {
      const error = errors.find((e) => e.path?.[0] === alias) ?? errors[0];
      return { ok: false, error: error?.message ?? `no answer for ${alias}` };
    }
    if (isHiveError(value)) return { ok: false, error: value.error };
    return { ok: true, data: value };
  });
}

/** Hive's answer to a failed contract query: `{"error": "<message>"}` and nothing else. */
function isHiveError(value: unknown): value is { error: string } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as { error?: unknown }).error === "string";
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function positive(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${n}`);
  return n;
}
