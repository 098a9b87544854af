import type { KvStore } from "./kv-store.js";

/**
 * cw-storage-plus 1.2 key encoding (spec/mars-contracts.md §3.1) over a {@link KvStore}. Keys are
 * latin1 strings (one char per byte); UTF-8 text is converted with {@link bytes}.
 * - `Item("name")`: the raw key is the bytes of `name`.
 * - `Map("ns")` with key `(k1, ..., kn)`: `u16be(len ns) ns u16be(len k1) k1 ... kn` — every
 *   component but the last is length-prefixed.
 */

/** UTF-8 text as a latin1 byte string. */
export function bytes(text: string): string {
  // ASCII (addresses, denoms, names) is its own UTF-8.
  return ASCII.test(text) ? text : Buffer.from(text, "utf8").toString("latin1");
}

const ASCII = /^[\x00-\x7f]*$/;

/** A latin1 byte string back to UTF-8 text. */
export function text(byteString: string): string {
  return Buffer.from(byteString, "latin1").toString("utf8");
}

function lengthPrefixed(component: string): string {
  const n = component.length;
  if (n > 0xffff) throw new Error("key component too long");
  return String.fromCharCode(n >> 8, n & 0xff) + component;
}

/** The raw key of a Map entry; components are UTF-8 text (addresses, denoms, ids). */
export function mapKey(namespace: string, ...components: string[]): string {
  const parts = components.map(bytes);
  const last = parts.pop() ?? "";
  return lengthPrefixed(bytes(namespace)) + parts.map(lengthPrefixed).join("") + last;
}

/** The raw key prefix of all entries of a Map, or of those whose first components are given. */
export function mapPrefix(namespace: string, ...components: string[]): string {
  return lengthPrefixed(bytes(namespace)) + components.map((c) => lengthPrefixed(bytes(c))).join("");
}

/** Splits a Map key (without the namespace) into `n` components, the last one unprefixed. */
export function splitKey(rest: string, n: number): string[] {
  const out: string[] = [];
  let i = 0;
  for (let c = 0; c < n - 1; c++) {
    const len = (rest.charCodeAt(i) << 8) | rest.charCodeAt(i + 1);
    out.push(text(rest.slice(i + 2, i + 2 + len)));
    i += 2 + len;
  }
  out.push(text(rest.slice(i)));
  return out;
}

/** A typed `Item`: one JSON value under a fixed key. */
export class Item<T> {
  constructor(readonly name: string) {}
  load(store: KvStore): T | undefined {
    const raw = store.get(bytes(this.name));
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  save(store: KvStore, value: T): void {
    store.set(bytes(this.name), JSON.stringify(value));
  }
}

/** A typed `Map` with an n-component key and JSON values. */
export class JsonMap<T> {
  readonly prefix: string;
  constructor(readonly namespace: string, readonly arity: number) {
    this.prefix = mapPrefix(namespace);
  }
  key(...k: string[]): string {
    if (k.length !== this.arity) throw new Error(`${this.namespace} takes ${this.arity} key components`);
    // mapKey(namespace, ...k), with the namespace's prefix made once.
    let key = this.prefix;
    for (let i = 0; i < k.length - 1; i++) key += lengthPrefixed(bytes(k[i]!));
    return k.length === 0 ? key : key + bytes(k[k.length - 1]!);
  }
  load(store: KvStore, ...k: string[]): T | undefined {
    const raw = store.get(this.key(...k));
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  save(store: KvStore, value: T, ...k: string[]): void {
    store.set(this.key(...k), JSON.stringify(value));
  }
  remove(store: KvStore, ...k: string[]): void {
    store.delete(this.key(...k));
  }
  /** Entries whose first components are `first` (all entries when empty), decoded, in key order. */
  entries(store: KvStore, first: string[] = [], limit?: number): { key: string[]; value: T }[] {
    const pre = mapPrefix(this.namespace, ...first);
    return store.prefix(pre, limit).map(([k, v]) => ({
      key: [...first, ...splitKey(k.slice(pre.length), this.arity - first.length)],
      value: JSON.parse(v) as T,
    }));
  }
}
