import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest";
import type { ITerraformDependable } from "cdktf";
import type { Construct } from "constructs";
import { MANAGED_BY } from "../vocabulary/names.js";

export interface ManagedManifestOptions {
  /**
   * Field manager of the server-side apply.
   * @default - "gpu-campus", without forcing conflicts: a hand-edited object fails the apply loudly
   */
  readonly fieldManager?: string;
  /** Objects that must exist first (a namespace, the Topology a flavor names). @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A custom resource through `kubernetes_manifest` (server-side apply), written the one way the
 * campus writes them: the server may add annotations and labels of its own (the provider's default,
 * stated on purpose), and the field manager is ours. Its CRD must exist at plan time.
 */
export function managedManifest(
  scope: Construct,
  id: string,
  manifest: Record<string, unknown>,
  options: ManagedManifestOptions = {},
): Manifest {
  return new Manifest(scope, id, {
    manifest,
    computedFields: ["metadata.annotations", "metadata.labels"],
    fieldManager: { name: options.fieldManager ?? MANAGED_BY, forceConflicts: false },
    ...(options.dependsOn && { dependsOn: options.dependsOn }),
  });
}
