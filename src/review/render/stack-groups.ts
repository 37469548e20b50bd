import type { ResourceChange, StackChange } from "../model.js";

/**
 * Stacks whose changes are the same change: a device plugin image bump touches one DaemonSet per
 * pool in every stack, at addresses named after each stack's building and pool. Comparing what
 * changes (resource type, action, attribute paths and values, stack settings), not where, puts
 * those stacks in one group that a reviewer reads once with the list of stacks it applies to.
 * Groups keep the order of their first stack.
 */
export interface StackGroup {
  readonly members: readonly StackChange[];
  /** The members' changed resources sit at different addresses (shown for the first member). */
  readonly addressesDiffer: boolean;
}

function resourceShape(r: ResourceChange): unknown {
  return [
    r.type,
    r.mode,
    r.action,
    r.dataHolding ?? false,
    r.replaceOrder ?? "",
    r.attributes.map((a) => [a.path, a.before, a.after, a.sensitive ?? false, a.forcesReplacement?.text ?? ""]),
  ];
}

export function changeShape(stack: StackChange): string {
  const resources = stack.resources.map((r) => JSON.stringify(resourceShape(r))).sort();
  const settings = stack.settings.map((a) => JSON.stringify([a.path, a.before, a.after]));
  return JSON.stringify([stack.status, settings, resources]);
}

const addressList = (stack: StackChange) =>
  stack.resources
    .map((r) => r.address)
    .sort()
    .join("\n");

export function groupIdenticalStacks(stacks: readonly StackChange[]): StackGroup[] {
  const groups = new Map<string, StackChange[]>();
  for (const stack of stacks.filter((s) => s.status !== "unchanged")) {
    const key = changeShape(stack);
    groups.set(key, [...(groups.get(key) ?? []), stack]);
  }
  return [...groups.values()].map((members) => ({
    members,
    addressesDiffer: new Set(members.map(addressList)).size > 1,
  }));
}
