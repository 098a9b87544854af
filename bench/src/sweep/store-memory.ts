import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** What holding the positions of every shard in a `ShardStore` costs (see store-memory-child.ts). */
export interface StoreMemory {
  positions: number;
  /** Live heap after full GCs, before and after loading, in bytes. */
  heapBefore: number;
  heapAfter: number;
  /** Loading every shard from Redis (HSCAN pages, decode), ms. */
  loadMs: number;
  /** RSS of the measuring process at the end, bytes. */
  rss: number;
}

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "store-memory-child.js");

/** Runs the measurement in a fresh `node --expose-gc` child, so nothing else of the benchmark is on its heap. */
export async function measureStoreMemory(redisUrl: string, namespace: string, chain: string, shards: number): Promise<StoreMemory> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", CHILD, redisUrl, namespace, chain, String(shards)], { maxBuffer: 1 << 20, timeout: 600_000 });
  const line = stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as StoreMemory;
  } catch {
    throw new Error(`store-memory-child.js printed no result: ${stdout.slice(-500)}`);
  }
}
