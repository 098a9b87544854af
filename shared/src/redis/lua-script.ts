import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RedisClient } from "../redis/connection.js";

/**
 * Directory of the `.lua` files: `shared/lua/`. `tsc -b` does not copy `.lua` files, so they stay
 * at the package root, two levels above this module both in `src/queue/` and in `dist/queue/`.
 */
export const LUA_DIR = fileURLToPath(new URL("../../lua/", import.meta.url));

const INCLUDE_LINE = /^--- @include "([A-Za-z0-9_-]+)"[ \t]*$/gm;
const FILE_NAME = /^([a-z][A-Za-z0-9]*)-(\d+)\.lua$/;

/** One Lua script loaded from disk, with its includes resolved; run it with `runScript`. */
export interface LuaScript {
  /** `<verbNoun>` from the file name, e.g. `claimBatch`. */
  readonly name: string;
  /** The file name, e.g. `claimBatch-2.lua`. */
  readonly file: string;
  /** KEYS the script takes, from the file name (`-<numKeys>.lua`). */
  readonly numberOfKeys: number;
  /** Full source with includes inlined. */
  readonly lua: string;
  /** SHA1 of `lua`, for EVALSHA. */
  readonly sha: string;
}

/**
 * Reads a Lua file and inlines `--- @include "name"` lines with `includes/name.lua` (recursively,
 * each include once). Shared fragments such as `bumpAttempt` live in one place (bullmq's layout).
 */
export function readLua(file: string, dir: string = LUA_DIR, seen: Set<string> = new Set()): string {
  const source = readFileSync(join(dir, file), "utf8");
  return source.replace(INCLUDE_LINE, (_line, name: string) => {
    if (seen.has(name)) return `-- include ${name}: already inlined above`;
    seen.add(name);
    return readLua(join("includes", `${name}.lua`), dir, seen);
  });
}

/** Loads `<verbNoun>-<numKeys>.lua`; the key count comes from the file name. */
export function loadScript(file: string, dir: string = LUA_DIR): LuaScript {
  const match = FILE_NAME.exec(basename(file));
  if (!match) throw new Error(`Lua script file ${file} must be named <verbNoun>-<numKeys>.lua`);
  let lua: string;
  try {
    lua = readLua(file, dir);
  } catch (err) {
    throw new Error(`cannot read Lua script ${file} from ${dir}: ${(err as Error).message}; the shared/lua/ directory must ship next to shared/dist/`, { cause: err });
  }
  return { name: match[1]!, file, numberOfKeys: Number(match[2]), lua, sha: createHash("sha1").update(lua).digest("hex") };
}

/**
 * Runs a script with EVALSHA and falls back to EVAL when the server does not know it yet (first
 * use, or after a restart flushed the script cache). Checks the key count against the file name,
 * so a key builder that drifts from its script fails loudly instead of shifting KEYS.
 */
export async function runScript(redis: RedisClient, script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
  if (keys.length !== script.numberOfKeys) {
    throw new Error(`script ${script.file} takes ${script.numberOfKeys} keys, got ${keys.length}: ${keys.join(", ")}`);
  }
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
    return redis.eval(script.lua, keys.length, ...keys, ...args);
  }
}
