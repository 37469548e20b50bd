/**
 * Cluster sharding: split an ordered list of indivisible units (scalable units, whose nodes
 * never straddle two clusters) into as few contiguous clusters as a node cap allows, then even
 * them out so no cluster is left with a small remainder.
 */

/** Greedy contiguous packing: optimal in the number of groups for an ordered list. */
function countGroups(sizes: readonly number[], cap: number): number {
  let groups = 0;
  let current = cap + 1;
  for (const size of sizes) {
    if (current + size > cap) {
      groups++;
      current = 0;
    }
    current += size;
  }
  return groups;
}

function packGreedy(sizes: readonly number[], cap: number): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let filled = 0;
  sizes.forEach((size, index) => {
    if (current.length > 0 && filled + size > cap) {
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

/**
 * Groups of unit indices, each group's total ≤ cap, as few groups as possible and with the
 * largest group as small as possible. Undefined when one unit alone is larger than the cap.
 */
export function partitionUnits(sizes: readonly number[], cap: number): number[][] | undefined {
  if (sizes.length === 0) return [];
  const largest = Math.max(...sizes);
  if (largest > cap) return undefined;
  const groupCount = countGroups(sizes, cap);
  // Smallest cap that still packs into groupCount groups: binary search between the even
  // share and the given cap.
  const total = sizes.reduce((a, b) => a + b, 0);
  let low = Math.max(largest, Math.ceil(total / groupCount));
  let high = cap;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (countGroups(sizes, mid) <= groupCount) high = mid;
    else low = mid + 1;
  }
  return packGreedy(sizes, low);
}
