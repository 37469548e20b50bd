/**
 * Fat-tree (folded Clos) sizing from the switch radix. With k ports per switch, a non-blocking
 * 2-tier tree reaches k²/2 hosts with k leaves and k/2 spines; 3 tiers reach k³/4 hosts with
 * 5k²/4 switches (Al-Fares, Loukissas, Vahdat, "A Scalable, Commodity Data Center Network
 * Architecture", SIGCOMM 2008). Oversubscription is taken at the leaf only: a leaf gives
 * k·o/(o+1) ports to hosts and the rest to the tier above.
 */

export interface FatTreeInput {
  /** Endpoints (NIC ports) the tree must connect. */
  readonly hosts: number;
  /** Ports per switch at the link speed. */
  readonly radix: number;
  /** Leaf downlink:uplink ratio, ≥ 1. */
  readonly oversubscription: number;
  readonly maxTiers: number;
}

export interface FatTree {
  readonly tiers: 1 | 2 | 3;
  readonly leaves: number;
  readonly spines: number;
  readonly cores: number;
  readonly switches: number;
  /** Switch-to-switch links plus host links. */
  readonly links: number;
  /** Hosts the chosen number of tiers could reach at this radix and oversubscription. */
  readonly maxHosts: number;
}

/** Host ports per leaf at an oversubscription ratio (at least 1, at most radix - 1). */
export function leafDownlinks(radix: number, oversubscription: number): number {
  const down = Math.floor((radix * oversubscription) / (oversubscription + 1));
  return Math.min(Math.max(down, 1), radix - 1);
}

/** The most hosts a tree of `tiers` tiers can connect. */
export function maxHostsForTiers(radix: number, oversubscription: number, tiers: number): number {
  if (radix < 2) return 0;
  if (tiers === 1) return radix;
  const down = leafDownlinks(radix, oversubscription);
  // 2 tiers: each spine port reaches a different leaf, so at most `radix` leaves.
  if (tiers === 2) return radix * down;
  // 3 tiers: `radix` pods of radix/2 leaves, each pod a 2-tier tree whose aggregation switches
  // give half their ports to the core.
  return radix * Math.floor(radix / 2) * down;
}

/**
 * The smallest tree that connects `hosts`, or undefined when even `maxTiers` tiers are not enough
 * (the caller reports that as an error naming the limit).
 */
export function sizeFatTree(input: FatTreeInput): FatTree | undefined {
  const { hosts, radix, oversubscription, maxTiers } = input;
  if (hosts <= 0 || radix < 2) return undefined;
  for (let tiers = 1; tiers <= maxTiers; tiers++) {
    const maxHosts = maxHostsForTiers(radix, oversubscription, tiers);
    if (hosts > maxHosts) continue;
    if (tiers === 1) {
      return { tiers: 1, leaves: 1, spines: 0, cores: 0, switches: 1, links: hosts, maxHosts };
    }
    const down = leafDownlinks(radix, oversubscription);
    const up = radix - down;
    const leaves = Math.ceil(hosts / down);
    const leafUplinks = leaves * up;
    if (tiers === 2) {
      const spines = Math.ceil(leafUplinks / radix);
      return { tiers: 2, leaves, spines, cores: 0, switches: leaves + spines, links: hosts + leafUplinks, maxHosts };
    }
    const half = Math.floor(radix / 2);
    const spines = Math.ceil(leafUplinks / half);
    const spineUplinks = spines * half;
    const cores = Math.ceil(spineUplinks / radix);
    return {
      tiers: 3,
      leaves,
      spines,
      cores,
      switches: leaves + spines + cores,
      links: hosts + leafUplinks + spineUplinks,
      maxHosts,
    };
  }
  return undefined;
}
