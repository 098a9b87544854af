/**
 * What the position cache holds per account, and its text form in Redis. A cached position is the
 * raw contract state (scaled amounts, shares), never values: prices and indexes change every block,
 * the position only when its owner acts or is liquidated (DESIGN.md "Health: local, exact,
 * incremental"). A Redis value is `<height>|<payload>`, the height the state was read at first so
 * the write script can compare it without parsing JSON.
 */
import type { Amount, CreditAccountKind, ScaledCollateral, ScaledDebt } from "../mars/types.js";

/** A Red Bank debtor as stored in `debts` and `colls` (spec §3.2); only users with collateralized debt are cached. */
export interface CachedRedBankPosition {
  readonly collaterals: readonly ScaledCollateral[];
  readonly debts: readonly ScaledDebt[];
}

/**
 * A credit account as the credit manager stores it (spec §3.3): coin balances, debt shares over the
 * credit manager's Red Bank debt, and lends as scaled Red Bank collateral under the credit manager.
 */
export interface CachedCreditAccount {
  readonly kind: CreditAccountKind;
  readonly deposits: readonly Amount[];
  readonly lendsScaled: readonly Amount[];
  readonly debtShares: readonly Amount[];
}

export type CachedPosition = CachedRedBankPosition | CachedCreditAccount;

/** A cache entry that cannot be decoded (it goes to the cache's dead-letter list, not into a crash). */
export class MalformedPositionError extends Error {
  constructor(account: string, reason: string) {
    super(`cached position of ${account} is malformed: ${reason}`);
    this.name = "MalformedPositionError";
  }
}

/** Denom strings are shared by every position that holds them (a million copies of "uosmo" is memory for nothing). */
const interned = new Map<string, string>();
function intern(s: string): string {
  let v = interned.get(s);
  if (v === undefined) {
    v = s;
    interned.set(s, s);
  }
  return v;
}

type Row = [string, string, ...unknown[]];

function rows(value: unknown, field: string): Row[] {
  if (!Array.isArray(value)) throw new TypeError(`${field} is not a list`);
  for (const r of value) {
    if (!Array.isArray(r) || typeof r[0] !== "string" || typeof r[1] !== "string" || !/^\d+$/.test(r[1])) throw new TypeError(`${field} has a bad entry ${JSON.stringify(r)}`);
  }
  return value as Row[];
}

const amounts = (value: unknown, field: string): Amount[] => rows(value, field).map(([denom, amount]) => ({ denom: intern(denom), amount: BigInt(amount) }));

/** The payload of a Red Bank position: `{"c":[[denom,scaled,enabled(0|1)]],"d":[[denom,scaled]]}`, entries sorted by denom. */
export function encodeRedBankPosition(p: CachedRedBankPosition): string {
  const c = [...p.collaterals].sort(byDenom).map((x) => [x.denom, x.amountScaled.toString(), x.enabled ? 1 : 0]);
  const d = [...p.debts].sort(byDenom).map((x) => [x.denom, x.amountScaled.toString()]);
  return JSON.stringify({ c, d });
}

/** The payload of a credit account: `{"k":kind,"dp":[[denom,amount]],"l":[[denom,scaled]],"ds":[[denom,shares]]}`, sorted by denom. */
export function encodeCreditAccount(p: CachedCreditAccount): string {
  const list = (xs: readonly Amount[]) => [...xs].sort(byDenom).map((x) => [x.denom, x.amount.toString()]);
  return JSON.stringify({ k: p.kind, dp: list(p.deposits), l: list(p.lendsScaled), ds: list(p.debtShares) });
}

function byDenom(a: { denom: string }, b: { denom: string }): number {
  return a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0;
}

function parsePayload(account: string, payload: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    throw new MalformedPositionError(account, "payload is not JSON");
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new MalformedPositionError(account, "payload is not an object");
  return v as Record<string, unknown>;
}

export function decodeRedBankPosition(account: string, payload: string): CachedRedBankPosition {
  const v = parsePayload(account, payload);
  try {
    const collaterals = rows(v.c, "c").map(([denom, scaled, enabled]) => ({ denom: intern(denom), amountScaled: BigInt(scaled), enabled: enabled === 1 }));
    const debts = rows(v.d, "d").map(([denom, scaled]) => ({ denom: intern(denom), amountScaled: BigInt(scaled), uncollateralized: false }));
    return { collaterals, debts };
  } catch (err) {
    throw new MalformedPositionError(account, (err as Error).message);
  }
}

export function decodeCreditAccount(account: string, payload: string): CachedCreditAccount {
  const v = parsePayload(account, payload);
  if (v.k !== "default" && v.k !== "high_levered_strategy") throw new MalformedPositionError(account, `unknown account kind ${JSON.stringify(v.k)}`);
  try {
    return { kind: v.k, deposits: amounts(v.dp, "dp"), lendsScaled: amounts(v.l, "l"), debtShares: amounts(v.ds, "ds") };
  } catch (err) {
    throw new MalformedPositionError(account, (err as Error).message);
  }
}

/** Splits a Redis value `<height>|<payload>`. */
export function splitCacheValue(account: string, value: string): { height: number; payload: string } {
  const bar = value.indexOf("|");
  const height = Number(value.slice(0, bar));
  if (bar <= 0 || !Number.isSafeInteger(height)) throw new MalformedPositionError(account, "value does not start with <height>|");
  return { height, payload: value.slice(bar + 1) };
}
