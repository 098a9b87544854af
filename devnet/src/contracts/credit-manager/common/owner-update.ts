import type { KvStore } from "../../../state/kv-store.js";
import { ContractError, variant } from "../../host.js";
import { reqString } from "../../mars-core/msg-fields.js";
import { assertOwner, currentOwner, ownerItem, proposedOwner } from "../../mars-core/owner.js";

/**
 * The parts of mars-owner 2.0 (`emergency-owner` feature) the credit manager, health contract and
 * swapper need beyond `mars-core/owner.ts`: the `OwnerResponse` query shape and the
 * `update_owner` transitions.
 */

/** `OwnerResponse` (the `ownership` of config responses, the swapper's `owner` query). */
export interface OwnerResponse {
  owner: string | null;
  proposed: string | null;
  initialized: boolean;
  abolished: boolean;
  emergency_owner: string | null;
}

/** `Owner::query`. */
export function ownerResponse(store: KvStore): OwnerResponse {
  const s = ownerItem().load(store);
  const inner = !s || s === "abolished" ? undefined : "std" in s ? s.std : s.proposed;
  return {
    owner: currentOwner(store),
    proposed: proposedOwner(store),
    initialized: s !== undefined,
    abolished: s === "abolished",
    emergency_owner: inner?.emergency_owner ?? null,
  };
}

/** Runs an `OwnerUpdate` (`propose_new_owner`, `clear_proposed`, `accept_proposed`, `abolish_owner_role`); returns the attributes. */
export function updateOwner(store: KvStore, sender: string, update: unknown): [string, string][] {
  const [name, body] = variant(update);
  const item = ownerItem();
  const s = item.load(store);
  if (name === "propose_new_owner" && s && s !== "abolished" && "std" in s) {
    assertOwner(store, sender);
    item.save(store, { proposed: { owner: s.std.owner, proposed: reqString("mars_owner::OwnerUpdate", body, "proposed"), emergency_owner: s.std.emergency_owner } });
  } else if (name === "clear_proposed" && s && s !== "abolished" && "proposed" in s) {
    assertOwner(store, sender);
    item.save(store, { std: { owner: s.proposed.owner, emergency_owner: s.proposed.emergency_owner } });
  } else if (name === "accept_proposed" && s && s !== "abolished" && "proposed" in s) {
    if (s.proposed.proposed !== sender) throw new ContractError("Caller is not the proposed owner");
    item.save(store, { std: { owner: s.proposed.proposed, emergency_owner: s.proposed.emergency_owner } });
  } else if (name === "abolish_owner_role" && s && s !== "abolished" && "std" in s) {
    assertOwner(store, sender);
    item.save(store, "abolished");
  } else {
    throw new ContractError("Owner state transition was not valid");
  }
  const res = ownerResponse(store);
  return [
    ["action", "update_owner"],
    ["owner", res.owner ?? "None"],
    ["proposed", res.proposed ?? "None"],
    ["sender", sender],
  ];
}
