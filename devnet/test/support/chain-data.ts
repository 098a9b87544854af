import type { Event } from "@cosmjs/stargate";
import type { TestDevnet } from "./devnet.js";

/**
 * Reading what a foreign client reads: wasm event attributes of a tx, the Red Bank's raw `debts`
 * map through `AllContractState` pagination (spec §3.1–3.2), Hive GraphQL, credit accounts.
 */

/**
 * The `wasm` events of `contract` split at each `action` attribute (one contract response may
 * carry several), each segment as key → first value.
 */
export function wasmSegments(events: readonly Event[], contract: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const e of events) {
    if (e.type !== "wasm" || e.attributes[0]?.key !== "_contract_address" || e.attributes[0].value !== contract) continue;
    let cur: Record<string, string> | undefined;
    for (const a of e.attributes.slice(1)) {
      if (a.key === "msg_index") continue;
      if (a.key === "action" || !cur) {
        cur = {};
        out.push(cur);
      }
      if (!(a.key in cur)) cur[a.key] = a.value;
    }
  }
  return out;
}

/** The first wasm segment of `contract` with this `action` (throws when absent). */
export function actionAttrs(events: readonly Event[], contract: string, action: string): Record<string, string> {
  const seg = wasmSegments(events, contract).find((s) => s.action === action);
  if (!seg) throw new Error(`no wasm action ${action} of ${contract} in ${JSON.stringify(events.filter((e) => e.type === "wasm"))}`);
  return seg;
}

/** One entry of the Red Bank `debts` Map. */
export interface RawDebt {
  user: string;
  denom: string;
  amount_scaled: string;
  uncollateralized: boolean;
}

const DEBTS_PREFIX = Buffer.concat([Buffer.from([0, 5]), Buffer.from("debts")]);

/**
 * Scans the Red Bank's `debts` Map as the collector does: `AllContractState` from the key
 * `0x0005‖"debts"`, following `next_key`, until the first key outside the namespace.
 */
export async function scanDebts(t: TestDevnet): Promise<{ entries: RawDebt[]; pages: number }> {
  const entries: RawDebt[] = [];
  let key: Uint8Array = DEBTS_PREFIX;
  let pages = 0;
  for (;;) {
    const page = await t.qc.wasm.getAllContractState(t.c.redBank, key);
    pages++;
    for (const m of page.models) {
      const k = Buffer.from(m.key);
      if (!k.subarray(0, DEBTS_PREFIX.length).equals(DEBTS_PREFIX)) return { entries, pages };
      const len = k.readUInt16BE(DEBTS_PREFIX.length);
      const start = DEBTS_PREFIX.length + 2;
      const value = JSON.parse(Buffer.from(m.value).toString("utf8")) as { amount_scaled: string; uncollateralized: boolean };
      entries.push({ user: k.subarray(start, start + len).toString("utf8"), denom: k.subarray(start + len).toString("utf8"), ...value });
    }
    const next = page.pagination?.nextKey;
    if (!next || next.length === 0) return { entries, pages };
    key = next;
  }
}

/** Distinct debtors of a scan. */
export function debtors(entries: readonly RawDebt[]): Set<string> {
  return new Set(entries.map((e) => e.user));
}

/** POSTs a GraphQL body (one operation or an HTTP batch array) to Hive. */
export async function hive<T = unknown>(t: TestDevnet, body: unknown): Promise<T> {
  const res = await fetch(t.ready.hive, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`hive answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Runs many smart queries of one contract through Hive: aliased fields, ≤ 50 per operation, one HTTP batch. */
export async function hiveQueryMany<T>(t: TestDevnet, contract: string, queries: unknown[]): Promise<T[]> {
  const ops: { query: string; variables: Record<string, unknown> }[] = [];
  for (let i = 0; i < queries.length; i += 50) {
    const chunk = queries.slice(i, i + 50);
    const vars = chunk.map((_, j) => `$q${j}:JSON!`).join(",");
    const fields = chunk.map((_, j) => `r${j}: wasm { contractQuery(contractAddress:$c, query:$q${j}) }`).join(" ");
    ops.push({ query: `query($c:String!,${vars}){ ${fields} }`, variables: { c: contract, ...Object.fromEntries(chunk.map((q, j) => [`q${j}`, q])) } });
  }
  const answers = await hive<{ data: Record<string, { contractQuery: T }> }[]>(t, ops);
  return answers.flatMap((a, i) => queries.slice(i * 50, i * 50 + 50).map((_, j) => a.data[`r${j}`]!.contractQuery));
}

/** Creates a credit account for `owner` (a signed tx) and returns its id from the NFT mint event. */
export async function createCreditAccount(t: TestDevnet, owner: string): Promise<string> {
  const r = await t.exec(owner, t.c.creditManager, { create_credit_account: "default" });
  return actionAttrs(r.events, t.c.accountNft, "mint").token_id!;
}

/** Credit-manager `positions` of an account. */
export interface Positions {
  account_id: string;
  deposits: { denom: string; amount: string }[];
  debts: { denom: string; shares: string; amount: string }[];
  lends: { denom: string; amount: string }[];
}

export function positions(t: TestDevnet, accountId: string): Promise<Positions> {
  return t.query<Positions>(t.c.creditManager, { positions: { account_id: accountId } });
}

/** A coin balance of a credit account (0 when absent). */
export async function accountDeposit(t: TestDevnet, accountId: string, denom: string): Promise<bigint> {
  return BigInt((await positions(t, accountId)).deposits.find((d) => d.denom === denom)?.amount ?? "0");
}
