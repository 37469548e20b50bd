import {
  isDataHolding as isDataHoldingResource,
  isVolume,
  kindOf,
  type ResourceJson,
} from "../../terraform-json/kubernetes-object.js";
import type { DestroyWarning, ResourceChange, StackChange } from "../model.js";
import { isRecord } from "./values.js";

/**
 * What a review lists first, before anything else: changes that lose data. Principle 4 of the
 * design ("nothing lost"): a volume that holds datasets or checkpoints, anything marked
 * `prevent_destroy`, a namespace (deleting one deletes every claim in it) and a whole stack.
 */

/** The body as the shared Terraform JSON reader takes it (a missing body reads as empty). */
function resourceJson(type: string, body: unknown): ResourceJson {
  return { type, config: isRecord(body) ? body : {} };
}

/** A resource whose destruction loses data: a volume claim or volume, or one marked prevent_destroy. */
export function isDataHolding(type: string, body: unknown): boolean {
  return isDataHoldingResource(resourceJson(type, body));
}

export function isNamespace(type: string, body: unknown): boolean {
  return kindOf(resourceJson(type, body)) === "Namespace";
}

/** Warnings for the resources of one stack that are deleted or replaced. */
export function resourceDestroyWarnings(stack: string, resources: readonly ResourceChange[]): DestroyWarning[] {
  const warnings: DestroyWarning[] = [];
  for (const r of resources) {
    if (r.mode !== "managed" || (r.action !== "delete" && r.action !== "replace")) continue;
    const verb = r.action === "delete" ? "destroyed" : "replaced (destroyed, then created empty)";
    const what = r.object ?? r.address;
    const base = { stack, address: r.address, action: r.action, ...(r.object ? { object: r.object } : {}) } as const;
    // Deleting the resource block deletes its lifecycle block too: prevent_destroy no longer stops it.
    const unprotected = r.attributes.some(
      (a) => a.path === "lifecycle.prevent_destroy" && a.before === true && a.after === undefined,
    );
    const guard = unprotected ? " (its prevent_destroy goes with the code, so Terraform will not stop this)" : "";
    if (r.dataHolding && isVolume({ type: r.type, config: {} })) {
      warnings.push({ ...base, kind: "data-volume", message: `${what} would be ${verb}: its data is lost${guard}` });
    } else if (r.dataHolding) {
      warnings.push({ ...base, kind: "protected", message: `${what} is data-holding and would be ${verb}${guard}` });
    } else if (isNamespace(r.type, {}) || r.object?.startsWith("Namespace ")) {
      warnings.push({
        ...base,
        kind: "namespace",
        message: `${what} would be ${verb}: Kubernetes deletes every object in it, volume claims included`,
      });
    }
  }
  return warnings;
}

/** A warning for a stack that disappears: everything it manages is orphaned or destroyed. */
export function stackRemovalWarning(stack: StackChange, dataHolding: number): DestroyWarning {
  const total = stack.resources.length;
  const data = dataHolding > 0 ? `, ${dataHolding} of them data-holding` : "";
  return {
    kind: "stack",
    stack: stack.stack,
    action: "delete",
    message: `stack ${stack.stack} is removed: its ${total} resource${total === 1 ? "" : "s"}${data} would be destroyed by \`cdktf destroy\`, or orphaned in its state`,
  };
}
