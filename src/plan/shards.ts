/**
 * Cluster sharding that is stable under growth. Scalable units (whose nodes never straddle two
 * clusters) fill clusters in campus order up to a per-cluster target, and the target is taken from
 * the building's floor (rack positions), not from today's units. Adding units at the end of a
 * building's order (its last pool, or a new pool) therefore never moves an existing unit: every
 * moved node would have to re-register with another control plane. At full build-out the clusters
 * are balanced, because the target is the floor's even share of the node cap. Units are packed at
 * their full size, so a partial last unit that fills up later keeps its place.
 *
 * Growing an earlier pool of a multi-pool building inserts units before later ones and can move
 * those; the review diff counts moved nodes and says so (src/review/diff/unit-moves.ts).
 */

/**
 * Nodes each cluster is filled to: the even share of the floor's nodes over as few clusters as the
 * cap allows, rounded up to whole units of the largest size (so the share is not lost to rounding),
 * never above the cap, never below the largest unit.
 */
export function clusterTarget(floorNodes: number, cap: number, largestUnit: number): number {
  const clusters = Math.max(1, Math.ceil(floorNodes / cap));
  const share = Math.ceil(floorNodes / clusters);
  const whole = largestUnit > 0 ? Math.ceil(share / largestUnit) * largestUnit : share;
  return Math.min(cap, Math.max(largestUnit, whole));
}

/**
 * Groups of unit indices in order: a unit joins the current group while the group stays within
 * `target` nodes, else it starts the next group. Undefined when one unit alone is larger than the cap.
 * A prefix of `sizes` always packs into the same groups, which is what makes growth stable.
 */
export function packUnits(sizes: readonly number[], target: number, cap: number): number[][] | undefined {
  if (sizes.some((size) => size > cap)) return undefined;
  const limit = Math.min(cap, Math.max(target, ...sizes, 0));
  const groups: number[][] = [];
  let current: number[] = [];
  let filled = 0;
  sizes.forEach((size, index) => {
    if (current.length > 0 && filled + size > limit) {
      groups.push(current);
      current = [];
      filled = 0;
    }
    current.push(index);
    filled += size;
  });
  if (current.length > 0) groups.push(current);
  return groups;
}
