/**
 * Sizing one Clos (fat-tree) fabric, rail-optimized, from the switch radix. With k ports per switch,
 * a non-blocking 2-tier tree reaches k²/2 hosts and 3 tiers k³/4 (Al-Fares, Loukissas, Vahdat, "A
 * Scalable, Commodity Data Center Network Architecture", SIGCOMM 2008). Oversubscription is taken at
 * the leaf only: a leaf gives k·o/(o+1) ports to hosts and the rest to the tier above.
 *
 * Rail-optimized: "a GPU node with multiple interfaces will put each GPU 'rail' … onto a different
 * first level (LEAF) switch" (NVIDIA InfiniBand cluster bring-up procedure,
 * https://docs.nvidia.com/networking/display/ibclusterbringupprocedure/setting+the+infiniband+cluster+topology);
 * the rails are joined at the spine ("Traffic between nodes, or between rails, traverses the spine
 * layer", DGX SuperPOD B300 RA, network fabrics). So leaves are counted per rail, which also sizes the
 * busiest rails of a building whose pools have different NIC counts.
 *
 * Spine counts divide every leaf's uplinks evenly: NVIDIA's DGX SuperPOD B300 Quantum-X800 RA (Table 3)
 * publishes 18 and 36 spines for 32 and 64 leaves of 72 uplinks where ⌈uplinks/144⌉ gives 16 and 32; 18
 * and 36 are the smallest divisors of 72 at or above them (research issue 13, §1b and §3). Each leaf then
 * sends U/S links to every spine, and a spine added later does not re-cable the others only when
 * the count stays a divisor (ipSpace.net, "Leaf-and-Spine Fabrics Between Theory and Reality", 2023-03).
 */

export interface FatTreeInput {
  /** Host links on each rail (rail i = NIC i of every node); one entry for a fabric without rails. */
  readonly hostsPerRail: readonly number[];
  /** Ports per switch at the link speed. */
  readonly radix: number;
  /** Leaf downlink:uplink ratio, ≥ 1. */
  readonly oversubscription: number;
  readonly maxTiers: number;
  /**
   * Hosts per rail when the building's floor is full: the tier count is the fewest that holds them,
   * so growth up to the floor never adds a tier.
   * @default - the hosts: the fewest tiers for today's fabric
   */
  readonly growthHostsPerRail?: readonly number[];
}

/** Links of each tier, as NVIDIA's reference architectures count cables. */
export interface TierLinks {
  readonly nodeLeaf: number;
  readonly leafSpine: number;
  readonly spineCore: number;
}

export interface FatTree {
  readonly tiers: 1 | 2 | 3;
  readonly leaves: number;
  readonly spines: number;
  readonly cores: number;
  readonly switches: number;
  readonly leavesPerRail: readonly number[];
  readonly downlinksPerLeaf: number;
  readonly uplinksPerLeaf: number;
  /** Links from each leaf to each spine of its pod (uplinks / spines per pod). */
  readonly linksPerLeafSpinePair: number;
  /** Pods of a 3-tier tree (filled in order, the last one partly); 1 otherwise. */
  readonly pods: number;
  readonly links: TierLinks;
  /** All links: host links plus switch-to-switch links. */
  readonly totalLinks: number;
  /** Hosts the chosen number of tiers could reach at this radix and oversubscription. */
  readonly maxHosts: number;
  /** Leaves that can still be added without a new spine (so without re-cabling existing leaves). */
  readonly leavesBeforeNewSpine: number;
}

/** Host ports per leaf at an oversubscription ratio (at least 1, at most radix - 1). */
export function leafDownlinks(radix: number, oversubscription: number): number {
  const down = Math.floor((radix * oversubscription) / (oversubscription + 1));
  return Math.min(Math.max(down, 1), radix - 1);
}

/** The most leaves a tree of `tiers` tiers can hold: a spine port per leaf, k pods of k/2 in 3 tiers. */
function maxLeavesForTiers(radix: number, tiers: number): number {
  if (tiers === 1) return 1;
  if (tiers === 2) return radix;
  return radix * Math.floor(radix / 2);
}

/** The most hosts a tree of `tiers` tiers can connect. */
export function maxHostsForTiers(radix: number, oversubscription: number, tiers: number): number {
  if (radix < 2) return 0;
  if (tiers === 1) return radix;
  return maxLeavesForTiers(radix, tiers) * leafDownlinks(radix, oversubscription);
}

/** The smallest divisor of `uplinks` that is at least `needed`, or undefined when none is. */
export function evenSpineCount(uplinks: number, needed: number): number | undefined {
  for (let d = Math.max(1, needed); d <= uplinks; d++) if (uplinks % d === 0) return d;
  return undefined;
}

