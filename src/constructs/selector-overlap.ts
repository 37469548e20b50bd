/** A pool as a construct selects it: its object name and the node labels that pick its nodes. */
export interface PoolSelection {
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
}

/**
 * Errors for pools whose selectors are equal, so that they would pick each other's nodes (two
 * device plugins fighting over one kubelet socket, two ResourceFlavors counting the same GPUs).
 */
export function sameSelectorErrors(pools: readonly PoolSelection[]): string[] {
  const seen = new Map<string, string>();
  const errors: string[] = [];
  for (const { name, selector } of pools) {
    const key = JSON.stringify(Object.entries(selector).sort());
    const other = seen.get(key);
    if (other) errors.push(`pools ${other} and ${name} select the same nodes (${key}): add a distinguishing label`);
    else seen.set(key, name);
  }
  return errors;
}
