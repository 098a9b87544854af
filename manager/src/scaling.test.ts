import { describe, expect, it } from "vitest";
import { capacityFromHeartbeats, decideInstances, type ScalingRules, type ServiceLoad } from "./scaling.js";

const rules: ScalingRules = { min: 1, max: 10, timeframeSec: 1, headroom: 1.5, scaleDownAfterBlocks: 5 };
const load = (o: Partial<ServiceLoad>): ServiceLoad => ({ running: 2, starting: 0, backlog: 0, perBlock: 100, missed: 0, capacityPerInstance: 100, ...o });

describe("decideInstances", () => {
  it("sizes absolutely from measured capacity: 300 items/block at 100/s per instance, headroom 1.5 → 5", () => {
    expect(decideInstances(load({ perBlock: 300 }), rules, 0)).toMatchObject({ target: 5 });
  });

  it("scales up at once when behind, to what clears the backlog at the current rate", () => {
    // 2 instances did 100 per block; 400 waiting + 100 new → 2 × 500/100 = 10
    expect(decideInstances(load({ backlog: 400, capacityPerInstance: null }), rules, 0)).toMatchObject({ target: 10 });
    expect(decideInstances(load({ missed: 3, capacityPerInstance: null }), rules, 0)).toMatchObject({ target: 3 });
  });

  it("does not change while a previous change is still starting", () => {
    expect(decideInstances(load({ starting: 2, backlog: 10_000 }), rules, 0)).toEqual({ target: 4, reason: "2 instance(s) still starting", slack: false });
  });

  it("scales down only after sustained slack, then to the measured need", () => {
    const idle = load({ running: 6, perBlock: 100, capacityPerInstance: 100 }); // need ceil(150/100) = 2
    expect(decideInstances(idle, rules, 4)).toMatchObject({ target: 6, slack: true });
    expect(decideInstances(idle, rules, 5)).toMatchObject({ target: 2, slack: true });
  });

  it("clamps to min and max, and starts one instance for work with none running", () => {
    expect(decideInstances(load({ perBlock: 100_000 }), rules, 0).target).toBe(10);
    expect(decideInstances(load({ running: 3, perBlock: 0, capacityPerInstance: 100 }), { ...rules, min: 2 }, 9).target).toBe(2);
    expect(decideInstances(load({ running: 0, perBlock: 1, capacityPerInstance: null }), { ...rules, min: 0 }, 0).target).toBe(1);
  });
});

describe("capacityFromHeartbeats", () => {
  it("is processed items per busy second over all consumers", () => {
    expect(capacityFromHeartbeats([{ processed: 30, busyMs: 150 }, { processed: 10, busyMs: 50 }])).toBe(200);
    expect(capacityFromHeartbeats([{ processed: 0, busyMs: 0 }])).toBeNull();
  });
});
