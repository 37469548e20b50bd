import type { DestroyWarning, ReviewReport, StackChange } from "../model.js";
import type { SynthOutput } from "../read/synth-output.js";
import { capacityDelta } from "./capacity-delta.js";
import { resourceDestroyWarnings, stackRemovalWarning } from "./destroy-risk.js";
import { diffStack } from "./stack-diff.js";
import { isRecord } from "./values.js";
import { buildingRenames, workloadImpacts } from "./workload-impact.js";

export interface SynthDiffLabels {
  /** What the old side is, e.g. "`main` (3233914)". */
  readonly before: string;
  /** What the new side is, e.g. "working tree". */
  readonly after: string;
}

/** Stack name → environment, from the clusters listed in each capacity.json. */
function stackEnvironments(...outputs: SynthOutput[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const output of outputs) {
    for (const [env, capacity] of output.capacity) {
      const clusters = isRecord(capacity) && Array.isArray(capacity.clusters) ? capacity.clusters : [];
      for (const cluster of clusters) {
        if (isRecord(cluster) && typeof cluster.stack === "string") out.set(cluster.stack, env);
      }
    }
  }
  return out;
}

/** Compares two synthesized outputs stack by stack, with the capacity delta and the destroy list. */
export function diffSynthOutputs(before: SynthOutput, after: SynthOutput, labels: SynthDiffLabels): ReviewReport {
  const environments = stackEnvironments(before, after);
  const names = [...new Set([...before.stacks.keys(), ...after.stacks.keys()])].sort();
  const stacks: StackChange[] = names.map((name) => {
    const change = diffStack(name, before.stacks.get(name), after.stacks.get(name));
    const environment = environments.get(name);
    return environment ? { ...change, environment } : change;
  });

  const renames = buildingRenames(before, after);
  const destroys: DestroyWarning[] = [];
  for (const stack of stacks) {
    if (stack.status === "removed") {
      const warning = stackRemovalWarning(stack, stack.resources.filter((r) => r.dataHolding).length);
      const twin = renamedTo(stack, stacks) ?? renamedWithBuilding(stack, stacks, renames);
      destroys.push(
        twin
          ? {
              ...warning,
              message: `${warning.message}. ${twin} is added with the same resources: if this is a rename, move the state to the new stack's backend key instead of destroying`,
            }
          : warning,
      );
    } else {
      destroys.push(...resourceDestroyWarnings(stack.stack, stack.resources));
    }
  }

  const envNames = [...new Set([...before.capacity.keys(), ...after.capacity.keys()])].sort();
  const capacity = envNames.map((env) =>
    capacityDelta(env, before.capacity.get(env), after.capacity.get(env), {
      added: stacks.filter((s) => s.environment === env && s.status === "added").map((s) => s.stack),
      removed: stacks.filter((s) => s.environment === env && s.status === "removed").map((s) => s.stack),
    }),
  );

  return {
    kind: "synth-diff",
    title: "gpu-campus synth diff",
    subtitle: `${labels.before} → ${labels.after}`,
    destroys: sortDestroys(destroys),
    stacks,
    capacity,
    notes: [],
    impacts: workloadImpacts(before, after, environments),
  };
}

/** The added stack named like a removed one with its building's new id (`-stg-` → `-stg1-`). */
function renamedWithBuilding(
  removed: StackChange,
  stacks: readonly StackChange[],
  renames: readonly { readonly from: string; readonly to: string }[],
): string | undefined {
  for (const { from, to } of renames) {
    const candidate = removed.stack.replace(`-${from}-`, `-${to}-`);
    if (candidate !== removed.stack && stacks.some((s) => s.status === "added" && s.stack === candidate))
      return candidate;
  }
  return undefined;
}

/** An added stack holding exactly the addresses of a removed one: most likely the same cluster renamed. */
function renamedTo(removed: StackChange, stacks: readonly StackChange[]): string | undefined {
  const addresses = (s: StackChange) =>
    s.resources
      .map((r) => r.address)
      .sort()
      .join("\n");
  const key = addresses(removed);
  return stacks.find((s) => s.status === "added" && addresses(s) === key)?.stack;
}

const DESTROY_ORDER = { "data-volume": 0, protected: 1, stack: 2, namespace: 3 } as const;

export function sortDestroys(warnings: readonly DestroyWarning[]): DestroyWarning[] {
  return [...warnings].sort((a, b) => DESTROY_ORDER[a.kind] - DESTROY_ORDER[b.kind] || a.stack.localeCompare(b.stack));
}
