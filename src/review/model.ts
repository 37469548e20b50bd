import type { UnitMoves } from "./diff/unit-moves.js";
/**
 * The one shape every review tool produces and every renderer reads: a synthesized-config diff
 * (`npm run diff`) and a rendered `tofu show -json` plan (`npm run plan-report`) both become a
 * ReviewReport, so a reviewer reads the same page whichever ran.
 */

/**
 * What happens to a resource. `replace` is a destroy plus a create of the same address; `forget`
 * (a `removed` block) drops it from state and leaves the object alone.
 */
export type ChangeAction = "create" | "update" | "replace" | "delete" | "no-op" | "read" | "forget";

/** Why a change to an attribute cannot be applied in place. */
export interface ReplacementReason {
  /** `provider`: the provider schema marks the field ForceNew; `api`: the API server rejects updates. */
  readonly source: "provider" | "api" | "plan";
  readonly text: string;
}

export interface AttributeChange {
  /** Display path, e.g. `spec.selector.match_labels["app"]` or `data["capacity.json"] › gpus`. */
  readonly path: string;
  /** Absent (undefined) when the attribute did not exist before. Masked values are "(sensitive)". */
  readonly before?: unknown;
  /** Absent (undefined) when the attribute is removed. */
  readonly after?: unknown;
  /** The value is masked in before and after. */
  readonly sensitive?: boolean;
  /** The value is known only after apply (plan JSON `after_unknown`). */
  readonly unknownAfter?: boolean;
  /** Set when this change alone forces the resource to be replaced. */
  readonly forcesReplacement?: ReplacementReason;
  /** Line diff (`+`/`-`/` ` prefixed) for multi-line strings, whose old → new would be unreadable. */
  readonly textDiff?: readonly string[];
  /** Something else a reviewer should know about this change (e.g. a PVC that cannot shrink). */
  readonly note?: string;
}

export interface ResourceChange {
  /** Terraform address inside its stack: `type.name`, or `data.type.name` for data sources. */
  readonly address: string;
  readonly type: string;
  readonly mode: "managed" | "data";
  readonly action: ChangeAction;
  /** The Kubernetes object it manages, e.g. `PersistentVolumeClaim research/dataset`, when known. */
  readonly object?: string;
  readonly attributes: readonly AttributeChange[];
  /** For a replacement: whether the new object is created before the old one is destroyed. */
  readonly replaceOrder?: "create-before-destroy" | "destroy-before-create";
  /** The object holds data (a volume, or `lifecycle.prevent_destroy`). */
  readonly dataHolding?: boolean;
  readonly notes?: readonly string[];
}

export type StackStatus = "added" | "removed" | "changed" | "unchanged";

export interface StackChange {
  readonly stack: string;
  /** The environment the stack belongs to, when the capacity summary says so. */
  readonly environment?: string;
  readonly status: StackStatus;
  /** Changed resources only (no-ops are counted in `unchanged`). */
  readonly resources: readonly ResourceChange[];
  /** Changes outside resources: provider configuration, backend, required providers, outputs. */
  readonly settings: readonly AttributeChange[];
  readonly unchanged: number;
}

/** Kinds of loss the report lists first. */
export type DestroyKind = "data-volume" | "protected" | "namespace" | "stack";

export interface DestroyWarning {
  readonly kind: DestroyKind;
  readonly stack: string;
  readonly address?: string;
  readonly object?: string;
  readonly action: "delete" | "replace";
  readonly message: string;
}

export interface MetricDelta {
  readonly key: string;
  readonly label: string;
  readonly before: number | undefined;
  readonly after: number | undefined;
  readonly unit?: string;
  /** Decimal places to show. */
  readonly digits: number;
}

export interface BuildingDelta {
  readonly id: string;
  readonly status: "added" | "removed" | "changed";
  readonly metrics: readonly MetricDelta[];
}

/** One building on the campus picture: how full its rack positions are and what it holds. */
export interface BuildingFloor {
  readonly id: string;
  readonly status: "added" | "removed" | "changed" | "unchanged";
  readonly racksBefore: number | undefined;
  readonly racks: number;
  readonly rackPositions: number | undefined;
  readonly gpus: number;
  readonly itPowerMW: number;
  readonly itPowerBudgetMW: number | undefined;
}

export interface CapacityDelta {
  readonly environment: string;
  readonly status: "added" | "removed" | "changed" | "unchanged";
  readonly metrics: readonly MetricDelta[];
  readonly buildings: readonly BuildingDelta[];
  /** Stacks of this environment that are added / removed. */
  readonly stacksAdded: readonly string[];
  readonly stacksRemoved: readonly string[];
  /**
   * Every building after the change (removed ones as they were), for the text picture of the
   * campus that a PR comment can show inline. @default - none (older reports)
   */
  readonly floor?: readonly BuildingFloor[];
  /** Relative or absolute paths of the campus pictures, when written. */
  readonly pictures?: { readonly before?: string; readonly after?: string };
  /** Scalable units the change moves to another cluster, and their nodes (src/review/diff/unit-moves.ts). */
  readonly unitMoves?: UnitMoves;
}

export interface ReviewReport {
  readonly kind: "synth-diff" | "plan";
  readonly title: string;
  /** One line under the title: what was compared. */
  readonly subtitle: string;
  readonly destroys: readonly DestroyWarning[];
  readonly stacks: readonly StackChange[];
  readonly capacity: readonly CapacityDelta[];
  readonly notes: readonly string[];
  /**
   * What the change means for the campus's users, one line each: GPUs advertised and device
   * plugin restarts, tenants and quota, volumes, renamed buildings. @default - none
   */
  readonly impacts?: readonly string[];
}

export interface ActionCounts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly read: number;
  readonly forget: number;
}

export function countActions(resources: readonly ResourceChange[]): ActionCounts {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, read: 0, forget: 0 };
  for (const r of resources) if (r.action !== "no-op") counts[r.action]++;
  return counts;
}

export function totalActions(stacks: readonly StackChange[]): ActionCounts {
  return countActions(stacks.flatMap((s) => s.resources));
}
