import {
  describeObject,
  field,
  kindOf,
  manifestOf,
  metadataOf,
  preventsDestroy,
  specOf,
  str,
} from "../../terraform-json/kubernetes-object.js";
import { type ResourceVerdict, type StackRule, type SynthesizedResource, verdict } from "../policy-rule.js";
import { kubernetesDocs } from "../sources.js";

/** A StorageClass's reclaim policy; Kubernetes defaults it to Delete. */
function reclaimPolicyOf(storageClass: SynthesizedResource): string {
  const root = manifestOf(storageClass) ?? storageClass.config;
  return str(field(root, "reclaimPolicy", "reclaim_policy")) ?? "Delete";
}

/**
 * docs/design.md (principle 4), "nothing lost": a dataset or checkpoint volume survives both a deleted
 * claim (reclaim policy Retain keeps the volume) and a Terraform plan that would destroy it
 * (prevent_destroy). Every PVC and PV the campus declares holds data; a scratch volume belongs
 * in an ephemeral volume, or is suppressed with that reason.
 */
export const dataVolumeRetained: StackRule = {
  id: "GPC-019",
  name: "data-volume-retained",
  scope: "stack",
  level: "error",
  description: "Data-holding volumes (PVCs, PVs) use reclaim policy Retain and lifecycle.prevent_destroy.",
  why: "A checkpoint volume deleted by a rename or a destroy is weeks of GPU time gone; Retain and prevent_destroy make both explicit.",
  fix:
    "Give the PVC a storage class (in this stack) whose reclaim_policy is Retain, and set lifecycle { prevent_destroy = true } " +
    "on the PVC (cdktf: lifecycle: { preventDestroy: true }).",
  sources: [
    kubernetesDocs("Persistent Volumes, reclaiming", "concepts/storage/persistent-volumes/#reclaiming"),
    {
      title: "Terraform: the lifecycle meta-argument, prevent_destroy",
      url: "https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle",
    },
  ],
  evaluate(resources) {
    const classes = new Map<string, SynthesizedResource>();
    for (const resource of resources) {
      const name = metadataOf(resource).name;
      if (kindOf(resource) === "StorageClass" && name !== undefined) classes.set(name, resource);
    }
    const verdicts: ResourceVerdict[] = [];
    for (const resource of resources) {
      const kind = kindOf(resource);
      if (kind !== "PersistentVolumeClaim" && kind !== "PersistentVolume") continue;
      const what = describeObject(resource);
      const reasons: string[] = [];
      const spec = specOf(resource);
      if (kind === "PersistentVolumeClaim") {
        const className = str(field(spec, "storageClassName", "storage_class_name"));
        const storageClass = className === undefined ? undefined : classes.get(className);
        if (className === undefined) {
          reasons.push(`${what} names no storage class: the cluster default's reclaim policy cannot be checked`);
        } else if (!storageClass) {
          reasons.push(
            `${what} uses storage class "${className}", which this stack does not define, so its reclaim policy cannot be checked`,
          );
        } else if (reclaimPolicyOf(storageClass) !== "Retain") {
          reasons.push(
            `${what} uses storage class "${className}" whose reclaim policy is ${reclaimPolicyOf(storageClass)}, not Retain`,
          );
        }
      } else {
        const policy =
          str(field(spec, "persistentVolumeReclaimPolicy", "persistent_volume_reclaim_policy")) ?? "Retain";
        if (policy !== "Retain") reasons.push(`${what} has reclaim policy ${policy}, not Retain`);
      }
      if (!preventsDestroy(resource)) reasons.push(`${what} does not set lifecycle.prevent_destroy`);
      verdicts.push({ resource, result: verdict(reasons) });
    }
    return verdicts;
  },
};
