import type { KvStore } from "../../state/kv-store.js";
import { Item } from "../../state/storage.js";
import { ContractError } from "../host.js";

/**
 * `mars-owner` 2.x state as every Mars contract stores it (spec §3.2 `OWNER`, Item `owner`), with
 * the `emergency-owner` feature the Mars workspaces enable: `{"std":{"owner":"..","emergency_owner":null}}`
 * once initialised, `{"proposed":{..}}` while a transfer is pending, `"abolished"` after abolition.
 */
export type OwnerState =
  | { std: { owner: string; emergency_owner: string | null } }
  | { proposed: { owner: string; proposed: string; emergency_owner: string | null } }
  | "abolished";

/** The owner Item under `key` (`owner` for every Mars contract; `risk_manager` is a second one in params [NTRN]). */
export function ownerItem(key = "owner"): Item<OwnerState> {
  return new Item<OwnerState>(key);
}

/** Writes the initial owner at instantiation (`OwnerInit::SetInitialOwner`). */
export function initOwner(store: KvStore, owner: string, key = "owner"): void {
  ownerItem(key).save(store, { std: { owner, emergency_owner: null } });
}

/** The current owner, or null when uninitialised or abolished. */
export function currentOwner(store: KvStore, key = "owner"): string | null {
  const s = ownerItem(key).load(store);
  if (!s || s === "abolished") return null;
  return "std" in s ? s.std.owner : s.proposed.owner;
}

/** The proposed new owner, if a transfer is pending. */
export function proposedOwner(store: KvStore, key = "owner"): string | null {
  const s = ownerItem(key).load(store);
  return s && s !== "abolished" && "proposed" in s ? s.proposed.proposed : null;
}

/** Throws the mars-owner error "Caller is not owner" unless `sender` is the current owner. */
export function assertOwner(store: KvStore, sender: string, key = "owner"): void {
  if (currentOwner(store, key) !== sender) throw new ContractError("Caller is not owner");
}
