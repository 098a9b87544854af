import { describe, expect, it } from "vitest";
import { account, errorOf, fixture } from "../../test/red-bank-fixture.js";

describe("address provider (spec §0)", () => {
  it("answers address / addresses / all_addresses with the deployed contracts", () => {
    const f = fixture("osmosis");
    expect(f.query(f.c.addressProvider, { address: "red_bank" })).toEqual({ address_type: "red_bank", address: f.c.redBank });
    expect(f.query(f.c.addressProvider, { addresses: ["oracle", "params"] })).toEqual([
      { address_type: "oracle", address: f.c.oracle },
      { address_type: "params", address: f.c.params },
    ]);
    const all = f.query<{ address_type: string }[]>(f.c.addressProvider, { all_addresses: { limit: 30 } }).map((a) => a.address_type);
    expect(all).toEqual(["credit_manager", "oracle", "params", "red_bank", "rewards_collector"]);
    expect(f.query(f.c.addressProvider, { all_addresses: { start_after: "params", limit: 1 } })).toEqual([{ address_type: "red_bank", address: f.c.redBank }]);
    expect(f.query(f.c.addressProvider, { config: {} })).toEqual({ owner: f.owner, proposed_new_owner: null, prefix: "osmo" });
  });

  it("lets only the owner set addresses of known types with the chain prefix", () => {
    const f = fixture("neutron");
    const swapper = account("neutron", "swapper");
    expect(errorOf(() => f.exec(f.user, f.c.addressProvider, { set_address: { address_type: "swapper", address: swapper } }))).toBe("Caller is not owner");
    expect(errorOf(() => f.exec(f.owner, f.c.addressProvider, { set_address: { address_type: "swapper", address: account("osmo", "x") } }))).toBe(
      "Invalid chain prefix: neutron",
    );
    expect(errorOf(() => f.exec(f.owner, f.c.addressProvider, { set_address: { address_type: "bank", address: swapper } }))).toMatch(/unknown variant `bank`/);
    f.exec(f.owner, f.c.addressProvider, { set_address: { address_type: "swapper", address: swapper } });
    expect(f.query(f.c.addressProvider, { address: "swapper" })).toEqual({ address_type: "swapper", address: swapper });
    expect(errorOf(() => f.query(f.c.addressProvider, { address: "perps" }))).toBe("alloc::string::String not found");
  });
});
