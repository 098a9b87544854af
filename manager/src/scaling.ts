/**
 * How many instances a service needs (DESIGN.md "Manager and orchestration"): absolute targets
 * from measured work, not ±1 steps. Scale up at once when work is waiting or was missed; scale
 * down only after sustained slack; never change while a previous change is still starting.
 */

/** What the manager measured about one service at one block. */
export interface ServiceLoad {
  /** Instances running, and starting (asked for, not running yet). */
  running: number;
  starting: number;
  /** Items waiting or in progress at this block, before its own work was added. */
  backlog: number;
  /** Items one block brings (this block's work). */
  perBlock: number;
  /** Work dropped as stale since the last block (the service fell behind). */
  missed: number;
  /**
   * Items one instance finishes per second while busy (from heartbeats: processed ÷ busy time),
   * or null before any was measured.
   */
  capacityPerInstance: number | null;
}

export interface ScalingRules {
  min: number;
  max: number;
  /** Seconds available for one block's work (TIMEFRAME_BLOCKS × block time). */
  timeframeSec: number;
  /** Multiplier on the measured need (e.g. 1.5 keeps a third spare). */
  headroom: number;
  /** Blocks of continuous slack before scaling down. */
  scaleDownAfterBlocks: number;
}

export interface ScalingDecision {
  target: number;
  reason: string;
  /** The measured need is below the running count this block (the caller counts consecutive ones). */
  slack: boolean;
}

/**
 * The instance count for the next block. `slackBlocks` is how many consecutive blocks, this one
 * included if it is slack too, the service needed fewer instances than it had: the caller keeps
 * that count from the returned `slack`.
 */
export function decideInstances(load: ServiceLoad, rules: ScalingRules, slackBlocks: number): ScalingDecision {
  const clamp = (n: number) => Math.min(rules.max, Math.max(rules.min, n));
  const current = load.running + load.starting;
  if (load.starting > 0) return { target: clamp(current), reason: `${load.starting} instance(s) still starting`, slack: false };
  const work = load.backlog + load.perBlock;
  // What the measured capacity says is needed to finish a block's work (and the backlog) in time.
  const needed =
    load.capacityPerInstance !== null && load.capacityPerInstance > 0
      ? Math.ceil((work * rules.headroom) / (load.capacityPerInstance * rules.timeframeSec))
      : load.running;
  if (load.missed > 0 || load.backlog > load.perBlock) {
    // Behind: at least enough for the backlog at the current rate, and at least one more.
    const catchUp = load.running === 0 ? 1 : Math.ceil((load.running * work) / Math.max(1, load.perBlock));
    const target = clamp(Math.max(needed, catchUp, load.running + 1));
    return { target, reason: `behind: backlog ${load.backlog}, missed ${load.missed}, ${load.perBlock} per block`, slack: false };
  }
  const slack = needed < load.running;
  if (work > 0 && load.running === 0) return { target: clamp(Math.max(1, needed)), reason: "work and no instance", slack };
  if (needed > load.running) return { target: clamp(needed), reason: `measured need ${needed} for ${work} items`, slack };
  if (slack && slackBlocks >= rules.scaleDownAfterBlocks) return { target: clamp(needed), reason: `slack for ${slackBlocks} blocks`, slack };
  return { target: clamp(load.running), reason: "steady", slack };
}

/** Items per second one busy instance finishes, from the heartbeats of its consumers: Σ processed ÷ Σ busy seconds. */
export function capacityFromHeartbeats(heartbeats: readonly { processed: number; busyMs: number }[]): number | null {
  let processed = 0;
  let busyMs = 0;
  for (const h of heartbeats) {
    processed += h.processed;
    busyMs += h.busyMs;
  }
  return processed === 0 || busyMs <= 0 ? null : (processed * 1000) / busyMs;
}
