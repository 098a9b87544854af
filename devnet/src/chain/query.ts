import type { EventMap } from "./types.js";

/** An operator of the CometBFT event query language. */
export type QueryOperator = "=" | "<" | "<=" | ">" | ">=" | "CONTAINS" | "EXISTS";

/** One `key op value` condition; `value` is a number when written unquoted. */
export interface Condition {
  key: string;
  op: QueryOperator;
  value: string | number | undefined;
}

/** A malformed query (CometBFT answers these with an RPC error). */
export class QuerySyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QuerySyntaxError";
  }
}

const TOKEN = /\s*(?:(AND)\b|(CONTAINS|EXISTS)\b|(<=|>=|=|<|>)|'([^']*)'|(DATE\s+\S+|TIME\s+\S+)|(-?\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][\w.\-/]*))/y;

/**
 * Parses the CometBFT pubsub/tx_search query language: conditions joined by `AND`, each
 * `key = 'string'`, `key = 5`, `key >= 5` (also `<`, `<=`, `>`), `key CONTAINS 'x'` or
 * `key EXISTS`. DATE and TIME operands are kept as strings.
 */
export function parseQuery(query: string): Condition[] {
  const tokens: { kind: "and" | "op" | "str" | "num" | "key"; text: string }[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < query.length) {
    if (/^\s*$/.test(query.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(query);
    if (!m) throw new QuerySyntaxError(`failed to parse query ${JSON.stringify(query)}: unexpected input at position ${pos}`);
    pos = TOKEN.lastIndex;
    if (m[1]) tokens.push({ kind: "and", text: m[1] });
    else if (m[2] || m[3]) tokens.push({ kind: "op", text: (m[2] ?? m[3])! });
    else if (m[4] !== undefined) tokens.push({ kind: "str", text: m[4] });
    else if (m[5]) tokens.push({ kind: "str", text: m[5].replace(/^(DATE|TIME)\s+/, "") });
    else if (m[6]) tokens.push({ kind: "num", text: m[6] });
    else tokens.push({ kind: "key", text: m[7]! });
  }
  const out: Condition[] = [];
  let i = 0;
  const fail = (what: string) => new QuerySyntaxError(`failed to parse query ${JSON.stringify(query)}: ${what}`);
  while (i < tokens.length) {
    const key = tokens[i++];
    const op = tokens[i++];
    if (key?.kind !== "key") throw fail("expected a composite key such as message.sender");
    if (op?.kind !== "op") throw fail(`expected an operator after ${key.text}`);
    let value: string | number | undefined;
    if (op.text !== "EXISTS") {
      const v = tokens[i++];
      if (v?.kind === "str") value = v.text;
      else if (v?.kind === "num") value = Number(v.text);
      else throw fail(`expected a value after ${key.text} ${op.text}`);
    }
    out.push({ key: key.text, op: op.text as QueryOperator, value });
    if (i < tokens.length) {
      if (tokens[i++]?.kind !== "and") throw fail("conditions must be joined by AND");
      if (i >= tokens.length) throw fail("expected a condition after AND");
    }
  }
  if (out.length === 0) throw fail("empty query");
  return out;
}

/** Whether every condition holds for some value of its key (CometBFT's matching rule). */
export function matchesAll(conditions: readonly Condition[], events: EventMap): boolean {
  return conditions.every((c) => {
    const values = events.get(c.key);
    if (!values) return false;
    if (c.op === "EXISTS") return true;
    return values.some((v) => matchValue(c, v));
  });
}

function matchValue(c: Condition, actual: string): boolean {
  if (c.op === "CONTAINS") return actual.includes(String(c.value));
  if (typeof c.value === "number") {
    const n = Number(actual);
    if (!Number.isFinite(n)) return false;
    switch (c.op) {
      case "=":
        return n === c.value;
      case "<":
        return n < c.value;
      case "<=":
        return n <= c.value;
      case ">":
        return n > c.value;
      case ">=":
        return n >= c.value;
    }
  }
  const v = String(c.value);
  switch (c.op) {
    case "=":
      return actual === v;
    case "<":
      return actual < v;
    case "<=":
      return actual <= v;
    case ">":
      return actual > v;
    case ">=":
      return actual >= v;
  }
  return false;
}

/** Adds the events' attributes to `map` under `type.key` composite keys. */
export function addEvents(map: EventMap, events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[]): EventMap {
  for (const e of events) {
    for (const a of e.attributes) {
      const k = `${e.type}.${a.key}`;
      const list = map.get(k);
      if (list) list.push(a.value);
      else map.set(k, [a.value]);
    }
  }
  return map;
}
