import type { Coin } from "../contracts/host.js";
import type { Journal } from "./journal.js";

/** Thrown when an account cannot pay; the text follows the cosmos-sdk bank module. */
export class InsufficientFundsError extends Error {
  constructor(address: string, have: bigint, need: bigint, denom: string) {
    super(`spendable balance ${have}${denom} is smaller than ${need}${denom}: insufficient funds`);
    this.name = "InsufficientFundsError";
    void address;
  }
}

/** Bank balances: address → denom → integer amount. Every change is journaled. */
export class Bank {
  readonly #balances = new Map<string, Map<string, bigint>>();
  readonly #supply = new Map<string, bigint>();
  readonly #journal: Journal;

  /**
   * Called with the address every time an account is credited (mint or receipt of a send), before
   * the balance changes; the chain uses it to create auth accounts on first receipt, as the bank
   * module does. Must be cheap: it runs on every credit.
   */
  onCredit: ((address: string) => void) | undefined = undefined;

  constructor(journal: Journal) {
    this.#journal = journal;
  }

  balance(address: string, denom: string): bigint {
    this.#journal.meter?.read(address.length + denom.length, 16);
    return this.#balances.get(address)?.get(denom) ?? 0n;
  }

  /** Every address that has ever held a balance, in the order each was first credited. */
  holders(): IterableIterator<string> {
    return this.#balances.keys();
  }

  /** All non-zero balances of an address, sorted by denom (as the bank module returns them). */
  balances(address: string): Coin[] {
    const m = this.#balances.get(address);
    if (!m) return [];
    return [...m.entries()].filter(([, a]) => a > 0n).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([denom, a]) => ({ denom, amount: a.toString() }));
  }

  supply(denom: string): bigint {
    return this.#supply.get(denom) ?? 0n;
  }

  /** Creates coins (genesis funding, scenario set-up). */
  mint(address: string, denom: string, amount: bigint): void {
    this.#add(address, denom, amount);
    this.#setSupply(denom, this.supply(denom) + amount);
  }

  /** Destroys coins (tx fees are burned in the devnet). */
  burn(address: string, denom: string, amount: bigint): void {
    this.#sub(address, denom, amount);
    this.#setSupply(denom, this.supply(denom) - amount);
  }

  send(from: string, to: string, coins: readonly Coin[]): void {
    for (const c of coins) {
      const amount = BigInt(c.amount);
      if (amount === 0n) continue;
      this.#sub(from, c.denom, amount);
      this.#add(to, c.denom, amount);
    }
  }

  #setSupply(denom: string, value: bigint): void {
    const prev = this.supply(denom);
    this.#supply.set(denom, value);
    this.#journal.record(() => this.#supply.set(denom, prev));
  }

  #add(address: string, denom: string, amount: bigint): void {
    this.onCredit?.(address);
    this.#set(address, denom, this.balance(address, denom) + amount);
  }

  #sub(address: string, denom: string, amount: bigint): void {
    const have = this.balance(address, denom);
    if (have < amount) throw new InsufficientFundsError(address, have, amount, denom);
    this.#set(address, denom, have - amount);
  }

  #set(address: string, denom: string, value: bigint): void {
    this.#journal.meter?.write(address.length + denom.length, 16);
    let m = this.#balances.get(address);
    if (!m) {
      m = new Map();
      this.#balances.set(address, m);
    }
    const prev = m.get(denom) ?? 0n;
    m.set(denom, value);
    this.#journal.record(() => m.set(denom, prev));
  }
}
