import { describe, expect, it } from "vitest";
import { fillFirst } from "./signer-pool.js";

describe("fillFirst", () => {
  /** Names of the signers `n` attempts in a row are given (none finishing), with `room` per transaction. */
  const picks = (busy: number[], room: number, n: number) => {
    const signers = busy.map((b, i) => ({ name: "abc"[i]!, busy: b }));
    return Array.from({ length: n }, () => {
      const s = fillFirst(signers, room)!;
      s.busy++;
      return s.name;
    }).join("");
  };

  it("fills one signer's transaction before the next", () => {
    expect(picks([0, 0, 0], 3, 9)).toBe("aaabbbccc");
    // a signer with a transaction started is filled first, the busiest first
    expect(picks([0, 1, 2], 3, 3)).toBe("cbb");
  });

  it("passes over a signer whose next transaction is being simulated", () => {
    const signers = [
      { name: "a", busy: 2 },
      { name: "b", busy: 1 },
      { name: "c", busy: 0 },
    ];
    expect(fillFirst(signers, 3, (s) => s.name !== "a")!.name).toBe("b");
    expect(fillFirst(signers, 3, () => false)!.name).toBe("c");
  });

  it("takes the least busy when every transaction is full, and spreads single liquidations", () => {
    expect(picks([3, 4, 3], 3, 4)).toBe("acab");
    expect(picks([0, 0, 0], 1, 4)).toBe("abca");
    expect(fillFirst([], 3)).toBeUndefined();
  });
});
