import { describe, expect, it } from "vitest";
import { DetectionTally } from "./tally.js";

describe("DetectionTally", () => {
  it("counts entries flagged in their block, one block later or never, and false positives", () => {
    const t = new DetectionTally(10);
    t.add(5, ["a"], ["a"]); // a: liquidatable at the start, flagged
    t.add(6, ["a", "b", "c"], ["a", "b", "x"]); // b same block; c late; x flagged but healthy
    t.add(7, ["b", "c", "d"], ["b", "c"]); // c next block; d not flagged; a recovered
    t.add(8, ["d", "a"], ["a"]); // d missed; a enters again, same block; b, c recovered
    t.add(9, ["e"], []); // e entered at the last block, never flagged: missed
    expect(t.result()).toEqual({
      debtors: 10,
      blocks: 5,
      liquidatable_at_start: 1,
      liquidatable_at_start_unflagged: 0,
      became_liquidatable: 5,
      accounts_became_liquidatable: 5,
      flagged_same_block: 2,
      flagged_next_block: 1,
      missed: 2,
      false_positives: 1,
      unflagged_account_blocks: 4,
      liquidatable_account_blocks: 10,
      recovered: 5,
    });
  });

  it("refuses blocks that are not consecutive", () => {
    const t = new DetectionTally(1);
    t.add(3, [], []);
    expect(() => t.add(5, [], [])).toThrow("blocks must be consecutive");
  });
});