function fitsTiers(hostsPerRail: readonly number[], radix: number, down: number, tiers: number): boolean {
  const hosts = hostsPerRail.reduce((a, b) => a + b, 0);
  if (tiers === 1) return hosts <= radix;
  const leaves = hostsPerRail.reduce((sum, h) => sum + Math.ceil(h / down), 0);
  return leaves <= maxLeavesForTiers(radix, tiers);
}

/** Spines for `leaves` leaves whose spines have `spinePorts` ports towards them. */
function spinesFor(leaves: number, uplinks: number, spinePorts: number): number {
  return evenSpineCount(uplinks, Math.ceil((leaves * uplinks) / spinePorts)) ?? uplinks;
}

function leavesBeforeNewSpine(leaves: number, spines: number, uplinks: number, spinePorts: number, cap: number) {
  const perPair = uplinks / spines;
  const free = spinePorts - leaves * perPair;
  return Math.max(0, Math.min(Math.floor(free / perPair), cap - leaves));
}

/**
 * The tree that connects every rail's hosts, with the fewest tiers that also hold the growth hosts
 * (when that fits `maxTiers`), or undefined when even `maxTiers` tiers cannot connect today's hosts
 * (the caller reports that as an error naming the limit).
 */
export function sizeFatTree(input: FatTreeInput): FatTree | undefined {
  const { hostsPerRail, radix, oversubscription, maxTiers } = input;
  const hosts = hostsPerRail.reduce((a, b) => a + b, 0);
  if (hosts <= 0 || radix < 2) return undefined;
  const down = leafDownlinks(radix, oversubscription);
  const up = radix - down;
  const fewest = (perRail: readonly number[]) => {
    for (let t = 1; t <= maxTiers; t++) if (fitsTiers(perRail, radix, down, t)) return t;
    return undefined;
  };
  const now = fewest(hostsPerRail);
  if (now === undefined) return undefined;
  const growth = input.growthHostsPerRail ? fewest(input.growthHostsPerRail) : undefined;
  const tiers = Math.max(now, growth ?? now) as 1 | 2 | 3;
  const maxHosts = maxHostsForTiers(radix, oversubscription, tiers);
  if (tiers === 1) {
    return {
      tiers,
      leaves: 1,
      spines: 0,
      cores: 0,
      switches: 1,
      leavesPerRail: hostsPerRail.map(() => 0),
      downlinksPerLeaf: radix,
      uplinksPerLeaf: 0,
      linksPerLeafSpinePair: 0,
      pods: 1,
      links: { nodeLeaf: hosts, leafSpine: 0, spineCore: 0 },
      totalLinks: hosts,
      maxHosts,
      leavesBeforeNewSpine: 0,
    };
  }
  const leavesPerRail = hostsPerRail.map((h) => Math.ceil(h / down));
  const leaves = leavesPerRail.reduce((a, b) => a + b, 0);
  const leafSpine = leaves * up;
  if (tiers === 2) {
    const spines = spinesFor(leaves, up, radix);
    return {
      tiers,
      leaves,
      spines,
      cores: 0,
      switches: leaves + spines,
      leavesPerRail,
      downlinksPerLeaf: down,
      uplinksPerLeaf: up,
      linksPerLeafSpinePair: up / spines,
      pods: 1,
      links: { nodeLeaf: hosts, leafSpine, spineCore: 0 },
      totalLinks: hosts + leafSpine,
      maxHosts,
      leavesBeforeNewSpine: leavesBeforeNewSpine(leaves, spines, up, radix, radix),
    };
  }
  // 3 tiers: pods of up to k/2 leaves, filled in order so growth lands in the last pod; a pod's
  // spines give half their ports to its leaves and half to the core (1:1 above the leaf).
  const podLeaves = Math.floor(radix / 2);
  const pods = Math.ceil(leaves / podLeaves);
  const lastPodLeaves = leaves - (pods - 1) * podLeaves;
  const fullPodSpines = spinesFor(podLeaves, up, podLeaves);
  const lastPodSpines = spinesFor(lastPodLeaves, up, podLeaves);
  const spines = (pods - 1) * fullPodSpines + lastPodSpines;
  const spineCore = leafSpine;
  const cores = Math.ceil(spineCore / radix);
  return {
    tiers,
    leaves,
    spines,
    cores,
    switches: leaves + spines + cores,
    leavesPerRail,
    downlinksPerLeaf: down,
    uplinksPerLeaf: up,
    linksPerLeafSpinePair: up / (pods === 1 ? lastPodSpines : fullPodSpines),
    pods,
    links: { nodeLeaf: hosts, leafSpine, spineCore },
    totalLinks: hosts + leafSpine + spineCore,
    maxHosts,
    leavesBeforeNewSpine: leavesBeforeNewSpine(lastPodLeaves, lastPodSpines, up, podLeaves, podLeaves),
  };
}
