import { createServer, type IncomingMessage, type Server } from "node:http";
import { GraphQLError, GraphQLScalarType, buildSchema, execute, parse, specifiedRules, validate, valueFromASTUntyped, type ASTVisitor, type ValidationContext } from "graphql";
import type { Logger } from "pino";
import { assertLoopback, listen, readBody, send, type RunningServer } from "../servers/rpc-http.js";

/**
 * A Mars Hive-compatible GraphQL endpoint (spec/mars-contracts.md §8): `wasm { contractQuery(
 * contractAddress, query, height) }` with aliases, variables or inline object literals, HTTP
 * batches (a JSON array of operations answered by an array in the same order), and contract
 * errors returned as data (`{"error": "..."}`), as the real Hive does. At most 50 occurrences of
 * one root field per operation (Hive's graphql-no-alias limit).
 */

/** Runs a smart query at a height (undefined: the latest); throws the contract's error. */
export type SmartQuery = (contract: string, msg: unknown, height: number | undefined) => unknown;

const MAX_ALIASES = 50;
const MAX_BODY_BYTES = 16 * 1024 * 1024;

const SCHEMA_SDL = `
  scalar JSON
  scalar Anything
  type Wasm {
    contractQuery(contractAddress: String!, height: Float, query: JSON!): Anything!
  }
  type Query { wasm: Wasm! }
`;

function jsonScalar(name: string, description: string) {
  return new GraphQLScalarType({
    name,
    description,
    serialize: (v) => v,
    parseValue: (v) => v,
    parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables ?? undefined),
  });
}

function buildHiveSchema(query: SmartQuery) {
  const schema = buildSchema(SCHEMA_SDL);
  Object.assign(schema.getType("JSON")!, jsonScalar("JSON", "Any JSON value"));
  Object.assign(schema.getType("Anything")!, jsonScalar("Anything", "A contract's JSON response"));
  const rootValue = {
    wasm: () => ({
      contractQuery: (args: { contractAddress: string; query: unknown; height?: number }) => {
        try {
          return query(args.contractAddress, args.query, args.height ?? undefined) ?? null;
        } catch (err) {
          return { error: err instanceof Error ? err.message : String(err) };
        }
      },
    }),
  };
  return { schema, rootValue };
}

/** Validation rule: no root field more than MAX_ALIASES times in one operation. */
function aliasLimit(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      const counts = new Map<string, number>();
      for (const sel of node.selectionSet.selections) {
        if (sel.kind !== "Field") continue;
        const n = (counts.get(sel.name.value) ?? 0) + 1;
        counts.set(sel.name.value, n);
        if (n === MAX_ALIASES + 1) context.reportError(new GraphQLError(`Too many alias calls for field: Query.${sel.name.value}. Max: ${MAX_ALIASES}`));
      }
    },
  };
}

/** Starts the GraphQL server on loopback; POST /graphql (a single operation or a batch array). */
export async function startHiveServer(query: SmartQuery, options: { port: number; host?: string; logger: Logger }): Promise<RunningServer> {
  const { schema, rootValue } = buildHiveSchema(query);
  const rules = [...specifiedRules, aliasLimit];

  const run = async (op: unknown) => {
    const { query: source, variables, operationName } = (op ?? {}) as { query?: string; variables?: Record<string, unknown>; operationName?: string };
    if (typeof source !== "string") return { errors: [{ message: "Must provide query string." }] };
    let document;
    try {
      document = parse(source);
    } catch (err) {
      return { errors: [{ message: (err as Error).message }] };
    }
    const errors = validate(schema, document, rules);
    if (errors.length) return { errors: errors.map((e) => ({ message: e.message })) };
    return execute({ schema, document, rootValue, variableValues: variables, operationName });
  };

  const server: Server = createServer((req, res) => {
    handle(req).then(
      ({ status, body }) => send(res, status, body),
      (err: unknown) => {
        options.logger.error({ err }, "hive request failed");
        send(res, 500, { errors: [{ message: "internal error" }] });
      },
    );
  });

  async function handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/graphql" && path !== "/") return { status: 404, body: { errors: [{ message: "POST /graphql" }] } };
    if (req.method !== "POST") return { status: 405, body: { errors: [{ message: "POST /graphql with a JSON body" }] } };
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString("utf8"));
    } catch {
      return { status: 400, body: { errors: [{ message: "body is not JSON" }] } };
    }
    if (Array.isArray(body)) return { status: 200, body: await Promise.all(body.map(run)) };
    return { status: 200, body: await run(body) };
  }

  const host = options.host ?? "127.0.0.1";
  assertLoopback(host);
  const { port } = await listen(server, host, options.port);
  return {
    url: `http://${host}:${port}/graphql`,
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
