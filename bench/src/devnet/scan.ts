import { setupWasmExtension, type WasmExtension } from "@cosmjs/cosmwasm";
import { fromBase64, fromHex, toBase64 } from "@cosmjs/encoding";
import { QueryClient, createProtobufRpcClient } from "@cosmjs/stargate";
import { connectComet, type CometClient } from "@cosmjs/tendermint-rpc";
import { PageRequest } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { QueryClientImpl } from "cosmjs-types/cosmwasm/wasm/v1/query";

/**
 * Raw-state scans of the Red Bank's `debts` and `colls` maps, as a bot that indexes every
 * position without the contract's smart queries would: start at the map's raw key prefix
 * (cw-storage-plus: u16 length of the namespace, then the namespace) and follow `next_key` until
 * the first key outside the prefix.
 */

/** The two maps and their raw key prefixes (hex). */
export const STATE_MAPS = [
  { name: "debts", prefixHex: "00056465627473" },
  { name: "colls", prefixHex: "0005636f6c6c73" },
] as const;

/** One page: the entries' keys and the key of the next page (undefined at the end of the store). */
interface Page {
  keys: Uint8Array[];
  nextKey: Uint8Array | undefined;
}

/** How a scan fetches the page starting at `key`. */
type PageFetcher = (key: Uint8Array) => Promise<Page>;

/** What one map's scan found. */
export interface MapScan {
  ms: number;
  pages: number;
  entries: number;
  /** Largest page seen: the page size the server used. */
  pageSize: number;
}

/** What one scan of both maps found (ms is the sum: the maps are scanned one after the other). */
export interface Scan {
  ms: number;
  pages: number;
  entries: number;
  pageSize: number;
  maps: Record<string, MapScan>;
}

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

async function scanMap(fetchPage: PageFetcher, prefix: Uint8Array): Promise<MapScan> {
  const t0 = performance.now();
  let key = prefix;
  let pages = 0;
  let entries = 0;
  let pageSize = 0;
  for (;;) {
    const page = await fetchPage(key);
    pages++;
    pageSize = Math.max(pageSize, page.keys.length);
    let outside = false;
    for (const k of page.keys) {
      if (!startsWith(k, prefix)) {
        outside = true;
        break;
      }
      entries++;
    }
    // Done at the first key outside the prefix: in this page, or the next page's first key.
    if (outside || !page.nextKey || page.nextKey.length === 0 || !startsWith(page.nextKey, prefix)) break;
    key = page.nextKey;
  }
  return { ms: performance.now() - t0, pages, entries, pageSize };
}

async function scanMaps(fetchPage: PageFetcher): Promise<Scan> {
  const maps: Record<string, MapScan> = {};
  for (const m of STATE_MAPS) maps[m.name] = await scanMap(fetchPage, fromHex(m.prefixHex));
  const all = Object.values(maps);
  return {
    ms: all.reduce((a, m) => a + m.ms, 0),
    pages: all.reduce((a, m) => a + m.pages, 0),
    entries: all.reduce((a, m) => a + m.entries, 0),
    pageSize: Math.max(...all.map((m) => m.pageSize)),
    maps,
  };
}

/** RPC scans through one CometBFT connection (HTTP JSON-RPC `abci_query`). */
export class RpcScanner {
  private constructor(
    readonly comet: CometClient,
    readonly query: QueryClient & WasmExtension,
    readonly wasm: QueryClientImpl,
  ) {}

  static async connect(rpc: string): Promise<RpcScanner> {
    const comet = await connectComet(rpc);
    const query = QueryClient.withExtensions(comet, setupWasmExtension);
    return new RpcScanner(comet, query, new QueryClientImpl(createProtobufRpcClient(query)));
  }

  /** cosmjs' `wasm.getAllContractState(address, key)`: no limit, so the server's default page. */
  scanCosmjs(address: string): Promise<Scan> {
    return scanMaps(async (key) => {
      const res = await this.query.wasm.getAllContractState(address, key);
      return { keys: res.models.map((m) => m.key), nextKey: res.pagination?.nextKey };
    });
  }

  /** The same ABCI query (`/cosmwasm.wasm.v1.Query/AllContractState`) with `pagination.limit`. */
  scanWithLimit(address: string, limit: number): Promise<Scan> {
    return scanMaps(async (key) => {
      const res = await this.wasm.AllContractState({ address, pagination: PageRequest.fromPartial({ key, limit: BigInt(limit) }) });
      return { keys: res.models.map((m) => m.key), nextKey: res.pagination?.nextKey };
    });
  }

  disconnect(): void {
    this.comet.disconnect();
  }
}

/** LCD scan: `GET /cosmwasm/wasm/v1/contract/{addr}/state?pagination.key=..[&pagination.limit=..]`. */
export function scanLcd(lcd: string, address: string, limit?: number): Promise<Scan> {
  return scanMaps(async (key) => {
    const url = `${lcd}/cosmwasm/wasm/v1/contract/${address}/state?pagination.key=${encodeURIComponent(toBase64(key))}${limit ? `&pagination.limit=${limit}` : ""}`;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`LCD state: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
    const body = (await res.json()) as { models: { key: string }[]; pagination: { next_key: string | null } };
    return { keys: body.models.map((m) => fromHex(m.key)), nextKey: body.pagination.next_key ? fromBase64(body.pagination.next_key) : undefined };
  });
}

